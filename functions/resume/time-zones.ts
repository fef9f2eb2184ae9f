import { getTimeZones, type TimeZone } from '@vvo/tzdb';
import type { Language } from '../shared/domain/order.schema';
import type { WizardKey, WizardT } from '../shared/i18n/wizard.catalog';
import { currentOffset, timeZoneLabel, timeZoneName } from '../shared/documents/time-zone-names';
import { selectField, type FieldErrors, type SelectGroup } from './forms';
import { markup, type SafeHtml } from './html';

// The time zone picker's data: maintained zones with their main cities (@vvo/tzdb), grouped by
// region, each labelled with its offset now, its cities and its country in the page's language.
// Without JavaScript it is a plain select (type-ahead works on the offset); the page's script adds
// a filter box that finds a zone by city, country, name or offset.

const REGION_KEYS: Record<string, WizardKey> = {
  Africa: 'tz.region.africa',
  'North America': 'tz.region.northAmerica',
  'South America': 'tz.region.southAmerica',
  Antarctica: 'tz.region.antarctica',
  Asia: 'tz.region.asia',
  Europe: 'tz.region.europe',
  Oceania: 'tz.region.oceania',
};
const REGION_ORDER = [...Object.keys(REGION_KEYS), ''];

let zones: TimeZone[] | undefined;
function allZones(): TimeZone[] {
  zones ??= getTimeZones({ includeUtc: true });
  return zones;
}

export { currentOffset } from '../shared/documents/time-zone-names';

function offsetMinutes(offset: string): number {
  const m = /UTC([+-])(\d{2}):(\d{2})/.exec(offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The zones of a country, by ISO code (e.g. RO → Europe/Bucharest). */
export function zonesOfCountry(country: string): string[] {
  return allZones()
    .filter((z) => z.countryCode === country.toUpperCase())
    .map((z) => z.name);
}

/** The zone to pre-select for a country: its only zone, or none when it has several. */
export function onlyZoneOf(country: string | undefined): string | undefined {
  if (!country) return undefined;
  const found = zonesOfCountry(country);
  return found.length === 1 ? found[0] : undefined;
}

/** The same name as the review and done pages and the PDF show, after the offset it has now. */
function label(z: TimeZone, offset: string, lang: Language): string {
  return `(${offset}) · ${timeZoneName(z.name, lang)}`;
}

const cache = new Map<string, SelectGroup[]>();

/**
 * The picker's option groups for the page's language, the offsets as of now. An existing value
 * that is not one of the listed zones (an alias such as Asia/Calcutta) gets an option of its own,
 * so a value the person chose always comes back selected.
 */
export function timeZoneGroups(t: WizardT, lang: Language, value = '', at: Date = new Date()): SelectGroup[] {
  // Offsets change at most every hour or so: one build per language per hour.
  const cacheKey = `${lang}:${Math.floor(at.getTime() / 3_600_000)}`;
  let groups = cache.get(cacheKey);
  if (!groups) {
    cache.clear();
    const byRegion = new Map<string, { value: string; label: string; search: string; minutes: number }[]>();
    for (const z of allZones()) {
      const offset = currentOffset(z.name, at);
      const region = z.continentName in REGION_KEYS ? z.continentName : '';
      const entry = {
        value: z.name,
        label: label(z, offset, lang),
        // What the filter box matches: names in both languages, cities, the zone's own name and group.
        search: [z.name, ...z.group, z.alternativeName, z.countryName, ...z.mainCities].join(' '),
        minutes: offsetMinutes(offset),
      };
      byRegion.set(region, [...(byRegion.get(region) ?? []), entry]);
    }
    groups = REGION_ORDER.filter((r) => byRegion.has(r)).map((r) => ({
      label: t(REGION_KEYS[r] ?? 'tz.region.other'),
      options: (byRegion.get(r) ?? []).sort(
        (a, b) => a.minutes - b.minutes || a.label.localeCompare(b.label, lang),
      ),
    }));
    cache.set(cacheKey, groups);
  }
  const listed = groups.some((g) => g.options.some((o) => o.value === value));
  if (!value || listed) return groups;
  return [
    {
      label: t('tz.region.other'),
      options: [{ value, label: timeZoneLabel(value, lang, at), search: value }],
    },
    ...groups,
  ];
}

/** The time zone select: grouped by region, with a filter box added by the page's script. */
export function timeZoneField(o: {
  t: WizardT;
  lang: Language;
  name: string;
  label: string;
  value: string;
  errors: FieldErrors;
}): SafeHtml {
  return selectField({
    name: o.name,
    label: o.label,
    value: o.value,
    errors: o.errors,
    hint: o.t('meetings.timeZoneHint'),
    placeholder: o.t('tz.choose'),
    options: [],
    groups: timeZoneGroups(o.t, o.lang, o.value),
    extra: markup` data-tz-filter="${o.t('tz.filter')}" data-tz-none="${o.t('tz.noMatch')}"`,
  });
}
