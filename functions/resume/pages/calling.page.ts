import { precheckCalling } from '../precheck';
import { callingDetails } from '../../shared/domain/audit-details';
import {
  ANNOUNCEMENT_LANGUAGES,
  callingSettingsSchema,
  COUNTRY_RULES,
  type CallingSettings,
} from '../../shared/domain/calling.schema';
import {
  collectErrors,
  errorSummary,
  field,
  hiddenAll,
  selectField,
  textField,
  type FieldErrors,
  type FormData,
} from '../forms';
import { lineBreaks, markup, type SafeHtml } from '../html';
import {
  announcementLanguageName,
  callingCountryOptions,
  DEFAULT_ANNOUNCEMENT,
  DEFAULT_TIME_ZONE,
} from '../display';
import { formStart, type ActResult, type Rendered, type StepContext, type StepPage } from '../step-context';
import { onlyZoneOf, timeZoneField } from '../time-zones';
import { addressLines as formatAddress } from '../../shared/documents/address';
import { organizationCountry, serviceIntro, servicePosition } from './service-intro';
import { timeZoneLabel } from '../../shared/documents/time-zone-names';

// Webex Calling: the main location. The address fields depend on the country, so without
// JavaScript the country comes first and the form then shows that country's fields (with
// JavaScript, changing the country re-renders the form the same way).

const FIELDS = [
  'locationName',
  'country',
  'street',
  'city',
  'postalCode',
  'state',
  'timeZone',
  'announcementLanguage',
] as const;
type Values = Record<(typeof FIELDS)[number], string>;

function read(form: FormData): Values {
  return Object.fromEntries(FIELDS.map((f) => [f, field(form, f)])) as Values;
}

const empty = (): Values => Object.fromEntries(FIELDS.map((f) => [f, ''])) as Values;

function stateLabel(ctx: StepContext, country: string): string {
  const { t } = ctx.page;
  const label = COUNTRY_RULES[country]?.stateLabel ?? 'state';
  return t(
    label === 'province' ? 'calling.province' : label === 'county' ? 'calling.county' : 'calling.state',
  );
}

function countryStage(ctx: StepContext, values: Values, errors: FieldErrors): Rendered {
  const { t, lang } = ctx.page;
  return {
    title: t('calling.title'),
    status: errors.size ? 422 : 200,
    body: markup`${errorSummary(t, errors)}${servicePosition(ctx)}
<h1>${t('calling.title')}</h1>
<p class="lead">${t('calling.intro')}</p>
<p>${t('calling.countryFirst')}</p>
${formStart(ctx)}
${textField({ name: 'locationName', label: t('calling.locationName'), value: values.locationName, errors, maxlength: 80 })}
${selectField({ name: 'country', label: t('calling.country'), value: values.country, errors, options: callingCountryOptions(lang), placeholder: t('org.chooseCountry'), autosubmit: 'country' })}
<div class="actions"><button class="btn" type="submit" name="intent" value="country">${t('common.continue')}</button></div>
</form>`,
  };
}

function addressStage(ctx: StepContext, values: Values, errors: FieldErrors): Rendered {
  const { t, lang } = ctx.page;
  const rule = COUNTRY_RULES[values.country];
  const v: Values = {
    ...values,
    timeZone: values.timeZone || onlyZoneOf(values.country) || DEFAULT_TIME_ZONE[values.country] || '',
    announcementLanguage: values.announcementLanguage || DEFAULT_ANNOUNCEMENT[values.country] || '',
  };
  return {
    title: t('calling.title'),
    status: errors.size ? 422 : 200,
    body: markup`${errorSummary(t, errors)}${servicePosition(ctx)}
<h1>${t('calling.title')}</h1>
<p class="lead">${t('calling.intro')}</p>
${formStart(ctx)}
${textField({ name: 'locationName', label: t('calling.locationName'), value: v.locationName, errors, maxlength: 80 })}
${selectField({ name: 'country', label: t('calling.country'), value: v.country, errors, options: callingCountryOptions(lang), autosubmit: 'country', beside: markup`<button class="btn secondary" type="submit" name="intent" value="country">${t('calling.changeCountry')}</button>` })}
${textField({ name: 'street', label: t('calling.street'), value: v.street, errors, autocomplete: 'street-address', maxlength: 200 })}
${textField({ name: 'city', label: t('calling.city'), value: v.city, errors, autocomplete: 'address-level2', maxlength: 100 })}
${rule?.state ? textField({ name: 'state', label: stateLabel(ctx, v.country), value: v.state, errors, autocomplete: 'address-level1', maxlength: 100 }) : ''}
${rule?.postalCode ? textField({ name: 'postalCode', label: t('calling.postalCode'), value: v.postalCode, errors, autocomplete: 'postal-code', maxlength: 20 }) : ''}
${timeZoneField({ t, lang, name: 'timeZone', label: t('calling.timeZone'), value: v.timeZone, errors })}
${selectField({
  name: 'announcementLanguage',
  label: t('calling.announcementLanguage'),
  value: v.announcementLanguage,
  errors,
  placeholder: t('calling.chooseLanguage'),
  options: ANNOUNCEMENT_LANGUAGES.map((l) => ({ value: l, label: announcementLanguageName(l, lang) })),
})}
<div class="actions"><button class="btn" type="submit" name="intent" value="review">${t('common.next')}</button></div>
</form>`,
  };
}

