import { meetingsDetails } from '../../shared/domain/audit-details';
import { releaseSiteNames, reserveSiteName, siteNameHolder } from '../../shared/adapters/org-directory';
import {
  MAX_SITES,
  meetingsSettingsFor,
  SITE_DOMAIN_SUFFIX,
  SITE_NAME_MAX,
  SITE_NAME_MIN,
  siteUrl,
  type MeetingsSettings,
} from '../../shared/domain/meetings.schema';
import {
  checkboxField,
  collectErrors,
  errorSummary,
  field,
  hidden,
  textField,
  type FieldErrors,
  type FormData,
} from '../forms';
import { markup, raw } from '../html';
import { formStart, type ActResult, type Rendered, type StepContext, type StepPage } from '../step-context';
import { precheckMeetings } from '../precheck';
import { onlyZoneOf, timeZoneField } from '../time-zones';
import { organizationCountry, serviceIntro, servicePosition } from './service-intro';
import { timeZoneLabel } from '../../shared/documents/time-zone-names';

// Webex Meetings: one site or more (<name>.webex.com), a time zone each, early release, and with
// more than one site the license split. "I need additional URLs" works without JavaScript: it
// posts the form and comes back with one more row. Names are reserved when the person selects Close.

interface SiteValues {
  name: string;
  tz: string;
  early: boolean;
  licenses: string;
}

const names = (i: number) => ({
  name: `site-${i}-name`,
  tz: `site-${i}-tz`,
  early: `site-${i}-early`,
  licenses: `site-${i}-licenses`,
});

function quantityOf(ctx: StepContext): number {
  return ctx.order.services.find((s) => s.type === 'meetings')?.quantity ?? 1;
}

function readSites(form: FormData): SiteValues[] {
  const count = Math.min(Math.max(Number.parseInt(field(form, 'siteCount'), 10) || 1, 1), MAX_SITES);
  return Array.from({ length: count }, (_, i) => {
    const n = names(i);
    return {
      name: field(form, n.name),
      tz: field(form, n.tz),
      early: field(form, n.early) === 'yes',
      licenses: field(form, n.licenses),
    };
  });
}

const licenseCount = (s: SiteValues) => Number.parseInt(s.licenses, 10) || 0;

/** The purchased licenses spread evenly over the sites (the first ones take the remainder). */
function evenSplit(sites: SiteValues[], quantity: number): SiteValues[] {
  const base = Math.floor(quantity / sites.length);
  const rest = quantity % sites.length;
  return sites.map((s, i) => ({ ...s, licenses: String(base + (i < rest ? 1 : 0)) }));
}

/**
 * After adding or removing a site: a split that still added up (or one site, which takes every
 * license) is proposed again evenly over the new sites; a split the person is still working on is kept.
 */
function resplit(before: SiteValues[], after: SiteValues[], quantity: number): SiteValues[] {
  if (after.length < 2) return after;
  const total = before.reduce((sum, s) => sum + licenseCount(s), 0);
  const untouched = before.every((s) => s.licenses.trim() === '');
  return before.length === 1 || total === quantity || untouched ? evenSplit(after, quantity) : after;
}

/** Each site's fields in the error summary: "Site 2 – Time zone: …". */
function summaryLabels(t: StepContext['page']['t'], sites: SiteValues[]): Record<string, string> {
  return Object.fromEntries(
    sites.flatMap((_, i) => {
      const n = names(i);
      const site = t('meetings.site', { n: i + 1 });
      return [
        [n.name, `${site} – ${t('meetings.siteName')}`],
        [n.tz, `${site} – ${t('meetings.timeZone')}`],
        [n.licenses, `${site} – ${t('service.licenses')}`],
      ];
    }),
  );
}

