import { orgCreatedDetails, orgMappedDetails } from '../../shared/domain/audit-details';
import { auditedOrgDirectory, findOrganization } from '../../shared/adapters/org-directory';
import {
  matchOrganization,
  searchByDomain,
  type Candidate,
  type MatchResult,
} from '../../shared/domain/org-matching';
import { emailSchema } from '../../shared/domain/order.schema';
import {
  domainNameSchema,
  newOrganizationSchema,
  type OrgKind,
  type Organization,
} from '../../shared/domain/org.schema';
import {
  collectErrors,
  errorSummary,
  field,
  fieldId,
  hiddenAll,
  issueMessage,
  selectField,
  textField,
  type FieldErrors,
  type FormData,
} from '../forms';
import { flag, markup, type SafeHtml } from '../html';
import {
  candidateFlag,
  countryName,
  countryOptions,
  orgCard,
  orgFacts,
  ORG_COUNTRIES,
  verticalOptions,
} from '../display';
import { formStart, type ActResult, type Rendered, type StepContext, type StepPage } from '../step-context';

// Steps 2 and 3: map the partner or the customer organization. Exactly one of the source's three
// outcomes is shown (associated / matching organizations / none), with a search by domain, and
// creating a new organization goes through a review before Next.

/** The create form's fields: the org and its postal address (Webex needs it to provision the org). */
interface CreateValues {
  name: string;
  businessVertical: string;
  country: string;
  street: string;
  city: string;
  state: string;
  postalCode: string;
}
const EMPTY_CREATE: CreateValues = {
  name: '',
  businessVertical: '',
  country: '',
  street: '',
  city: '',
  state: '',
  postalCode: '',
};

interface OrgState {
  /** Customer step of a partner order: the customer admin's email, carried in a hidden field. */
  adminEmail?: string;
  search?: { domain: string; results?: Candidate[] };
  create?: CreateValues & { review?: boolean; forced?: boolean };
  errors: FieldErrors;
}

/**
 * What a page says for an organization in its forms: a keyed reference, not the directory's id
 * (internal ids stay off the pages). Only organizations offered to this person can be sent back.
 */
function ref(ctx: StepContext, orgId: string): string {
  return ctx.sign(`org|${orgId}`).slice(0, 22);
}

/** The directory, with every lookup this person makes written to the order's audit trail. */
function directoryOf(ctx: StepContext) {
  return auditedOrgDirectory(ctx.order.orderId, ctx.link.recipient, undefined, ctx.audited);
}

function kindOf(ctx: StepContext): OrgKind {
  return ctx.step.stepId === 'partner-org' ? 'partner' : 'customer';
}

/** A partner order asks for the customer admin's email first; otherwise the contact's own email is matched. */
function asksAdminEmail(ctx: StepContext): boolean {
  return kindOf(ctx) === 'customer' && ctx.order.orderFor === 'customer';
}

function emailToMatch(ctx: StepContext, state: OrgState): string | undefined {
  return asksAdminEmail(ctx) ? state.adminEmail : ctx.link.recipient;
}

function titleOf(ctx: StepContext): string {
  return ctx.page.t(kindOf(ctx) === 'partner' ? 'partner.title' : 'customer.title');
}

function introOf(ctx: StepContext): string {
  const { t } = ctx.page;
  if (kindOf(ctx) === 'partner') return t('partner.intro');
  return ctx.order.orderFor === 'my-company' ? t('customer.introMyCompany') : t('customer.intro');
}

function carried(state: OrgState) {
  return hiddenAll({ adminEmail: state.adminEmail });
}

function adminEmailForm(ctx: StepContext, value: string, errors: FieldErrors): Rendered {
  const { t } = ctx.page;
  return {
    title: titleOf(ctx),
    status: errors.size ? 422 : 200,
    body: markup`${errorSummary(t, errors)}
<h1>${titleOf(ctx)}</h1>
<p class="lead">${introOf(ctx)}</p>
${formStart(ctx)}
<fieldset>
  <legend>${t('customer.adminEmailLegend')}</legend>
  <p>${t('customer.adminEmailIntro')}</p>
  ${textField({ name: 'adminEmail', label: t('customer.adminEmail'), value, errors, type: 'email', autocomplete: 'off', spellcheck: false, maxlength: 254 })}
</fieldset>
<div class="actions"><button class="btn" type="submit" name="intent" value="lookup">${t('customer.findOrg')}</button></div>
</form>`,
  };
}

