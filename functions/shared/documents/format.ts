import type { Language } from '../domain/order.schema';

// Formatting shared by the emails and the PDF. Everything here is pure and deterministic:
// dates are shown in UTC (the documents must not depend on the machine's time zone).

const LOCALES: Record<Language, string> = { en: 'en-GB', ro: 'ro-RO' };

export function locale(language: Language): string {
  return LOCALES[language];
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export class InvalidLinkError extends Error {
  override name = 'InvalidLinkError';
}

/** Links in documents must be absolute http(s) URLs: a relative link is dead in a mail client. */
export function absoluteUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidLinkError(`Not an absolute URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidLinkError(`Not an http(s) URL: "${value}"`);
  }
  return url.toString();
}

const formatterCache = new Map<
  Language,
  {
    day: Intl.DateTimeFormat;
    time: Intl.DateTimeFormat;
    number: Intl.NumberFormat;
    region: Intl.DisplayNames;
    language: Intl.DisplayNames;
  }
>();

/**
 * The Intl formatters, built once per language and kind: building one costs more than formatting
 * with it, and a summary formats a few hundred values.
 */
function formatters(language: Language) {
  let f = formatterCache.get(language);
  if (!f) {
    const l = locale(language);
    f = {
      day: new Intl.DateTimeFormat(l, { dateStyle: 'long', timeZone: 'UTC' }),
      time: new Intl.DateTimeFormat(l, {
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: 'UTC',
      }),
      number: new Intl.NumberFormat(l),
      region: new Intl.DisplayNames([l], { type: 'region' }),
      language: new Intl.DisplayNames([l], { type: 'language' }),
    };
    formatterCache.set(language, f);
  }
  return f;
}

/** "25 November 2026, 10:05 UTC" / "25 noiembrie 2026, 10:05 UTC". */
export function formatDateTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const { day, time } = formatters(language);
  return `${day.format(date)}, ${time.format(date)} UTC`;
}

/** "25 November 2026" / "25 noiembrie 2026". */
export function formatDate(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatters(language).day.format(date);
}

/** Compact timestamp for tables: "2026-11-25 10:05 UTC" (the same in every language). */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatNumber(value: number, language: Language): string {
  return formatters(language).number.format(value);
}

export function countryName(code: string, language: Language): string {
  try {
    return formatters(language).region.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Webex Calling announcement language codes (`en_us`) as language names: "American English", "Engleză (Statele Unite ale Americii)". */
export function languageName(code: string, language: Language): string {
  try {
    const label =
      formatters(language).language.of(
        code.replace('_', '-').replace(/-([a-z]{2})$/, (_, r: string) => `-${r.toUpperCase()}`),
      ) ?? code;
    return label.charAt(0).toLocaleUpperCase(locale(language)) + label.slice(1);
  } catch {
    return code;
  }
}
