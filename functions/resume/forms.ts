import type * as z from 'zod';
import type { WizardT } from '../shared/i18n/wizard.catalog';
import { flag, markup, type SafeHtml } from './html';

// Form posts: parsing, mapping the shared zod schemas' issues to translated messages beside
// each field, and the accessible field markup every page uses.

export type FormData = URLSearchParams;

export function parseForm(body: string): FormData {
  return new URLSearchParams(body);
}

/** A field's value as typed, trimmed of nothing (shown back exactly as the person typed it). */
export function field(form: FormData, name: string): string {
  return form.get(name) ?? '';
}

/** Field name → translated message, in the order the fields appear. */
export type FieldErrors = Map<string, string>;

/**
 * A schema issue in the contact's language. The schemas' own messages are English sentences;
 * the known ones map to catalog entries, and anything else gets a message by its kind.
 */
export function issueMessage(t: WizardT, issue: z.core.$ZodIssue): string {
  const message = issue.message;
  if (message.includes('valid email')) return t('error.email');
  if (message.includes('control characters')) return t('error.controlChars');
  if (message.includes('lowercase letters, digits and hyphens')) return t('error.siteChars');
  if (message.includes('start and end with a letter')) return t('error.siteEnds');
  if (message.includes('two hyphens')) return t('error.siteDoubleHyphen');
  if (message.includes('IANA time zone')) return t('error.timeZone');
  if (message.includes('at least one license')) return t('error.licenseMin');
  if (message.includes('used by another site')) return t('error.siteDuplicate');
  if (message.includes('valid postal code')) return t('error.postalCode');
  if (message.includes('supported countries') || message.includes('alpha-2')) return t('error.country');
  if (message.includes('domain name')) return t('error.domain');
  if (message === 'is required') return t('error.required');
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? t('error.required')
          : t('error.tooShort', { min: Number(issue.minimum) });
      }
      return issue.origin === 'number' ? t('error.licenseMin') : t('error.invalid');
    case 'too_big':
      return issue.origin === 'string'
        ? t('error.tooLong', { max: Number(issue.maximum) })
        : t('error.invalid');
    case 'invalid_value':
      return t('error.choose');
    case 'invalid_type':
      return issue.expected === 'number' ? t('error.number') : t('error.required');
    default:
      return t('error.invalid');
  }
}

/** Collects the issues of a failed parse: `nameOf` turns an issue path into the form field's name. */
export function collectErrors(
  t: WizardT,
  error: z.ZodError,
  nameOf: (path: readonly PropertyKey[]) => string | undefined,
  into: FieldErrors = new Map(),
): FieldErrors {
  for (const issue of error.issues) {
    const name = nameOf(issue.path);
    if (name && !into.has(name)) into.set(name, issueMessage(t, issue));
  }
  return into;
}

/** Element ids: field names are already safe ([a-z0-9_-]); keep ids predictable for labels. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export function errorSummary(t: WizardT, errors: FieldErrors, labels: Record<string, string> = {}): SafeHtml {
  if (errors.size === 0) return markup``;
  return markup`<div
    class="error-summary"
    role="alert"
    aria-labelledby="error-summary-title"
    tabindex="-1"
    id="error-summary"
  >
    <h2 id="error-summary-title">${t('errors.summaryTitle')}</h2>
    <p>${t('errors.summaryIntro')}</p>
    <ul>
      ${[...errors].map(
        ([name, message]) =>
          markup`<li><a href="#${fieldId(name)}">${labels[name] ? `${labels[name]}: ` : ''}${message}</a></li>`,
      )}
    </ul>
  </div>`;
}

function describedBy(name: string, hint: boolean, error: boolean): SafeHtml {
  const ids = [hint ? `${fieldId(name)}-hint` : '', error ? `${fieldId(name)}-error` : ''].filter(Boolean);
  return ids.length ? markup` aria-describedby="${ids.join(' ')}"` : markup``;
}

function hintAndError(name: string, hint: string | undefined, error: string | undefined): SafeHtml {
  return markup`${hint ? markup`<span class="hint" id="${fieldId(name)}-hint">${hint}</span>` : ''}${
    error ? markup`<span class="error-msg" id="${fieldId(name)}-error">${error}</span>` : ''
  }`;
}

export interface TextFieldOptions {
  name: string;
  label: string;
  value: string;
  errors: FieldErrors;
  hint?: string;
  type?: 'text' | 'email' | 'number';
  autocomplete?: string;
  suffix?: string;
  list?: string;
  inputmode?: 'numeric' | 'email' | 'text';
  required?: boolean;
  extra?: SafeHtml;
  spellcheck?: boolean;
  maxlength?: number;
}

export function textField(o: TextFieldOptions): SafeHtml {
  const error = o.errors.get(o.name);
  const input = markup`<input
    type="${o.type ?? 'text'}"
    id="${fieldId(o.name)}"
    name="${o.name}"
    value="${o.value}"
    ${
      o.autocomplete ? markup` autocomplete="${o.autocomplete}"` : ''
    }${o.list ? markup` list="${o.list}"` : ''}${o.inputmode ? markup` inputmode="${o.inputmode}"` : ''}${
      o.maxlength ? markup` maxlength="${o.maxlength}"` : ''
    }${o.spellcheck === false ? markup` spellcheck="false" autocapitalize="none"` : ''}${flag('required', o.required)}${
      error ? markup` aria-invalid="true"` : ''
    }${describedBy(o.name, !!o.hint, !!error)}${o.extra ?? ''}
  />`;
  return markup`<div class="field${error ? ' invalid' : ''}">
    <label class="lbl" for="${fieldId(o.name)}">${o.label}</label>
    ${hintAndError(o.name, o.hint, error)}
    ${o.suffix ? markup`<div class="suffix-wrap">${input}<span class="suffix" aria-hidden="true">${o.suffix}</span></div>` : input}
  </div>`;
}

export interface SelectOption {
  value: string;
  label: string;
  /** Extra words the page's filter box matches (the time zone picker). */
  search?: string;
}