function candidateRadios(
  ctx: StepContext,
  candidates: Candidate[],
  selected: string,
  name = 'orgId',
  scope: 'full' | 'search' = 'full',
): SafeHtml {
  const { t, lang } = ctx.page;
  return markup`${candidates.map(
    (c) =>
      markup`<div class="choice${c.unlikely ? ' unlikely' : ''}">
        <input
          type="radio"
          name="${name}"
          id="org-${ref(ctx, c.org.orgId)}"
          value="${ref(ctx, c.org.orgId)}"
          ${flag('checked', selected === ref(ctx, c.org.orgId))}
          aria-describedby="org-${ref(ctx, c.org.orgId)}-facts"
        />
        <div class="grow">
          <label for="org-${ref(ctx, c.org.orgId)}">${c.org.name}</label> ${candidateFlag(t, c)}
          <div id="org-${ref(ctx, c.org.orgId)}-facts">
            ${orgFacts(t, lang, c.org, undefined, scope)}${c.unlikely ? markup`<p class="muted">${t('org.unlikelyWhy')}</p>` : ''}
          </div>
        </div>
      </div>`,
  )}`;
}

function createForm(ctx: StepContext, state: OrgState): SafeHtml {
  const { t, lang } = ctx.page;
  const c = state.create ?? EMPTY_CREATE;
  return markup`<h2>${t('org.createTitle')}</h2>
<p>${t('org.createIntro')}</p>
${formStart(ctx)}${carried(state)}
${textField({ name: 'name', label: t('org.name'), value: c.name, errors: state.errors, autocomplete: 'organization', maxlength: 200 })}
${selectField({ name: 'businessVertical', label: t('org.vertical'), value: c.businessVertical, errors: state.errors, options: verticalOptions(t), placeholder: t('org.chooseVertical') })}
${selectField({ name: 'country', label: t('org.country'), value: c.country, errors: state.errors, options: countryOptions(ORG_COUNTRIES, lang), placeholder: t('org.chooseCountry') })}
${textField({ name: 'street', label: t('calling.street'), value: c.street, errors: state.errors, autocomplete: 'street-address', maxlength: 200 })}
${textField({ name: 'city', label: t('calling.city'), value: c.city, errors: state.errors, autocomplete: 'address-level2', maxlength: 100 })}
${textField({ name: 'state', label: `${t('calling.state')} / ${t('calling.county')}`, value: c.state, errors: state.errors, autocomplete: 'address-level1', maxlength: 100 })}
${textField({ name: 'postalCode', label: t('calling.postalCode'), value: c.postalCode, errors: state.errors, autocomplete: 'postal-code', maxlength: 20 })}
<div class="actions"><button class="btn" type="submit" name="intent" value="review">${t('common.next')}</button></div>
</form>`;
}

function searchSection(ctx: StepContext, state: OrgState): SafeHtml {
  const { t } = ctx.page;
  const search = state.search;
  const results = search?.results;
  return markup`<section class="search" aria-labelledby="search-title">
<h2 id="search-title">${t('org.searchTitle')}</h2>
<p>${t('org.searchHelp')}</p>
${formStart(ctx)}${carried(state)}
<div class="row">
  ${textField({ name: 'domain', label: t('org.searchDomain'), hint: t('org.searchDomainHint'), value: search?.domain ?? '', errors: state.errors, spellcheck: false, maxlength: 253 })}
  <div class="field"><button class="btn secondary" type="submit" name="intent" value="search">${t('org.searchButton')}</button></div>
</div>
</form>
${
  results
    ? markup`<h3 aria-live="polite">${t('org.searchResults', { domain: search?.domain ?? '' })}</h3>
        ${
          results.length === 0
            ? markup`<p>${t('org.searchNone', { domain: search?.domain ?? '' })}</p>`
            : markup`${formStart(ctx)}${carried(state)}${hiddenAll({ searchedDomain: search?.domain })}
<fieldset><legend class="vh">${t('org.chooseLegend')}</legend>${candidateRadios(ctx, results, '', 'orgId', 'search')}</fieldset>
<div class="actions"><button class="btn" type="submit" name="intent" value="map">${t('common.next')}</button></div>
</form>`
        }`
    : ''
}
</section>`;
}