function toSettings(ctx: StepContext, sites: SiteValues[]): unknown {
  const quantity = quantityOf(ctx);
  return {
    sites: sites.map((s) => ({
      siteName: s.name,
      timeZone: s.tz.trim(),
      earlyRelease: s.early,
      // One site takes every license; with more, a non-number goes to the schema as typed so it says why.
      licenses:
        sites.length === 1
          ? quantity
          : /^\s*\d+\s*$/.test(s.licenses)
            ? Number(s.licenses)
            : s.licenses || undefined,
    })),
  };
}

function validate(
  ctx: StepContext,
  sites: SiteValues[],
): { settings?: MeetingsSettings; errors: FieldErrors } {
  const { t } = ctx.page;
  const quantity = quantityOf(ctx);
  const parsed = meetingsSettingsFor(quantity).safeParse(toSettings(ctx, sites));
  if (parsed.success) return { settings: parsed.data, errors: new Map() };
  const errors: FieldErrors = new Map();
  for (const issue of parsed.error.issues) {
    const [root, index] = issue.path;
    if (root === 'sites' && index === undefined && issue.message.startsWith('licenses must add up')) {
      const total = sites.reduce((sum, s) => sum + (Number.parseInt(s.licenses, 10) || 0), 0);
      if (!errors.has('licenses-total'))
        errors.set('licenses-total', t('error.licenseSum', { quantity, total }));
    }
  }
  collectErrors(
    t,
    parsed.error,
    (path) => {
      const [root, index, key] = path;
      if (root !== 'sites' || typeof index !== 'number') return undefined;
      const n = names(index);
      return key === 'siteName'
        ? n.name
        : key === 'timeZone'
          ? n.tz
          : key === 'licenses'
            ? n.licenses
            : undefined;
    },
    errors,
  );
  return { errors };
}

function form(ctx: StepContext, sites: SiteValues[], errors: FieldErrors): Rendered {
  const { t, lang } = ctx.page;
  const quantity = quantityOf(ctx);
  const split = sites.length > 1;
  const total = sites.reduce((sum, s) => sum + licenseCount(s), 0);
  const totalError = errors.get('licenses-total');
  return {
    title: t('meetings.title'),
    status: errors.size ? 422 : 200,
    body: markup`${errorSummary(t, errors, summaryLabels(t, sites))}${servicePosition(ctx)}
<h1>${t('meetings.title')}</h1>
<p class="lead">${t('meetings.intro')}</p>
${formStart(ctx)}${hidden('siteCount', sites.length)}
${sites.map((s, i) => {
  const n = names(i);
  return markup`<fieldset class="site">
    <legend>${t('meetings.site', { n: i + 1 })}</legend>
    ${
      i > 0
        ? markup`<div class="site-remove"><button class="btn link" type="submit" name="intent" value="remove-${i}">${t('meetings.removeSite', { n: i + 1 })}</button></div>`
        : ''
    }
    ${textField({ name: n.name, label: t('meetings.siteName'), hint: t('meetings.siteNameHint', { min: SITE_NAME_MIN, max: SITE_NAME_MAX }), value: s.name, errors, suffix: SITE_DOMAIN_SUFFIX, spellcheck: false, maxlength: SITE_NAME_MAX, autocomplete: 'off' })}
    ${timeZoneField({ t, lang, name: n.tz, label: t('meetings.timeZone'), value: s.tz, errors })}
    ${checkboxField({ name: n.early, label: t('meetings.earlyRelease'), checked: s.early, hint: t('meetings.earlyReleaseHint') })}
    ${
      split
        ? textField({
            name: n.licenses,
            label: t('meetings.licenses', { n: i + 1 }),
            value: s.licenses,
            errors,
            type: 'number',
            inputmode: 'numeric',
            extra: raw(' min="1" data-licenses'),
          })
        : markup`<p class="muted">${t('meetings.allLicenses', { quantity })}</p>`
    }
  </fieldset>`;
})}
${
  split
    ? markup`<section aria-labelledby="split-title">
        <h2 id="split-title">${t('meetings.splitTitle')}</h2>
        <p>${t('meetings.splitHelp', { quantity })}</p>
        <p id="f-licenses-total" tabindex="-1">
          <span
            class="total${total === quantity ? '' : ' bad'}"
            data-license-total
            data-quantity="${quantity}"
            data-template="${t('meetings.total', { total: '{total}', quantity })}"
            aria-live="polite"
            >${t('meetings.total', { total, quantity })}</span
          >
        </p>
        ${totalError ? markup`<span class="error-msg" id="f-licenses-total-error">${totalError}</span>` : ''}
      </section>`
    : ''
}
${
  sites.length < MAX_SITES
    ? markup`<div class="field">
        <button
          class="btn secondary"
          type="submit"
          name="intent"
          value="add-site"
          aria-describedby="add-site-hint"
        >
          + ${t('meetings.addSite')}
        </button>
        <span class="hint" id="add-site-hint">${t('meetings.addSiteHint')}</span>
      </div>`
    : ''
}
<div class="actions"><button class="btn" type="submit" name="intent" value="review">${t('common.next')}</button></div>
</form>`,
  };
}