/** Options under a heading (`<optgroup>`). */
export interface SelectGroup {
  label: string;
  options: readonly SelectOption[];
}

export interface SelectFieldOptions {
  name: string;
  label: string;
  value: string;
  errors: FieldErrors;
  options: readonly SelectOption[];
  groups?: readonly SelectGroup[];
  /** Attributes for the page's script (e.g. the filter box's label). */
  extra?: SafeHtml;
  /** A control beside the select (a button), under the full-width label. */
  beside?: SafeHtml;
  placeholder?: string;
  hint?: string;
  required?: boolean;
  /** With JS, choosing a value clicks the submit button with this intent (e.g. show the country's fields). */
  autosubmit?: string;
}

function option(o: SelectOption, value: string): SafeHtml {
  return markup`<option value="${o.value}" ${flag('selected', o.value === value)}${
    o.search ? markup` data-search="${o.search}"` : ''
  }>${o.label}</option>`;
}

export function selectField(o: SelectFieldOptions): SafeHtml {
  const error = o.errors.get(o.name);
  const select = markup`<select
      id="${fieldId(o.name)}"
      name="${o.name}"
      ${flag('required', o.required)}${error ? markup` aria-invalid="true"` : ''}${describedBy(
        o.name,
        !!o.hint,
        !!error,
      )}${o.autosubmit ? markup` data-autosubmit="${o.autosubmit}"` : ''}${o.extra ?? ''}
    >
      ${o.placeholder !== undefined ? markup`<option value="">${o.placeholder}</option>` : ''}
      ${o.options.map((opt) => option(opt, o.value))}
      ${(o.groups ?? []).map(
        (g) =>
          markup`<optgroup label="${g.label}">${g.options.map((opt) => option(opt, o.value))}</optgroup>`,
      )}
    </select>`;
  return markup`<div class="field${error ? ' invalid' : ''}">
    <label class="lbl" for="${fieldId(o.name)}">${o.label}</label>
    ${hintAndError(o.name, o.hint, error)}
    ${o.beside ? markup`<div class="inline-control">${select}${o.beside}</div>` : select}
  </div>`;
}

export function checkboxField(o: { name: string; label: string; checked: boolean; hint?: string }): SafeHtml {
  return markup`<div class="choice">
    <input
      type="checkbox"
      id="${fieldId(o.name)}"
      name="${o.name}"
      value="yes"
      ${flag('checked', o.checked)}${describedBy(o.name, !!o.hint, false)}
    />
    <div>
      <label for="${fieldId(o.name)}">${o.label}</label>${
        o.hint ? markup`<span class="hint" id="${fieldId(o.name)}-hint">${o.hint}</span>` : ''
      }
    </div>
  </div>`;
}

export function hidden(name: string, value: string | number): SafeHtml {
  return markup`<input type="hidden" name="${name}" value="${String(value)}" />`;
}

export function hiddenAll(values: Record<string, string | number | undefined>): SafeHtml {
  return markup`${Object.entries(values)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => hidden(k, v))}`;
}