async function outcomePage(ctx: StepContext, state: OrgState, selected = ''): Promise<Rendered> {
  const { t, lang } = ctx.page;
  const email = emailToMatch(ctx, state);
  if (email === undefined) return adminEmailForm(ctx, '', state.errors);
  const kind = kindOf(ctx);
  const match = await matchOrganization(directoryOf(ctx), kind, email, ctx.now);
  const status = state.errors.size ? 422 : 200;
  const adminLine = asksAdminEmail(ctx)
    ? markup`<div class="admin-line"><p>${t('customer.adminEmailShown', { email })}</p>${formStart(ctx)}<button class="btn link" type="submit" name="intent" value="change-email">${t('customer.changeAdminEmail')}</button></form></div>`
    : '';
  const header = markup`${errorSummary(t, state.errors)}
    <h1>${titleOf(ctx)}</h1>
    <p class="lead">${introOf(ctx)}</p>
    ${adminLine}`;

  if (state.create?.review)
    return { title: titleOf(ctx), status, body: markup`${header}${reviewNew(ctx, state)}` };
  if (match.outcome === 'none' || state.create?.forced) {
    const none =
      match.outcome === 'none'
        ? markup`<div class="notice info" role="status">
            <strong>${t('org.none')}</strong>
            ${t(kind === 'partner' ? 'org.noneHelpPartner' : 'org.noneHelpCustomer')}
          </div>`
        : '';
    return {
      title: titleOf(ctx),
      status,
      body: markup`${header}${none}${createForm(ctx, state)}${searchSection(ctx, state)}`,
    };
  }
  return {
    title: titleOf(ctx),
    status,
    body: markup`${header}${existing(ctx, state, match, selected, lang)}${searchSection(ctx, state)}`,
  };
}

function existing(
  ctx: StepContext,
  state: OrgState,
  match: Exclude<MatchResult, { outcome: 'none' }>,
  selected: string,
  lang: StepContext['page']['lang'],
): SafeHtml {
  const { t } = ctx.page;
  const createInstead = markup`${formStart(ctx)}${carried(state)}<button class="btn link" type="submit" name="intent" value="create">${t('org.createInstead')}</button></form>`;
  if (match.outcome === 'associated') {
    return markup`<div class="notice" role="status"><strong>${asksAdminEmail(ctx) ? t('org.associatedAdmin') : t('org.associated')}</strong> ${t('org.associatedHelp')}</div>
${orgCard(t, lang, match.org)}
${formStart(ctx)}${carried(state)}${hiddenAll({ orgId: ref(ctx, match.org.orgId) })}
<div class="actions"><button class="btn" type="submit" name="intent" value="map">${t('common.next')}</button></div>
</form>`;
  }
  const orgError = state.errors.get('orgId');
  return markup`<div class="notice" role="status"><strong>${t('org.matched')}</strong></div>
<p>${t('org.matchedHelp')}</p>
${formStart(ctx)}${carried(state)}
<fieldset id="${fieldId('orgId')}"${orgError ? markup` aria-describedby="${fieldId('orgId')}-error"` : ''} tabindex="-1">
  <legend>${t('org.chooseLegend')}</legend>
  ${orgError ? markup`<span class="error-msg" id="${fieldId('orgId')}-error">${orgError}</span>` : ''}
  ${candidateRadios(ctx, match.candidates, selected)}
</fieldset>
<div class="actions"><button class="btn" type="submit" name="intent" value="map">${t('common.next')}</button></div>
</form>
${createInstead}`;
}

