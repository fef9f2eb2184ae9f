import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoOrgDirectory } from '../../functions/shared/adapters/org-directory';
import { matchOrganization } from '../../functions/shared/domain/org-matching';
import { orderEventSchema } from '../../functions/shared/domain/order.schema';
import { REPO_ROOT } from '../../infra/local/runtime';
import { useSharedRuntime, type SharedRuntime } from '../helpers/shared-runtime';

// The demo that `npm start` loads and docs/demo.md describes: every example event is what the
// intake accepts (but the malformed one), and the demo directory gives each matching outcome.

const examples = join(REPO_ROOT, 'examples');
// The demo's activity dates are from November 2026: judge "unlikely" as of then, so this test does not age.
const demoNow = new Date('2026-11-25T12:00:00Z');
let rt: SharedRuntime;

beforeAll(async () => {
  rt = await useSharedRuntime();
});
afterAll(async () => {
  rt?.close();
});

describe('demo data', () => {
  it('every example order event is valid, except the malformed one, which names its bad fields', () => {
    const files = readdirSync(examples).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) {
      const parsed = orderEventSchema.safeParse(JSON.parse(readFileSync(join(examples, file), 'utf8')));
      if (file === 'order-malformed.json') {
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(
          expect.arrayContaining(['detail.contact.email', 'detail.services.0.quantity']),
        );
      } else {
        expect(parsed.success, `${file}: ${parsed.error?.message ?? ''}`).toBe(true);
      }
    }
  });

  it('the demo directory gives each matching outcome, for partners and for customers', async () => {
    expect(rt.seeded).toBe(true);
    const match = (kind: 'partner' | 'customer', email: string) =>
      matchOrganization(dynamoOrgDirectory, kind, email, demoNow);

    const partner = await match('partner', 'alex@northwind-partners.com');
    expect(partner.outcome === 'associated' && partner.org.orgId).toBe('org-partner-northwind');
    const customer = await match('customer', 'it.admin@fabrikam.com');
    expect(customer.outcome === 'associated' && customer.org.orgId).toBe('org-customer-fabrikam');

    for (const [kind, email] of [
      ['partner', 'new.person@contoso-it.com'],
      ['customer', 'new.admin@adventure-works.com'],
    ] as const) {
      const found = await match(kind, email);
      expect(found.outcome).toBe('matched');
      if (found.outcome !== 'matched') continue;
      expect(found.candidates.length).toBeGreaterThanOrEqual(3);
      expect(found.candidates.filter((c) => c.unlikely)).toHaveLength(1);
      expect(found.candidates.at(-1)?.unlikely).toBe(true);
      expect(found.candidates[0]?.verified).toBe(true);
    }

    expect((await match('partner', 'someone@fresh-reseller.com')).outcome).toBe('none');
    expect((await match('customer', 'admin@brand-new-customer.com')).outcome).toBe('none');
  });
});
