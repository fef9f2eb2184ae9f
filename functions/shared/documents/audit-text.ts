import type { AuditEntry } from '../domain/audit.schema';
import { ADDRESS_DETAILS, SITE_DETAIL } from '../domain/audit-details';
import { siteUrl } from '../domain/meetings.schema';
import type { Language } from '../domain/order.schema';
import { pdfCatalogs, type PdfMessageKey } from '../i18n/pdf.catalog';
import { translator, type Vars } from '../i18n/translate';
import { addressLine } from './address';
import { countryName, languageName } from './format';
import { timeZoneName } from './time-zone-names';

// Audit entries in words, in the reader's language, at the time they are shown: the same labels
// and display values as the pages (countries and verticals by name, an address as its country
// writes it, "site 1: acme.webex.com · Europe/Bucharest · 25 licenses"). Used by the PDF (the
// contact's language) and the ops view (English). Entries recorded before codes were stored
// show their words as recorded.

type T = (key: PdfMessageKey, vars?: Vars) => string;

/** Long free text (failure causes) is cut so one line can never fill a page. */
const MAX_DETAIL_CHARS = 300;

function known(key: string): key is PdfMessageKey {
  return key in pdfCatalogs.en;
}

function translatedOrRaw(t: T, key: string, raw: string): string {
  return known(key) ? t(key) : raw;
}

function shown(t: T, name: string, value: string | number | boolean, language: Language): string {
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  const text = String(value);
  switch (name) {
    case 'country':
      return /^[A-Z]{2}$/.test(text) ? countryName(text, language) : text;
    case 'announcementLanguage':
      return languageName(text, language);
    case 'timeZone':
      return timeZoneName(text, language);
    case 'choice':
      return translatedOrRaw(t, `orderFor.${text}`, text);
    case 'businessVertical':
      return translatedOrRaw(t, `vertical.${text}`, text);
    case 'outcome':
      return translatedOrRaw(t, `outcome.${text}`, text);
    case 'service':
      return translatedOrRaw(t, `service.${text}`, text);
    case 'services':
      // "meetings × 10, calling × 5" as the intake records it: each service by its name.
      return text.replace(/\b(meetings|calling)\b/g, (type) => translatedOrRaw(t, `service.${type}`, type));
    case 'step':
      return translatedOrRaw(t, `step.${text}`, text);
    case 'job':
      return translatedOrRaw(t, `job.${text}`, text);
    case 'role':
      return translatedOrRaw(t, `assignee.${text}`, text);
    default:
      return text.replace(/\s+/g, ' ');
  }
}

function cut(text: string): string {
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

/** The entry's facts as "label: value" parts, in `language`. */
export function auditDetailParts(
  details: AuditEntry['details'],
  language: Language,
  t: T = translator(pdfCatalogs, language),
): string[] {
  const parts: string[] = [];
  const sites = new Map<
    number,
    Partial<Record<'name' | 'TimeZone' | 'Licenses' | 'EarlyRelease', unknown>>
  >();
  const hasAddress = typeof details.street === 'string' && typeof details.country === 'string';
  for (const [name, value] of Object.entries(details)) {
    const site = SITE_DETAIL.exec(name);
    if (site) {
      const n = Number(site[1]);
      sites.set(n, { ...sites.get(n), [site[2] ?? 'name']: value });
      continue;
    }
    if (hasAddress && ((ADDRESS_DETAILS as readonly string[]).includes(name) || name === 'country')) {
      if (name !== 'street') continue;
      const address = addressLine(
        {
          street: String(details.street),
          city: String(details.city ?? ''),
          postalCode: details.postalCode === undefined ? undefined : String(details.postalCode),
          state: details.state === undefined ? undefined : String(details.state),
          country: String(details.country),
        },
        language,
      );
      parts.push(`${t('detail.address')}: ${address}`);
      continue;
    }
    parts.push(`${translatedOrRaw(t, `detail.${name}`, name)}: ${cut(shown(t, name, value, language))}`);
  }
  for (const [n, s] of [...sites].sort((a, b) => a[0] - b[0])) {
    const facts = [
      typeof s.name === 'string' ? siteUrl(s.name) : '',
      typeof s.TimeZone === 'string' ? timeZoneName(s.TimeZone, language) : '',
      typeof s.Licenses === 'number' ? t('detail.licensesCount', { count: s.Licenses }) : '',
      s.EarlyRelease === true ? t('detail.earlyRelease') : '',
    ].filter(Boolean);
    parts.push(`${t('detail.site', { n })}: ${facts.join(' · ')}`);
  }
  return parts;
}

/** The action in `language` (as recorded when it is not one the catalog knows). */
export function auditActionText(
  action: string,
  language: Language,
  t: T = translator(pdfCatalogs, language),
) {
  return translatedOrRaw(t, `action.${action}`, action);
}