function reviewNew(ctx: StepContext, state: OrgState): SafeHtml {
  const { t, lang } = ctx.page;
  const c = state.create ?? EMPTY_CREATE;
  const vertical =
    verticalOptions(t).find((v) => v.value === c.businessVertical)?.label ?? c.businessVertical;
  return markup`<h2>${t('org.reviewTitle')}</h2>
<p>${t(kindOf(ctx) === 'partner' ? 'org.reviewIntroPartner' : 'org.reviewIntroCustomer')}</p>
<div class="org"><h3>${c.name}</h3><dl class="facts">
  <dt>${t('org.name')}</dt><dd>${c.name}</dd>
  <dt>${t('org.vertical')}</dt><dd>${vertical}</dd>
  <dt>${t('org.country')}</dt><dd>${countryName(c.country, lang)}</dd>
  <dt>${t('calling.street')}</dt><dd>${c.street}</dd>
  <dt>${t('calling.city')}</dt><dd>${c.city}</dd>
  ${c.state ? markup`<dt>${t('calling.state')} / ${t('calling.county')}</dt><dd>${c.state}</dd>` : ''}
  ${c.postalCode ? markup`<dt>${t('calling.postalCode')}</dt><dd>${c.postalCode}</dd>` : ''}
</dl></div>
${formStart(ctx)}${carried(state)}${hiddenAll({ name: c.name, businessVertical: c.businessVertical, country: c.country, street: c.street, city: c.city, state: c.state, postalCode: c.postalCode })}
<div class="actions">
  <button class="btn" type="submit" name="intent" value="confirm">${t('common.next')}</button>
  <button class="btn secondary" type="submit" name="intent" value="edit">${t('common.change')}</button>
</div>
</form>`;
}

function readCreate(form: FormData): CreateValues {
  return {
    name: field(form, 'name'),
    businessVertical: field(form, 'businessVertical'),
    country: field(form, 'country'),
    street: field(form, 'street'),
    city: field(form, 'city'),
    state: field(form, 'state'),
    postalCode: field(form, 'postalCode'),
  };
}

/** The form's values as the new-organization schema reads them (empty optional fields left out). */
function newOrganization(v: CreateValues) {
  return {
    name: v.name,
    businessVertical: v.businessVertical,
    country: v.country,
    address: {
      street: v.street,
      city: v.city,
      ...(v.state.trim() ? { state: v.state } : {}),
      ...(v.postalCode.trim() ? { postalCode: v.postalCode } : {}),
    },
  };
}

/** Which outcome the chosen organization came from; undefined when it was not offered to this person. */
async function offeredOutcome(
  ctx: StepContext,
  email: string,
  orgId: string,
  searchedDomain: string | undefined,
): Promise<
  { org: Organization; outcome: 'associated' | 'matched' | 'searched'; searchedDomain?: string } | undefined
> {
  const kind = kindOf(ctx);
  if (searchedDomain) {
    const found = (await searchByDomain(directoryOf(ctx), kind, searchedDomain, ctx.now)).find(
      (c) => ref(ctx, c.org.orgId) === orgId,
    );
    return found ? { org: found.org, outcome: 'searched', searchedDomain } : undefined;
  }
  const match = await matchOrganization(directoryOf(ctx), kind, email, ctx.now);
  if (match.outcome === 'associated' && ref(ctx, match.org.orgId) === orgId)
    return { org: match.org, outcome: 'associated' };
  if (match.outcome === 'matched') {
    const found = match.candidates.find((c) => ref(ctx, c.org.orgId) === orgId);
    if (found) return { org: found.org, outcome: 'matched' };
  }
  return undefined;
}

function withAdmin(ctx: StepContext, output: Record<string, unknown>, email: string) {
  return kindOf(ctx) === 'customer' ? { ...output, adminEmail: email } : output;
}

