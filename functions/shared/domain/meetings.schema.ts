import * as z from 'zod';
import { singleLineText } from './text.schema';

// Webex Meetings: one or more sites (<name>.webex.com), licenses split over them.

export const SITE_NAME_MIN = 3;
export const SITE_NAME_MAX = 40;
export const SITE_DOMAIN_SUFFIX = '.webex.com';
export const MAX_SITES = 20;

export const siteNameSchema = singleLineText()
  .toLowerCase()
  .min(SITE_NAME_MIN, `must be at least ${SITE_NAME_MIN} characters`)
  .max(SITE_NAME_MAX, `must be at most ${SITE_NAME_MAX} characters`)
  .regex(/^[a-z0-9-]+$/, 'may contain only lowercase letters, digits and hyphens')
  .regex(/^[a-z0-9].*[a-z0-9]$/, 'must start and end with a letter or digit')
  .refine((s) => !s.includes('--'), 'must not contain two hyphens in a row');

/** Every IANA zone this runtime knows (Node ships the full tz database with ICU). */
export const TIME_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');
const timeZoneSet = new Set([...TIME_ZONES, 'UTC']);
const IANA_NAME = /^(?:[A-Z][A-Za-z_-]*(?:\/[A-Za-z0-9_+-]+)+|UTC)$/;

/**
 * ICU lists its canonical ids, which are often older aliases (Asia/Calcutta, Europe/Kiev): the
 * current IANA names (Asia/Kolkata, Europe/Kyiv) are valid too, when written as IANA spells them.
 */
function isTimeZone(tz: string): boolean {
  if (timeZoneSet.has(tz)) return true;
  if (!IANA_NAME.test(tz)) return false;
  try {
    return timeZoneSet.has(new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}
export const timeZoneSchema = z.string().refine(isTimeZone, 'must be an IANA time zone');

export const meetingsSiteSchema = z.object({
  siteName: siteNameSchema,
  timeZone: timeZoneSchema,
  earlyRelease: z.boolean(),
  licenses: z.number().int().min(1, 'each site needs at least one license'),
});
export type MeetingsSite = z.infer<typeof meetingsSiteSchema>;

export const meetingsSettingsSchema = z.object({
  sites: z.array(meetingsSiteSchema).min(1).max(MAX_SITES),
});
export type MeetingsSettings = z.infer<typeof meetingsSettingsSchema>;

export function siteUrl(siteName: string): string {
  return `${siteName}${SITE_DOMAIN_SUFFIX}`;
}

/** The settings, checked against the purchase: unique names and a license split that adds up. */
export function meetingsSettingsFor(quantity: number) {
  return meetingsSettingsSchema.superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.sites.forEach((site, i) => {
      if (seen.has(site.siteName)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', i, 'siteName'],
          message: 'is used by another site in this order',
        });
      }
      seen.add(site.siteName);
    });
    const total = value.sites.reduce((sum, s) => sum + s.licenses, 0);
    if (total !== quantity) {
      ctx.addIssue({
        code: 'custom',
        path: ['sites'],
        message: `licenses must add up to ${quantity} (now ${total})`,
      });
    }
  });
}
