import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findLink,
  issueLink,
  linkState,
  listLinks,
  revokeLinks,
} from '../../functions/shared/adapters/link-store';
import { hashLinkId, isWellFormedLinkId, newLinkId } from '../../functions/shared/domain/links';
import { uniqueOrderId } from '../fixtures/orders';
import { startLocalTable, type LocalTable } from '../unit/support/local-table';
import { allItems } from '../unit/support/table-items';

// Setup links as the wizard relies on them: opaque, stored hashed, expiring, revoked on hand-off.

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

describe('setup links', () => {
  it('carry at least 128 random bits and are never repeated', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newLinkId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(isWellFormedLinkId(id)).toBe(true);
      expect(Buffer.from(id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
    expect(isWellFormedLinkId('../../etc/passwd')).toBe(false);
  });

  it('are stored as a SHA-256 only: the id itself is nowhere in the table', async () => {
    const orderId = uniqueOrderId();
    const { linkId } = await issueLink({ orderId, recipient: 'a@x.example', role: 'contact' });
    expect(await findLink(linkId)).toMatchObject({ linkHash: hashLinkId(linkId), orderId });
    expect(JSON.stringify(await allItems())).not.toContain(linkId);
  });

  it('expire at their expiry', async () => {
    const { link } = await issueLink({
      orderId: uniqueOrderId(),
      recipient: 'a@x.example',
      role: 'contact',
      ttlSeconds: 60,
    });
    expect(linkState(link, new Date(Date.parse(link.expiresAt) - 1000))).toBe('active');
    expect(linkState(link, new Date(Date.parse(link.expiresAt) + 1000))).toBe('expired');
  });

  it('are revoked on a hand-off, except the new person’s', async () => {
    const orderId = uniqueOrderId();
    const first = await issueLink({ orderId, recipient: 'a@x.example', role: 'contact' });
    const second = await issueLink({ orderId, recipient: 'b@x.example', role: 'delegate' });
    expect(await revokeLinks(orderId, 'handed to b@x.example', 'b@x.example')).toBe(1);
    expect(linkState((await findLink(first.linkId))!)).toBe('revoked');
    expect(linkState((await findLink(second.linkId))!)).toBe('active');
    expect(await listLinks(orderId)).toHaveLength(2);
  });
});
