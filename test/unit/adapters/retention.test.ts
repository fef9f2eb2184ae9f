import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOnce } from '../../../functions/shared/adapters/email-log';
import { RETENTION_DAYS, keys } from '../../../functions/shared/adapters/keys';
import { issueLink } from '../../../functions/shared/adapters/link-store';
import { addAudit, updateOrder } from '../../../functions/shared/adapters/order-repository';
import { recordRejectedEvent, reserveSiteName } from '../../../functions/shared/adapters/org-directory';
import { claimStep, confirmClaim, storeTaskToken } from '../../../functions/shared/adapters/step-store';
import { hashToken } from '../../../functions/shared/domain/links';
import { placedEvent } from '../../fixtures/orders';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { allItems, itemsOf } from '../support/table-items';
import { seedOrder } from '../support/seed';

// Retention (docs/deploy.md, "Security model"): every item that holds personal data or a task
// token carries the table's TTL attribute, and a task token is not kept once answered. DynamoDB
// deletes expired items on AWS; dynalite does not, so these tests read the attribute.

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

const DAY = 24 * 3600;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The item's ttl is `days` from now (give or take the test's own run time). */
function expectTtl(item: Record<string, unknown> | undefined, days: number, what: string): void {
  expect(typeof item?.ttl, `${what} has a ttl`).toBe('number');
  expect(Number(item?.ttl) - nowSeconds(), what).toBeGreaterThan(days * DAY - 120);
  expect(Number(item?.ttl) - nowSeconds(), what).toBeLessThanOrEqual(days * DAY);
}

const token = 'AQCEAAAAKgAAAA1+abc/def=='.padEnd(600, 'x');

describe('retention', () => {
  it('gives every item of an order a TTL: the order, its audit trail, steps, links, emails sent and site names held', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    await addAudit(orderId, { actor: 'system', action: 'Order received' });
    await storeTaskToken(orderId, 'order-for', token);
    await issueLink({ orderId, recipient: 'ana@partner.example', role: 'contact' });
    await sendOnce(orderId, 'welcome', async () => ({
      kind: 'welcome',
      to: 'a@b.example',
      subject: 's',
      messageId: 'm',
    }));
    await reserveSiteName(`retention-${orderId.toLowerCase()}`.slice(0, 40), orderId);

    const items = await itemsOf(keys.orderPk(orderId));
    const kinds = new Set(items.map((i) => String(i.sk).split('#')[0]));
    // A waiting step (and its task token) is an attribute of the order's item, under its ttl.
    expect([...kinds].sort()).toEqual(['AUDIT', 'EMAIL', 'LINK', 'ORDER', 'SITEREF']);
    expect(items.find((i) => i.sk === 'ORDER')?.['step:order-for']).toMatchObject({ status: 'pending' });
    // The link lives in its order's partition, with a ttl of its own (next test).
    for (const item of items.filter((i) => !String(i.sk).startsWith('LINK#')))
      expectTtl(item, RETENTION_DAYS.order, String(item.sk));
  });

  it('keeps a setup link until a while after it expires, so its page can still say it expired', async () => {
    const orderId = await seedOrder();
    const { link } = await issueLink({
      orderId,
      recipient: 'ana@partner.example',
      role: 'contact',
      ttlSeconds: 3600,
    });

    const item = (await itemsOf(keys.orderPk(orderId))).find(
      (i) => i.sk === keys.orderLink(orderId, link.linkHash).sk,
    );

    const expiry = Math.floor(Date.parse(link.expiresAt) / 1000);
    expect(item?.ttl).toBe(expiry + RETENTION_DAYS.linkAfterExpiry * DAY);
  });

  it('refreshes the order’s TTL when it changes, counting from its last write', async () => {
    const orderId = await seedOrder();
    const [before] = await itemsOf(keys.orderPk(orderId));
    await new Promise((r) => setTimeout(r, 1100));

    await updateOrder(orderId, { status: 'in-progress' });

    const after = (await itemsOf(keys.orderPk(orderId))).find((i) => i.sk === 'ORDER');
    expect(Number(after?.ttl)).toBeGreaterThan(Number(before?.ttl));
  });

  it('removes a step’s task token once the run has its answer', async () => {
    const orderId = await seedOrder();
    await storeTaskToken(orderId, 'order-for', token);
    const claimed = await claimStep(orderId, 'order-for', hashToken(token), 'ana@partner.example');
    expect(claimed).toBe(token);

    await confirmClaim(orderId, 'order-for', hashToken(token));

    const order = (await itemsOf(keys.orderPk(orderId))).find((i) => i.sk === 'ORDER');
    const step = order?.['step:order-for'] as Record<string, unknown> | undefined;
    expect(step).toMatchObject({ status: 'submitted', tokenHash: hashToken(token) });
    expect(step?.taskToken).toBeUndefined();
    expect(JSON.stringify(order)).not.toContain(token.slice(0, 40));
  });

  it('records a rejected event without its content: reason, field names, hash and size, for 30 days', async () => {
    const event = placedEvent({ orderId: 'ORD-RETAIN-1' });
    const bad = {
      ...event,
      detail: { ...event.detail, contact: { ...event.detail.contact, email: 'ana.popescu@' } },
    };

    const id = await recordRejectedEvent({
      reason: 'invalid order event',
      issues: [{ path: 'detail.contact.email', message: 'must be a valid email address' }],
      issueCount: 1,
      event: bad,
    });

    const record = (await allItems()).find((i) => i.id === id);
    const text = JSON.stringify(bad);
    expect(record).toMatchObject({
      reason: 'invalid order event',
      issues: [{ path: 'detail.contact.email', message: 'must be a valid email address' }],
      eventId: bad.id,
      source: 'orders.subscriptions',
      detailType: bad['detail-type'],
      orderId: 'ORD-RETAIN-1',
      fields: Object.keys(bad.detail),
      eventBytes: Buffer.byteLength(text),
    });
    expect(record?.eventSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record?.event).toBeUndefined();
    for (const personal of [bad.detail.contact.name, 'ana.popescu@'])
      expect(JSON.stringify(record)).not.toContain(personal);
    expectTtl(record, RETENTION_DAYS.rejectedEvent, 'rejected event');
  });
});
