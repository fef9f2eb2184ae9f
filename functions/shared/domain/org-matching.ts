import type { OrgKind, Organization } from './org.schema';

// Matching a contact email against the organization directory (product.md, steps 3 and 4):
// exact user email → associated; else the email's domain → ranked candidates; else none.
// Pure: the directory is a port, so each lookup's cost is the directory's (bounded Query/GetItem).

export const UNLIKELY_AFTER_DAYS = 365;

/**
 * Mailbox providers shared by strangers: their domain says nothing about an organization, so
 * it is never matched, searched or claimed (matching on it would show one customer's org to
 * anyone with an address there).
 */
export const PUBLIC_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.ro',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  'mail.com',
  'zoho.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'qq.com',
  '163.com',
]);

export function isPublicEmailDomain(domain: string): boolean {
  return PUBLIC_EMAIL_DOMAINS.has(domain.toLowerCase());
}

/**
 * An organization a contact created in the wizard, that Webex has not confirmed: it has no
 * verified domain (the directory import, from Webex, says otherwise once Webex verifies one).
 * Its claimed domain and its admin are what someone typed, so they match nothing by themselves:
 * otherwise anyone could create "their" org for a domain and have the next orders from that
 * domain mapped to it.
 */
export function isUnconfirmedCreation(org: Organization): boolean {
  return org.createdByOrder !== undefined && !org.domains.some((d) => d.status === 'verified');
}

const confirmed = (orgs: Organization[]) => orgs.filter((org) => !isUnconfirmedCreation(org));

export interface OrgDirectory {
  /** Organizations of `kind` that have a user with exactly this email. */
  findOrgsByUserEmail(kind: OrgKind, email: string): Promise<Organization[]>;
  /** Organizations of `kind` that verified or claimed this domain. */
  findOrgsByDomain(kind: OrgKind, domain: string): Promise<Organization[]>;
}

export interface Candidate {
  org: Organization;
  /** Has a verified domain equal to the searched one. */
  verified: boolean;
  /** No verified domain at all and no user activity in the last year: probably not the right org. */
  unlikely: boolean;
}

export type MatchResult =
  | { outcome: 'associated'; org: Organization }
  | { outcome: 'matched'; candidates: Candidate[] }
  | { outcome: 'none' };

export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return email.slice(at + 1).toLowerCase();
}

export function isUnlikely(org: Organization, now: Date): boolean {
  const hasVerified = org.domains.some((d) => d.status === 'verified');
  if (hasVerified) return false;
  if (!org.lastActivityAt) return true;
  const ageDays = (now.getTime() - Date.parse(org.lastActivityAt)) / 86_400_000;
  return ageDays > UNLIKELY_AFTER_DAYS;
}

/** Verified first, then more active users, then most recent activity; the unlikely ones last. */
export function rankCandidates(orgs: Organization[], domain: string, now: Date): Candidate[] {
  const candidates = orgs.map((org) => ({
    org,
    verified: org.domains.some((d) => d.domain === domain && d.status === 'verified'),
    unlikely: isUnlikely(org, now),
  }));
  const activity = (c: Candidate) => (c.org.lastActivityAt ? Date.parse(c.org.lastActivityAt) : 0);
  return candidates.sort(
    (a, b) =>
      Number(a.unlikely) - Number(b.unlikely) ||
      Number(b.verified) - Number(a.verified) ||
      b.org.activeUsers - a.org.activeUsers ||
      activity(b) - activity(a) ||
      a.org.name.localeCompare(b.org.name),
  );
}

export async function matchOrganization(
  directory: OrgDirectory,
  kind: OrgKind,
  email: string,
  now: Date = new Date(),
): Promise<MatchResult> {
  const domain = emailDomain(email);
  const publicDomain = isPublicEmailDomain(domain);
  // Both lookups at once: one round trip of latency instead of two (the domain's is unused when
  // the user matches).
  const [byUser, byDomain] = await Promise.all([
    directory.findOrgsByUserEmail(kind, email.toLowerCase()),
    publicDomain ? Promise.resolve([]) : directory.findOrgsByDomain(kind, domain),
  ]);
  const first = confirmed(byUser)[0];
  if (first) return { outcome: 'associated', org: first };
  if (publicDomain) return { outcome: 'none' };
  const candidates = confirmed(byDomain);
  if (candidates.length > 0)
    return { outcome: 'matched', candidates: rankCandidates(candidates, domain, now) };
  return { outcome: 'none' };
}

/** The global search: organizations of `kind` by a domain the contact types. */
export async function searchByDomain(
  directory: OrgDirectory,
  kind: OrgKind,
  domain: string,
  now: Date = new Date(),
): Promise<Candidate[]> {
  if (isPublicEmailDomain(domain)) return [];
  const orgs = confirmed(await directory.findOrgsByDomain(kind, domain.toLowerCase()));
  return rankCandidates(orgs, domain.toLowerCase(), now);
}