function review(ctx: StepContext, sites: SiteValues[], settings: MeetingsSettings): Rendered {
  const { t, lang } = ctx.page;
  const split = settings.sites.length > 1;
  return {
    title: t('meetings.reviewTitle'),
    body: markup`${servicePosition(ctx)}<h1>${t('meetings.reviewTitle')}</h1>
<p class="lead">${t('meetings.reviewIntro')}</p>
${settings.sites.map(
  (s, i) =>
    markup`<div class="org">
      <p class="muted">${t('meetings.site', { n: i + 1 })}</p>
      <h2>${siteUrl(s.siteName)}</h2>
      <dl class="facts">
        <dt>${t('meetings.timeZone')}</dt>
        <dd>${timeZoneLabel(s.timeZone, lang)}</dd>
        <dt>${t('meetings.earlyReleaseShort')}</dt>
        <dd>${t(s.earlyRelease ? 'common.yes' : 'common.no')}</dd>
        <dt>${t('service.licenses')}</dt>
        <dd>${s.licenses}</dd>
      </dl>
    </div>`,
)}
${split ? markup`<p><span class="total">${t('meetings.total', { total: quantityOf(ctx), quantity: quantityOf(ctx) })}</span></p>` : ''}
${formStart(ctx)}${hidden('siteCount', sites.length)}
${sites.map((s, i) => {
  const n = names(i);
  return markup`${hidden(n.name, s.name)}${hidden(n.tz, s.tz)}${s.early ? hidden(n.early, 'yes') : ''}${hidden(n.licenses, s.licenses)}`;
})}
<div class="actions">
  <button class="btn" type="submit" name="intent" value="confirm" aria-describedby="close-hint">${t('common.close')}</button>
  <span class="hint close-hint" id="close-hint">${t('review.closeHint')}</span>
  <button class="btn secondary" type="submit" name="intent" value="edit">${t('common.change')}</button>
</div>
</form>`,
  };
}

/** Names held by another order: errors beside those fields (a read: nothing is reserved). */
async function unavailable(ctx: StepContext, settings: MeetingsSettings): Promise<FieldErrors> {
  const errors: FieldErrors = new Map();
  for (const [i, site] of settings.sites.entries()) {
    const holder = await siteNameHolder(site.siteName);
    if (holder !== undefined && holder !== ctx.order.orderId)
      errors.set(names(i).name, ctx.page.t('error.siteTaken'));
  }
  return errors;
}

/**
 * On the submit that provisions, and only then: every name is taken for this order. A name
 * another order holds (the conditional write is the check) gives back what this submit took, so
 * no name stays held by a Close that did not go through. `giveBack` gives back what this submit
 * took (the names the order held before it stay), for a Close refused after it.
 */