export const orgPage: StepPage = {
  async render(ctx) {
    return outcomePage(ctx, { errors: new Map() });
  },

  async act(ctx, form): Promise<ActResult> {
    const { t } = ctx.page;
    const intent = field(form, 'intent');
    const errors: FieldErrors = new Map();
    const state: OrgState = { errors };

    // The admin email travels in a hidden field; it is validated again on every post.
    if (asksAdminEmail(ctx)) {
      const typed = field(form, 'adminEmail');
      if (intent === 'change-email') return { kind: 'render', ...adminEmailForm(ctx, '', errors) };
      const parsed = emailSchema.safeParse(typed);
      if (!parsed.success) {
        errors.set(
          'adminEmail',
          parsed.error.issues[0] ? issueMessage(t, parsed.error.issues[0]) : t('error.email'),
        );
        return { kind: 'render', ...adminEmailForm(ctx, typed, errors) };
      }
      state.adminEmail = parsed.data;
    }
    const email = emailToMatch(ctx, state) ?? ctx.link.recipient;

    switch (intent) {
      case 'lookup':
        return { kind: 'render', ...(await outcomePage(ctx, state)) };
      case 'search': {
        const typed = field(form, 'domain');
        const parsed = domainNameSchema.safeParse(typed);
        if (!parsed.success) {
          errors.set('domain', t('error.domain'));
          state.search = { domain: typed };
        } else {
          state.search = {
            domain: parsed.data,
            results: await searchByDomain(directoryOf(ctx), kindOf(ctx), parsed.data, ctx.now),
          };
        }
        return { kind: 'render', ...(await outcomePage(ctx, state)) };
      }
      case 'create':
        state.create = { ...EMPTY_CREATE, forced: true };
        return { kind: 'render', ...(await outcomePage(ctx, state)) };
      case 'edit':
        state.create = { ...readCreate(form), forced: true };
        return { kind: 'render', ...(await outcomePage(ctx, state)) };
      case 'review':
      case 'confirm': {
        const values = readCreate(form);
        const parsed = newOrganizationSchema.safeParse(newOrganization(values));
        if (!parsed.success) {
          // address.street is the form's `street`, and so on.
          collectErrors(t, parsed.error, (path) => String(path[path[0] === 'address' ? 1 : 0] ?? ''), errors);
          state.create = { ...values, forced: true };
          return { kind: 'render', ...(await outcomePage(ctx, state)) };
        }
        if (intent === 'review') {
          state.create = { ...values, review: true };
          return { kind: 'render', ...(await outcomePage(ctx, state)) };
        }
        return {
          kind: 'submit',
          output: withAdmin(ctx, { action: 'create', organization: parsed.data }, email),
          details: orgCreatedDetails({
            ...parsed.data,
            ...(kindOf(ctx) === 'customer' ? { adminEmail: email } : {}),
          }),
        };
      }
      case 'map': {
        const orgId = field(form, 'orgId');
        const searched = field(form, 'searchedDomain');
        const searchedDomain = searched ? domainNameSchema.safeParse(searched) : undefined;
        const offered =
          orgId && (!searchedDomain || searchedDomain.success)
            ? await offeredOutcome(
                ctx,
                email,
                orgId,
                searchedDomain?.success ? searchedDomain.data : undefined,
              )
            : undefined;
        if (!offered) {
          errors.set('orgId', t('error.chooseOrg'));
          return { kind: 'render', ...(await outcomePage(ctx, state)) };
        }
        // Re-read: the directory is the source of truth for the name shown in the audit trail.
        const org = (await findOrganization(offered.org.orgId)) ?? offered.org;
        return {
          kind: 'submit',
          output: withAdmin(
            ctx,
            {
              action: 'map',
              orgId: org.orgId,
              outcome: offered.outcome,
              ...(offered.searchedDomain ? { searchedDomain: offered.searchedDomain } : {}),
            },
            email,
          ),
          details: orgMappedDetails({
            name: org.name,
            outcome: offered.outcome,
            searchedDomain: offered.searchedDomain,
            ...(kindOf(ctx) === 'customer' ? { adminEmail: email } : {}),
          }),
        };
      }
      default:
        return { kind: 'render', ...(await outcomePage(ctx, state)) };
    }
  },
};
