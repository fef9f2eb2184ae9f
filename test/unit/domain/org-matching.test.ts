import { describe, expect, it, vi } from 'vitest';
import {
  emailDomain,
  isUnlikely,
  matchOrganization,
  rankCandidates,
  searchByDomain,
  type OrgDirectory,
} from '../../../functions/shared/domain/org-matching';
import type { OrgKind, Organization } from '../../../functions/shared/domain/org.schema';
import { NOW, daysBefore, organization } from '../../fixtures/organizations';

/** An in-memory directory: users and domains by kind, as the DynamoDB one answers them. */
function directory(orgs: { org: Organization; users?: string[] }[]) {
  const find = {
    findOrgsByUserEmail: vi.fn(async (kind: OrgKind, email: string) =>
      orgs.filter((o) => o.org.kind === kind && (o.users ?? []).includes(email)).map((o) => o.org),
    ),
    findOrgsByDomain: vi.fn(async (kind: OrgKind, domain: string) =>
      orgs
        .filter((o) => o.org.kind === kind && o.org.domains.some((d) => d.domain === domain))
        .map((o) => o.org),
    ),
  } satisfies OrgDirectory;
  return find;
}

const verifiedBusy = organization({ orgId: 'o-verified', name: 'Verified Co', activeUsers: 2 });
const claimedBusy = organization({
  orgId: 'o-claimed-busy',
  name: 'Claimed Busy',
  domains: [{ domain: 'acme.example', status: 'claimed' }],
  activeUsers: 40,
  lastActivityAt: daysBefore(1),
});
const claimedQuiet = organization({
  orgId: 'o-claimed-quiet',
  name: 'Claimed Quiet',
  domains: [{ domain: 'acme.example', status: 'claimed' }],
  activeUsers: 40,
  lastActivityAt: daysBefore(200),
});
const abandoned = organization({
  orgId: 'o-abandoned',
  name: 'Abandoned Ltd',
  domains: [{ domain: 'acme.example', status: 'claimed' }],
  activeUsers: 90,
  lastActivityAt: daysBefore(400),
});
const neverUsed = organization({
  orgId: 'o-never',
  name: 'Never Used',
  domains: [{ domain: 'acme.example', status: 'claimed' }],
  activeUsers: 0,
  lastActivityAt: undefined,
});

describe('matching a contact email', () => {
  it('associates the order with the org that has a user with exactly this email', async () => {
    // Prepare
    const dir = directory([
      { org: verifiedBusy, users: ['admin@acme.example'] },
      { org: claimedBusy, users: ['other@acme.example'] },
    ]);

    // Act
    const result = await matchOrganization(dir, 'customer', 'Admin@ACME.example', NOW);

    // Assess
    expect(result).toEqual({ outcome: 'associated', org: verifiedBusy });
    expect(dir.findOrgsByUserEmail).toHaveBeenCalledWith('customer', 'admin@acme.example');
    // The domain lookup runs at the same time (one round trip of latency); the user match wins.
    expect(dir.findOrgsByDomain).toHaveBeenCalledWith('customer', 'acme.example');
  });

  it('only associates with orgs of the kind asked for', async () => {
    const partner = organization({ orgId: 'p-1', kind: 'partner', name: 'Partner' });
    const dir = directory([{ org: partner, users: ['admin@acme.example'] }]);

    const result = await matchOrganization(dir, 'customer', 'admin@acme.example', NOW);

    expect(result).toEqual({ outcome: 'none' });
  });

  it('offers the orgs of the email domain when no user has the email, ranked', async () => {
    const dir = directory([
      { org: abandoned },
      { org: claimedQuiet },
      { org: verifiedBusy },
      { org: claimedBusy },
    ]);

    const result = await matchOrganization(dir, 'customer', 'new.person@acme.example', NOW);

    expect(result.outcome).toBe('matched');
    const candidates = result.outcome === 'matched' ? result.candidates : [];
    expect(candidates.map((c) => c.org.orgId)).toEqual([
      'o-verified', // verified domain first, even with fewer active users
      'o-claimed-busy', // same users as the quiet one, more recent activity
      'o-claimed-quiet',
      'o-abandoned', // unlikely: last, although it has the most users
    ]);
    expect(candidates.map((c) => [c.verified, c.unlikely])).toEqual([
      [true, false],
      [false, false],
      [false, false],
      [false, true],
    ]);
  });

  it('never offers orgs by a public mailbox domain, but still associates an exact user email', async () => {
    const gmailOrg = organization({
      orgId: 'o-gmail',
      name: 'Someone Else’s Shop',
      domains: [{ domain: 'gmail.com', status: 'claimed' }],
    });
    const dir = directory([{ org: gmailOrg, users: ['owner@gmail.com'] }]);

    expect(await matchOrganization(dir, 'customer', 'stranger@gmail.com', NOW)).toEqual({ outcome: 'none' });
    expect(dir.findOrgsByDomain).not.toHaveBeenCalled();
    expect(await matchOrganization(dir, 'customer', 'owner@gmail.com', NOW)).toEqual({
      outcome: 'associated',
      org: gmailOrg,
    });
  });

  it('says none when neither the email nor its domain is known', async () => {
    const dir = directory([{ org: verifiedBusy, users: ['admin@acme.example'] }]);

    expect(await matchOrganization(dir, 'customer', 'someone@elsewhere.example', NOW)).toEqual({
      outcome: 'none',
    });
  });
});

