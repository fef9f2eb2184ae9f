import { getTimeZones, type TimeZone } from '@vvo/tzdb';
import type { Language } from '../domain/order.schema';
import { countryName } from './format';

// A time zone's name as people read it, the same on the form, the review and done pages, the
// order summary PDF and the audit trail: its main cities and its country ("Bucharest, Iași,
// Constanța · Romania"), never the raw id (Europe/Bucharest). The form puts the zone's offset now
// in front of it; documents leave the offset out (they must not depend on when they are made).

let byName: Map<string, TimeZone> | undefined;

/** Every maintained zone, with aliases (Asia/Calcutta) pointing to their zone. */
function zones(): Map<string, TimeZone> {
  if (!byName) {
    byName = new Map();
    for (const z of getTimeZones({ includeUtc: true })) {
      for (const name of [...z.group].reverse()) byName.set(name, z);
      byName.set(z.name, z);
    }
  }
  return byName;
}

/** Romanian and Moldovan names are written with comma-below ș and ț (the data has the cedillas ş, ţ). */
const COMMA_BELOW: Record<string, string> = { ş: 'ș', ţ: 'ț', Ş: 'Ș', Ţ: 'Ț' };
const ROMANIAN_SPEAKING = new Set(['RO', 'MD']);

/**
 * Up to three main cities, as many as keep the whole name (cities and country) short enough to
 * read on one line of the form's select at desktop width; at least one.
 */
const MAX_CITIES = 3;
const MAX_NAME_CHARS = 50;

function cityNames(z: TimeZone, country: string): string[] {
  const cities: string[] = [];
  for (const city of z.mainCities.filter(Boolean)) {
    if (cities.length === MAX_CITIES) break;
    const name = [[...cities, city].join(', '), country].filter(Boolean).join(' · ');
    if (cities.length > 0 && name.length > MAX_NAME_CHARS) break;
    cities.push(city);
  }
  return ROMANIAN_SPEAKING.has(z.countryCode)
    ? cities.map((c) => c.replace(/[şţŞŢ]/g, (ch) => COMMA_BELOW[ch] ?? ch))
    : cities;
}

/** "Bucharest, Iași, Constanța · Romania"; an id the data does not know is shown as it is. */
export function timeZoneName(zone: string, language: Language): string {
  const z = zones().get(zone);
  if (!z) return zone;
  const country = z.countryCode ? countryName(z.countryCode, language) : '';
  const cities = cityNames(z, country).join(', ') || z.alternativeName;
  return [cities, country].filter(Boolean).join(' · ');
}

/** "UTC+02:00" for a zone at `at` (the offset it has then, daylight saving included). */
export function currentOffset(zone: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (!part || part === 'GMT') return 'UTC+00:00';
    return part.replace('GMT', 'UTC');
  } catch {
    return '';
  }
}

/** The form's label: "(UTC+02:00) · Bucharest, Iași, Constanța · Romania". */
export function timeZoneLabel(zone: string, language: Language, at: Date = new Date()): string {
  const offset = currentOffset(zone, at);
  return [offset ? `(${offset})` : '', timeZoneName(zone, language)].filter(Boolean).join(' · ');
}