async function reserveAll(
  ctx: StepContext,
  settings: MeetingsSettings,
): Promise<{ errors: FieldErrors; giveBack: () => Promise<unknown> }> {
  const { orderId } = ctx.order;
  const heldBefore: string[] = [];
  for (const site of settings.sites) {
    // The page's read of the order says which names it holds already; a read each without it.
    const held = ctx.heldSites
      ? ctx.heldSites.includes(site.siteName)
      : (await siteNameHolder(site.siteName)) === orderId;
    if (held) heldBefore.push(site.siteName);
  }
  const errors: FieldErrors = new Map();
  for (const [i, site] of settings.sites.entries())
    if (!(await reserveSiteName(site.siteName, orderId)))
      errors.set(names(i).name, ctx.page.t('error.siteTaken'));
  const giveBack = () => releaseSiteNames(orderId, heldBefore);
  if (errors.size > 0) await giveBack();
  return { errors, giveBack };
}

const emptySite = (tz = ''): SiteValues => ({ name: '', tz, early: false, licenses: '' });

/** The zone of the organization's country when that country has only one. */
async function defaultZone(ctx: StepContext): Promise<string> {
  return onlyZoneOf(await organizationCountry(ctx)) ?? '';
}

export const meetingsPage: StepPage = {
  async render(ctx) {
    return serviceIntro(ctx);
  },

  async act(ctx, data): Promise<ActResult> {
    const intent = field(data, 'intent');
    const t = ctx.page.t;
    if (intent === 'start')
      return { kind: 'render', ...form(ctx, [emptySite(await defaultZone(ctx))], new Map()) };
    const sites = readSites(data);
    if (intent === 'add-site') {
      if (sites.length >= MAX_SITES) {
        return {
          kind: 'render',
          ...form(ctx, sites, new Map([['licenses-total', t('error.tooManySites', { max: MAX_SITES })]])),
        };
      }
      const more = resplit(sites, [...sites, emptySite(sites[0]?.tz ?? '')], quantityOf(ctx));
      return { kind: 'render', ...form(ctx, more, new Map()) };
    }
    const remove = /^remove-(\d+)$/.exec(intent);
    if (remove) {
      const index = Number(remove[1]);
      return {
        kind: 'render',
        ...form(
          ctx,
          sites.length > 1
            ? resplit(
                sites,
                sites.filter((_, i) => i !== index),
                quantityOf(ctx),
              )
            : sites,
          new Map(),
        ),
      };
    }
    if (intent === 'edit') return { kind: 'render', ...form(ctx, sites, new Map()) };
    if (intent !== 'review' && intent !== 'confirm')
      return { kind: 'render', ...form(ctx, sites, new Map()) };

    const { settings, errors } = validate(ctx, sites);
    if (!settings) return { kind: 'render', ...form(ctx, sites, errors) };
    if (intent === 'review') {
      // Our own directory first: a name another order holds costs no call to Webex.
      const taken = await unavailable(ctx, settings);
      if (taken.size > 0) return { kind: 'render', ...form(ctx, sites, taken) };
      return { kind: 'render', ...review(ctx, sites, settings) };
    }
    // Close: our own directory first, by reserving the names on this submit only (the
    // conditional write is the check, with no read before it): a name another order holds costs
    // no call to Webex.
    const reserved = await reserveAll(ctx, settings);
    if (reserved.errors.size > 0) return { kind: 'render', ...form(ctx, sites, reserved.errors) };
    // Would Webex take these sites? Its findings go beside each site's name, and the names this
    // submit reserved are given back: a refused Close holds none.
    const refused = await precheckMeetings(
      ctx.order,
      settings,
      (i) => names(i).name,
      (message) => t('precheck.webex', { message }),
    );
    if (refused.size > 0) {
      await reserved.giveBack();
      return { kind: 'render', ...form(ctx, sites, refused) };
    }
    return {
      kind: 'submit',
      output: { type: 'meetings', settings },
      details: meetingsDetails(settings),
    };
  },
};
