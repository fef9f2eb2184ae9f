import { describe, expect, it } from 'vitest';
import {
  isUnconfirmedCreation,
  matchOrganization,
  searchByDomain,
  type OrgDirectory,
} from '../../../functions/shared/domain/org-matching';
import type { Organization } from '../../../functions/shared/domain/org.schema';
import { NOW, daysBefore, organization } from '../../fixtures/organizations';

// An organization typed into the wizard ("Create organization") proves nothing about who owns its
// domain or its admin's address: it wins no match by itself until Webex verifies a domain.

const created = organization({
  orgId: 'c-ORD-1',
  name: 'Typed In',
  createdByOrder: 'ORD-1',
  domains: [{ domain: 'victim.example', status: 'claimed' }],
  activeUsers: 0,
  lastActivityAt: undefined,
});
const imported = organization({
  orgId: 'o-imported',
  name: 'Imported Claimed',
  domains: [{ domain: 'victim.example', status: 'claimed' }],
  activeUsers: 3,
  lastActivityAt: daysBefore(2),
});

/** A directory where `boss@victim.example` is a user of each org given. */
function directory(orgs: Organization[]): OrgDirectory {
  return {
    findOrgsByUserEmail: async (kind, email) =>
      email === 'boss@victim.example' ? orgs.filter((o) => o.kind === kind) : [],
    findOrgsByDomain: async (kind, domain) =>
      orgs.filter((o) => o.kind === kind && o.domains.some((d) => d.domain === domain)),
  };
}

describe('an organization created in the wizard', () => {
  it('is not associated by its admin’s email', async () => {
    expect(await matchOrganization(directory([created]), 'customer', 'boss@victim.example', NOW)).toEqual({
      outcome: 'none',
    });
  });

  it('is not offered for its claimed domain, by the match or the search; an imported org still is', async () => {
    const dir = directory([created, imported]);

    const match = await matchOrganization(dir, 'customer', 'someone@victim.example', NOW);
    const search = await searchByDomain(dir, 'customer', 'victim.example', NOW);

    expect(match.outcome === 'matched' && match.candidates.map((c) => c.org.orgId)).toEqual(['o-imported']);
    expect(search.map((c) => c.org.orgId)).toEqual(['o-imported']);
  });

  it('matches like any other once Webex has verified one of its domains (the directory import)', async () => {
    const verified = { ...created, domains: [{ domain: 'victim.example', status: 'verified' as const }] };

    expect(isUnconfirmedCreation(created)).toBe(true);
    expect(isUnconfirmedCreation(verified)).toBe(false);
    expect(isUnconfirmedCreation(imported)).toBe(false);
    expect(
      await matchOrganization(directory([verified]), 'customer', 'boss@victim.example', NOW),
    ).toMatchObject({
      outcome: 'associated',
      org: { orgId: 'c-ORD-1' },
    });
  });
});