describe('ranking candidates', () => {
  it('puts more active users before fewer when neither is verified', () => {
    const few = organization({ ...claimedBusy, orgId: 'few', activeUsers: 3 });
    const many = organization({ ...claimedBusy, orgId: 'many', activeUsers: 30 });

    const ranked = rankCandidates([few, many], 'acme.example', NOW);

    expect(ranked.map((c) => c.org.orgId)).toEqual(['many', 'few']);
  });

  it('counts as verified only a verified domain equal to the one searched', () => {
    const verifiedElsewhere = organization({
      orgId: 'elsewhere',
      domains: [
        { domain: 'acme.example', status: 'claimed' },
        { domain: 'acme-group.example', status: 'verified' },
      ],
    });

    const [candidate] = rankCandidates([verifiedElsewhere], 'acme.example', NOW);

    expect(candidate).toMatchObject({ verified: false, unlikely: false });
  });
});

describe('unlikely organizations', () => {
  it('flags an org with no verified domain and no activity in the last 365 days', () => {
    expect(isUnlikely(abandoned, NOW)).toBe(true);
    expect(isUnlikely(neverUsed, NOW)).toBe(true);
  });

  it('does not flag an org active within the year, or one with a verified domain', () => {
    expect(isUnlikely(organization({ ...abandoned, lastActivityAt: daysBefore(364) }), NOW)).toBe(false);
    expect(
      isUnlikely(
        organization({ ...abandoned, domains: [{ domain: 'acme.example', status: 'verified' }] }),
        NOW,
      ),
    ).toBe(false);
  });
});

describe('global search by domain', () => {
  it('finds orgs of a typed domain, case-insensitively, ranked', async () => {
    const dir = directory([{ org: neverUsed }, { org: verifiedBusy }]);

    const result = await searchByDomain(dir, 'customer', 'ACME.example', NOW);

    expect(dir.findOrgsByDomain).toHaveBeenCalledWith('customer', 'acme.example');
    expect(result.map((c) => c.org.orgId)).toEqual(['o-verified', 'o-never']);
  });

  it('finds nothing for a public mailbox domain', async () => {
    const dir = directory([
      { org: organization({ domains: [{ domain: 'outlook.com', status: 'claimed' }] }) },
    ]);

    expect(await searchByDomain(dir, 'customer', 'Outlook.com', NOW)).toEqual([]);
    expect(dir.findOrgsByDomain).not.toHaveBeenCalled();
  });
});

describe('emailDomain', () => {
  it('takes the part after the last @, lowercased', () => {
    expect(emailDomain('Ana@Partner.EXAMPLE')).toBe('partner.example');
  });
});
