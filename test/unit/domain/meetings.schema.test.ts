import { describe, expect, it } from 'vitest';
import {
  meetingsSettingsFor,
  siteNameSchema,
  siteUrl,
  timeZoneSchema,
  type MeetingsSite,
} from '../../../functions/shared/domain/meetings.schema';

function site(overrides: Partial<MeetingsSite> = {}): MeetingsSite {
  return { siteName: 'acme', timeZone: 'Europe/Bucharest', earlyRelease: false, licenses: 10, ...overrides };
}

function messagesAt(result: ReturnType<ReturnType<typeof meetingsSettingsFor>['safeParse']>, path: string) {
  return result.success
    ? []
    : result.error.issues.filter((i) => i.path.join('.') === path).map((i) => i.message);
}

describe('Meetings site name', () => {
  it.each(['acme', 'acme-ro', 'a1b', 'x'.repeat(40), 'team-2026'])('accepts %s', (name) => {
    expect(siteNameSchema.parse(name)).toBe(name);
  });

  it('lowercases and trims what the person typed', () => {
    expect(siteNameSchema.parse('  Acme-RO ')).toBe('acme-ro');
  });

  it.each([
    ['too short', 'ab', 'must be at least 3 characters'],
    ['too long', 'x'.repeat(41), 'must be at most 40 characters'],
    ['with a dot', 'acme.ro', 'may contain only lowercase letters, digits and hyphens'],
    ['with an underscore', 'acme_ro', 'may contain only lowercase letters, digits and hyphens'],
    ['with a diacritic', 'brașov', 'may contain only lowercase letters, digits and hyphens'],
    ['starting with a hyphen', '-acme', 'must start and end with a letter or digit'],
    ['ending with a hyphen', 'acme-', 'must start and end with a letter or digit'],
    ['with two hyphens in a row', 'ac--me', 'must not contain two hyphens in a row'],
  ])('rejects a name %s', (_what, name, message) => {
    const result = siteNameSchema.safeParse(name);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain(message);
  });

  it('builds the site URL', () => {
    expect(siteUrl('acme')).toBe('acme.webex.com');
  });
});

describe('time zone', () => {
  it.each(['Europe/Bucharest', 'America/New_York', 'UTC', 'Asia/Hong_Kong'])('accepts %s', (tz) => {
    expect(timeZoneSchema.safeParse(tz).success).toBe(true);
  });

  it.each(['Asia/Kolkata', 'Europe/Kyiv', 'America/Nuuk', 'Asia/Ho_Chi_Minh', 'Etc/UTC'])(
    'accepts the current IANA name %s (ICU may list an older alias)',
    (tz) => {
      expect(timeZoneSchema.safeParse(tz).success).toBe(true);
    },
  );

  it.each(['Europe/Atlantis', 'GMT+2', 'bucharest', 'europe/bucharest', '+02:00', ''])('rejects %s', (tz) => {
    const result = timeZoneSchema.safeParse(tz);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be an IANA time zone');
  });
});

describe('Meetings settings for a purchase', () => {
  it('accepts one site holding every license', () => {
    const result = meetingsSettingsFor(50).safeParse({ sites: [site({ licenses: 50 })] });

    expect(result.success).toBe(true);
  });

  it('accepts a split over several sites that adds up to the purchase', () => {
    const sites = [site({ siteName: 'acme', licenses: 30 }), site({ siteName: 'acme-ro', licenses: 20 })];

    expect(meetingsSettingsFor(50).safeParse({ sites }).success).toBe(true);
  });

  it('rejects a split that does not add up, saying what it should be', () => {
    const sites = [site({ siteName: 'acme', licenses: 30 }), site({ siteName: 'acme-ro', licenses: 10 })];

    const result = meetingsSettingsFor(50).safeParse({ sites });

    expect(messagesAt(result, 'sites')).toEqual(['licenses must add up to 50 (now 40)']);
  });

  it('rejects more licenses than were bought', () => {
    const result = meetingsSettingsFor(5).safeParse({ sites: [site({ licenses: 6 })] });

    expect(messagesAt(result, 'sites')).toEqual(['licenses must add up to 5 (now 6)']);
  });

  it('rejects a site without licenses, naming that site', () => {
    const sites = [site({ siteName: 'acme', licenses: 50 }), site({ siteName: 'acme-ro', licenses: 0 })];

    const result = meetingsSettingsFor(50).safeParse({ sites });

    expect(messagesAt(result, 'sites.1.licenses')).toEqual(['each site needs at least one license']);
  });

  it('rejects the same site name twice, naming the second one', () => {
    const sites = [site({ siteName: 'acme', licenses: 25 }), site({ siteName: 'ACME', licenses: 25 })];

    const result = meetingsSettingsFor(50).safeParse({ sites });

    expect(messagesAt(result, 'sites.1.siteName')).toEqual(['is used by another site in this order']);
  });

  it('rejects no sites at all and more than 20', () => {
    const many = Array.from({ length: 21 }, (_, i) => site({ siteName: `site-${i}`, licenses: 1 }));

    expect(meetingsSettingsFor(1).safeParse({ sites: [] }).success).toBe(false);
    expect(meetingsSettingsFor(21).safeParse({ sites: many }).success).toBe(false);
  });

  it('rejects a bad time zone on one site, naming the field', () => {
    const result = meetingsSettingsFor(10).safeParse({ sites: [site({ timeZone: 'Mars/Olympus' })] });

    expect(messagesAt(result, 'sites.0.timeZone')).toEqual(['must be an IANA time zone']);
  });
});
