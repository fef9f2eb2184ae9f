import * as z from 'zod';
import { timeZoneSchema } from './meetings.schema';
import { singleLineText } from './text.schema';

// Webex Calling: the main (headquarters) location. The address fields a country needs differ.

export interface CountryRule {
  /** Postal code required, with its format when the country has a fixed one. */
  postalCode: RegExp | null;
  /** State / province / county required. */
  state: boolean;
  stateLabel?: 'state' | 'province' | 'county';
}

/** Countries offered, with what their addresses need. ISO 3166-1 alpha-2. */
export const COUNTRY_RULES: Record<string, CountryRule> = {
  US: { postalCode: /^\d{5}(-\d{4})?$/, state: true, stateLabel: 'state' },
  CA: { postalCode: /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, state: true, stateLabel: 'province' },
  AU: { postalCode: /^\d{4}$/, state: true, stateLabel: 'state' },
  IN: { postalCode: /^\d{6}$/, state: true, stateLabel: 'state' },
  BR: { postalCode: /^\d{5}-?\d{3}$/, state: true, stateLabel: 'state' },
  MX: { postalCode: /^\d{5}$/, state: true, stateLabel: 'state' },
  RO: { postalCode: /^\d{6}$/, state: true, stateLabel: 'county' },
  GB: { postalCode: /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, state: false },
  DE: { postalCode: /^\d{5}$/, state: false },
  FR: { postalCode: /^\d{5}$/, state: false },
  NL: { postalCode: /^\d{4} ?[A-Za-z]{2}$/, state: false },
  ES: { postalCode: /^\d{5}$/, state: false },
  IT: { postalCode: /^\d{5}$/, state: false },
  IE: { postalCode: null, state: true, stateLabel: 'county' },
  HK: { postalCode: null, state: false },
  AE: { postalCode: null, state: false },
};
export const CALLING_COUNTRIES = Object.keys(COUNTRY_RULES);

/** Announcement languages offered for a location (BCP 47 tags as Webex Calling names them). */
export const ANNOUNCEMENT_LANGUAGES = [
  'en_us',
  'en_gb',
  'fr_fr',
  'fr_ca',
  'de_de',
  'es_es',
  'it_it',
  'nl_nl',
  'pt_br',
  'ro_ro',
] as const;

export const callingLocationSchema = z
  .object({
    locationName: singleLineText().min(1, 'is required').max(80),
    country: z.string().refine((c) => c in COUNTRY_RULES, 'must be one of the supported countries'),
    street: singleLineText().min(1, 'is required').max(200),
    city: singleLineText().min(1, 'is required').max(100),
    postalCode: singleLineText().max(20).optional(),
    state: singleLineText().max(100).optional(),
    timeZone: timeZoneSchema,
    announcementLanguage: z.enum(ANNOUNCEMENT_LANGUAGES),
  })
  .superRefine((loc, ctx) => {
    const rule = COUNTRY_RULES[loc.country];
    if (!rule) return;
    if (rule.postalCode) {
      if (!loc.postalCode) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'is required' });
      else if (!rule.postalCode.test(loc.postalCode))
        ctx.addIssue({
          code: 'custom',
          path: ['postalCode'],
          message: 'is not a valid postal code for this country',
        });
    }
    if (rule.state && !loc.state) ctx.addIssue({ code: 'custom', path: ['state'], message: 'is required' });
  });
export type CallingLocation = z.infer<typeof callingLocationSchema>;

export const callingSettingsSchema = z.object({ location: callingLocationSchema });
export type CallingSettings = z.infer<typeof callingSettingsSchema>;
