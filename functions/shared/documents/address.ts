import addressFormatter from '@fragaria/address-formatter';
import type { CallingLocation } from '../domain/calling.schema';
import type { Language } from '../domain/order.schema';
import { countryName } from './format';

// Addresses, in a module of their own: the address templates weigh about 240 KB, so only the
// code that shows an address (the setup pages, the PDF) bundles them, not every emailing step.

/**
 * An address as its country writes it (OpenCage's address templates, through
 * @fragaria/address-formatter), one line per entry, the country named in the reader's language:
 * "350 Fifth Avenue / New York, NY 10118 / United States", "Str. Ștefan cel Mare 1 / 700001 Iași / România".
 */
export function addressLines(
  location: Pick<CallingLocation, 'street' | 'city' | 'postalCode' | 'state' | 'country'>,
  language: Language,
): string[] {
  const lines = addressFormatter.format(
    {
      road: location.street,
      city: location.city,
      postcode: location.postalCode,
      state: location.state,
      countryCode: location.country,
      country: countryName(location.country, language),
    },
    { output: 'array', appendCountry: true },
  );
  // Some templates leave the state out (Romania's county): what the person entered still shows,
  // on its own line above the country.
  const state = location.state?.trim();
  if (state && !lines.some((line) => line.includes(state))) lines.splice(-1, 0, state);
  return lines;
}

/** The same address on one line (audit trails, tables). */
export function addressLine(
  location: Pick<CallingLocation, 'street' | 'city' | 'postalCode' | 'state' | 'country'>,
  language: Language,
): string {
  return addressLines(location, language).join(', ');
}
