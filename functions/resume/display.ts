import { COUNTRY_RULES } from '../shared/domain/calling.schema';
import type { Candidate } from '../shared/domain/org-matching';
import type { OrderRecord } from '../shared/domain/order-record.schema';
import type { Language, ServiceType } from '../shared/domain/order.schema';
import { BUSINESS_VERTICALS, type Organization } from '../shared/domain/org.schema';
import type { WizardT } from '../shared/i18n/wizard.catalog';
import { languageName } from '../shared/documents/format';
import { markup, type SafeHtml } from './html';

// Display helpers shared by the pages: names of countries, verticals, languages and dates in the
// page's language, and the organization card.

// ISO 3166-1 alpha-2: every country or region an organization may be in.
const ISO_COUNTRIES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');
export const ORG_COUNTRIES: readonly string[] = ISO_COUNTRIES;

/** A sensible first time zone for the Calling countries; the person can change it. */
export const DEFAULT_TIME_ZONE: Record<string, string> = {
  US: 'America/New_York',
  CA: 'America/Toronto',
  AU: 'Australia/Sydney',
  IN: 'Asia/Kolkata',
  BR: 'America/Sao_Paulo',
  MX: 'America/Mexico_City',
  RO: 'Europe/Bucharest',
  GB: 'Europe/London',
  DE: 'Europe/Berlin',
  FR: 'Europe/Paris',
  NL: 'Europe/Amsterdam',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  IE: 'Europe/Dublin',
  HK: 'Asia/Hong_Kong',
  AE: 'Asia/Dubai',
};

/** The announcement language that fits a country best, preselected. */
export const DEFAULT_ANNOUNCEMENT: Record<string, string> = {
  US: 'en_us',
  CA: 'en_us',
  AU: 'en_gb',
  IN: 'en_gb',
  BR: 'pt_br',
  MX: 'es_es',
  RO: 'ro_ro',
  GB: 'en_gb',
  DE: 'de_de',
  FR: 'fr_fr',
  NL: 'nl_nl',
  ES: 'es_es',
  IT: 'it_it',
  IE: 'en_gb',
  HK: 'en_gb',
  AE: 'en_gb',
};

const regionNames = new Map<Language, Intl.DisplayNames>();

export function countryName(code: string, lang: Language): string {
  let names = regionNames.get(lang);
  if (!names) regionNames.set(lang, (names = new Intl.DisplayNames([lang], { type: 'region' })));
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export function countryOptions(codes: readonly string[], lang: Language): { value: string; label: string }[] {
  return codes
    .map((value) => ({ value, label: countryName(value, lang) }))
    .sort((a, b) => a.label.localeCompare(b.label, lang));
}

export function callingCountryOptions(lang: Language) {
  return countryOptions(Object.keys(COUNTRY_RULES), lang);
}

/** `en_us` → "American English" in the page's language: the same words as the PDF. */
export function announcementLanguageName(tag: string, lang: Language): string {
  return languageName(tag, lang);
}

export function verticalOptions(t: WizardT) {
  return BUSINESS_VERTICALS.map((v) => ({ value: v, label: t(`vertical.${v}`) }));
}

export function formatDate(iso: string | undefined, lang: Language, withTime = false): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'ro' ? 'ro-RO' : 'en-GB', {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short', timeZone: 'UTC', timeZoneName: 'short' } : {}),
  }).format(date);
}

export function serviceName(t: WizardT, type: ServiceType): string {
  return t(`service.${type}`);
}

/** The facts that help a person pick the right organization (source: domains, active users, last activity). */
/**
 * An organization's facts. `search`: only what the source document names for choosing one
 * (verified or claimed domains, active users, last activity): a domain search reaches
 * organizations nobody associated with this person, so it shows no more than that.
 */
export function orgFacts(
  t: WizardT,
  lang: Language,
  org: Organization,
  extraRows?: SafeHtml,
  scope: 'full' | 'search' = 'full',
): SafeHtml {
  return markup`<dl class="facts">
    <dt>${t('org.domains')}</dt>
    <dd>
      ${
        org.domains.length === 0
          ? t('org.noDomains')
          : org.domains.map(
              (d) =>
                markup`<span class="tag${d.status === 'verified' ? ' ok' : ''}">${d.domain} · ${t(d.status === 'verified' ? 'org.domainVerified' : 'org.domainClaimed')}</span> `,
            )
      }
    </dd>
    <dt>${t('org.activeUsers')}</dt>
    <dd>${org.activeUsers}</dd>
    <dt>${t('org.lastActivity')}</dt>
    <dd>${org.lastActivityAt ? formatDate(org.lastActivityAt, lang) : t('org.never')}</dd>
    ${
      scope === 'full'
        ? markup`<dt>${t('org.country')}</dt>
    <dd>${countryName(org.country, lang)}</dd>
    <dt>${t('org.vertical')}</dt>
    <dd>${t(`vertical.${org.businessVertical}`)}</dd>`
        : ''
    }
    ${extraRows ?? ''}
  </dl>`;
}

export function orgCard(t: WizardT, lang: Language, org: Organization): SafeHtml {
  return markup`<div class="org">
    <h2>${org.name}</h2>
    ${orgFacts(t, lang, org)}
  </div>`;
}

export function candidateFlag(t: WizardT, c: Candidate): SafeHtml {
  if (c.unlikely) return markup`<span class="tag warn">${t('org.unlikely')}</span>`;
  return c.verified ? markup`<span class="tag ok">${t('org.verifiedMatch')}</span>` : markup``;
}

/** Where the order stands: what is decided and what is provisioned, no one else's details. */
export function whereOrderStands(t: WizardT, lang: Language, order: OrderRecord): SafeHtml {
  return markup`<h2>${t('stand.title')}</h2>
    <dl class="facts">
      <dt>${t('stand.status')}</dt>
      <dd>${t(`status.${order.status}`)}</dd>
      <dt>${t('stand.orderFor')}</dt>
      <dd>
        ${
          order.orderFor === 'customer'
            ? t('stand.orderForCustomer')
            : order.orderFor === 'my-company'
              ? t('stand.orderForMyCompany')
              : t('stand.notYet')
        }
      </dd>
      ${
        order.partnerOrg
          ? markup`<dt>${t('review.partnerOrg')}</dt>
              <dd>${order.partnerOrg.name}</dd>`
          : ''
      }
      ${
        order.customerOrg
          ? markup`<dt>${t('review.customerOrg')}</dt>
              <dd>${order.customerOrg.name}</dd>`
          : ''
      }
      ${order.services.map(
        (s) =>
          markup`<dt>${serviceName(t, s.type)}</dt>
            <dd>
              ${
                order.provisioned[s.type]
                  ? markup`${t('stand.provisioned')}
                      <span class="muted"
                        >(${formatDate(order.provisioned[s.type]?.provisionedAt, lang)})</span
                      >`
                  : t('stand.waiting')
              }
            </dd>`,
      )}
    </dl>`;
}