function toLocation(values: Values): unknown {
  const rule = COUNTRY_RULES[values.country];
  return {
    location: {
      ...values,
      // Fields the country does not use are not sent (the schema would keep empty strings).
      postalCode: rule?.postalCode && values.postalCode.trim() ? values.postalCode : undefined,
      state: rule?.state && values.state.trim() ? values.state : undefined,
      timeZone: values.timeZone.trim(),
    },
  };
}

function addressLines(ctx: StepContext, s: CallingSettings): SafeHtml {
  return lineBreaks(formatAddress(s.location, ctx.page.lang));
}

function review(ctx: StepContext, values: Values, settings: CallingSettings): Rendered {
  const { t, lang } = ctx.page;
  const l = settings.location;
  return {
    title: t('calling.reviewTitle'),
    body: markup`${servicePosition(ctx)}<h1>${t('calling.reviewTitle')}</h1>
<p class="lead">${t('calling.reviewIntro')}</p>
<div class="org"><h2>${l.locationName}</h2><dl class="facts">
  <dt>${t('calling.address')}</dt><dd>${addressLines(ctx, settings)}</dd>
  <dt>${t('calling.timeZone')}</dt><dd>${timeZoneLabel(l.timeZone, lang)}</dd>
  <dt>${t('calling.announcementLanguage')}</dt><dd>${announcementLanguageName(l.announcementLanguage, lang)}</dd>
</dl></div>
${formStart(ctx)}${hiddenAll(values)}
<div class="actions">
  <button class="btn" type="submit" name="intent" value="confirm" aria-describedby="close-hint">${t('common.close')}</button>
  <span class="hint close-hint" id="close-hint">${t('review.closeHint')}</span>
  <button class="btn secondary" type="submit" name="intent" value="edit">${t('common.change')}</button>
</div>
</form>`,
  };
}

export const callingPage: StepPage = {
  async render(ctx) {
    return serviceIntro(ctx);
  },

  async act(ctx, form): Promise<ActResult> {
    const { t } = ctx.page;
    const intent = field(form, 'intent');
    if (intent === 'start') {
      // The location's country starts as the organization's (as Meetings starts from its time zone).
      const country = await organizationCountry(ctx);
      const known = country !== undefined && country in COUNTRY_RULES;
      return {
        kind: 'render',
        ...countryStage(ctx, { ...empty(), country: known ? country : '' }, new Map()),
      };
    }
    const values = read(form);
    if (!(values.country in COUNTRY_RULES)) {
      const errors: FieldErrors = new Map([
        ['country', t(values.country ? 'error.country' : 'error.choose')],
      ]);
      return { kind: 'render', ...countryStage(ctx, values, errors) };
    }
    if (intent === 'country') {
      // A new country brings its own defaults.
      return {
        kind: 'render',
        ...addressStage(ctx, { ...values, timeZone: '', announcementLanguage: '' }, new Map()),
      };
    }
    if (intent === 'edit') return { kind: 'render', ...addressStage(ctx, values, new Map()) };
    if (intent !== 'review' && intent !== 'confirm')
      return { kind: 'render', ...addressStage(ctx, values, new Map()) };
    const parsed = callingSettingsSchema.safeParse(toLocation(values));
    if (!parsed.success) {
      const errors = collectErrors(t, parsed.error, (path) =>
        path[0] === 'location' ? String(path[1] ?? '') : undefined,
      );
      return { kind: 'render', ...addressStage(ctx, values, errors) };
    }
    if (intent === 'review') return { kind: 'render', ...review(ctx, values, parsed.data) };
    // Before Close: would Webex take this location? Its findings go beside the fields it names.
    const refused = await precheckCalling(ctx.order, parsed.data, (message) =>
      t('precheck.webex', { message }),
    );
    if (refused.size > 0) return { kind: 'render', ...addressStage(ctx, values, refused) };
    const l = parsed.data.location;
    return {
      kind: 'submit',
      output: { type: 'calling', settings: parsed.data },
      details: callingDetails(l),
    };
  },
};
