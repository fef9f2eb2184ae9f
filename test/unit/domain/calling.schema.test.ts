import { describe, expect, it } from 'vitest';
import {
  CALLING_COUNTRIES,
  callingLocationSchema,
  type CallingLocation,
} from '../../../functions/shared/domain/calling.schema';

function location(overrides: Partial<CallingLocation> = {}): Record<string, unknown> {
  return {
    locationName: 'Headquarters',
    country: 'US',
    street: '100 Main Street',
    city: 'Springfield',
    postalCode: '62701',
    state: 'IL',
    timeZone: 'America/Chicago',
    announcementLanguage: 'en_us',
    ...overrides,
  };
}

function issues(value: Record<string, unknown>): Record<string, string> {
  const result = callingLocationSchema.safeParse(value);
  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('Calling location: address fields per country', () => {
  it('accepts a complete US address, with ZIP and ZIP+4', () => {
    expect(issues(location())).toEqual({});
    expect(issues(location({ postalCode: '62701-1234' }))).toEqual({});
  });

  it('requires a state in the US', () => {
    expect(issues(location({ state: undefined }))).toEqual({ state: 'is required' });
  });

  it.each(['6270', '627011', 'ABCDE', '62701-12'])('rejects the US ZIP code %s', (zip) => {
    expect(issues(location({ postalCode: zip }))).toEqual({
      postalCode: 'is not a valid postal code for this country',
    });
  });

  it('requires a postal code in the US', () => {
    expect(issues(location({ postalCode: undefined }))).toEqual({ postalCode: 'is required' });
  });

  it('accepts a Romanian address with its county and 6-digit postal code', () => {
    const ro = location({
      country: 'RO',
      street: 'Strada Ștefan cel Mare 12',
      city: 'Iași',
      postalCode: '700259',
      state: 'Iași',
      timeZone: 'Europe/Bucharest',
      announcementLanguage: 'ro_ro',
    });

    expect(issues(ro)).toEqual({});
  });

  it('requires the county in Romania and six digits in its postal code', () => {
    const ro = location({
      country: 'RO',
      postalCode: '70025',
      state: undefined,
      timeZone: 'Europe/Bucharest',
    });

    expect(issues(ro)).toEqual({
      postalCode: 'is not a valid postal code for this country',
      state: 'is required',
    });
  });

  it('needs no state in Great Britain and checks its postcode format', () => {
    const gb = location({
      country: 'GB',
      state: undefined,
      postalCode: 'SW1A 1AA',
      timeZone: 'Europe/London',
    });

    expect(issues(gb)).toEqual({});
    expect(issues({ ...gb, postalCode: '12345' })).toEqual({
      postalCode: 'is not a valid postal code for this country',
    });
  });

  it('needs no postal code in Hong Kong', () => {
    const hk = location({
      country: 'HK',
      state: undefined,
      postalCode: undefined,
      timeZone: 'Asia/Hong_Kong',
    });

    expect(issues(hk)).toEqual({});
  });

  it('rejects a country that is not offered', () => {
    expect(issues(location({ country: 'ZZ' }))).toEqual({
      country: 'must be one of the supported countries',
    });
  });

  it('requires street, city and location name everywhere', () => {
    const result = issues(location({ street: ' ', city: '', locationName: '' }));

    expect(result).toMatchObject({ street: 'is required', city: 'is required', locationName: 'is required' });
  });

  it('rejects an announcement language that is not offered', () => {
    expect(Object.keys(issues(location({ announcementLanguage: 'xx_yy' as 'en_us' })))).toEqual([
      'announcementLanguage',
    ]);
  });

  it('offers the countries of the source guide (US, RO) among others', () => {
    expect(CALLING_COUNTRIES).toEqual(expect.arrayContaining(['US', 'RO', 'GB', 'HK', 'CA']));
  });
});
