import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findLink,
  issueLink,
  linkState,
  listLinks,
  revokeLinks,
  type LinkRecord,
} from '../../../functions/shared/adapters/link-store';
import { keys } from '../../../functions/shared/adapters/keys';
import { hashLinkId } from '../../../functions/shared/domain/links';
import { uniqueOrderId } from '../../fixtures/orders';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { allItems, itemsOf } from '../support/table-items';

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

describe('issueLink', () => {
  it('stores only the hash of the link id: the raw id appears nowhere in the table', async () => {
    const orderId = uniqueOrderId();

    const { linkId, link } = await issueLink({ orderId, recipient: 'ana@partner.example', role: 'contact' });

    expect(link.linkHash).toBe(hashLinkId(linkId));
    const everything = JSON.stringify(await allItems());
    expect(everything).toContain(link.linkHash);
    expect(everything).not.toContain(linkId);
  });

  it('finds the link by its raw id, with the order, recipient and expiry', async () => {
    const orderId = uniqueOrderId();

    const { linkId } = await issueLink({
      orderId,
      recipient: 'ana@partner.example',
      role: 'contact',
      ttlSeconds: 3600,
    });

    const found = await findLink(linkId);
    expect(found).toMatchObject({
      orderId,
      recipient: 'ana@partner.example',
      status: 'active',
      scope: 'all',
    });
    const ttl = Date.parse(found?.expiresAt ?? '') - Date.parse(found?.createdAt ?? '');
    expect(ttl).toBe(3_600_000);
    expect(await findLink('not-a-link-we-issued-aaaaaaaaaaaa')).toBeUndefined();
    expect(await findLink(`${orderId}_${'A'.repeat(32)}`)).toBeUndefined();
  });

  it('uses the configured lifetime by default (LINK_TTL_SECONDS)', async () => {
    const { link } = await issueLink({ orderId: uniqueOrderId(), recipient: 'a@b.example', role: 'contact' });

    expect(Date.parse(link.expiresAt) - Date.parse(link.createdAt)).toBe(1_209_600_000);
  });

  it('gives the customer admin a link that reaches only the services', async () => {
    const { link } = await issueLink({
      orderId: uniqueOrderId(),
      recipient: 'admin@customer.example',
      role: 'customer-admin',
    });

    expect(link.scope).toBe('services');
  });

  it('stores the link in its order’s partition, so it is found with the order without a scan', async () => {
    const orderId = uniqueOrderId();
    const { link } = await issueLink({ orderId, recipient: 'ana@partner.example', role: 'contact' });

    const items = await itemsOf(keys.orderPk(orderId));

    expect(items.map((r) => r.sk)).toEqual([`LINK#${link.linkHash}`]);
    expect((await listLinks(orderId)).map((l) => l.linkHash)).toEqual([link.linkHash]);
  });
});

describe('linkState', () => {
  const link: LinkRecord = {
    linkHash: 'h',
    orderId: 'O-1',
    recipient: 'a@b.example',
    role: 'contact',
    scope: 'all',
    createdAt: '2026-11-25T10:00:00.000Z',
    expiresAt: '2026-12-09T10:00:00.000Z',
    status: 'active',
  };

  it('is active before its expiry, expired from it on, revoked once revoked', () => {
    expect(linkState(link, new Date('2026-12-09T09:59:59.999Z'))).toBe('active');
    expect(linkState(link, new Date('2026-12-09T10:00:00.000Z'))).toBe('expired');
    expect(linkState({ ...link, status: 'revoked' }, new Date('2026-11-26T00:00:00Z'))).toBe('revoked');
  });
});

describe('revokeLinks', () => {
  it('revokes every active link of the order except the kept recipient’s', async () => {
    const orderId = uniqueOrderId();
    const other = uniqueOrderId();
    const old = await issueLink({ orderId, recipient: 'ana@partner.example', role: 'contact' });
    const kept = await issueLink({ orderId, recipient: 'bob@partner.example', role: 'delegate' });
    const elsewhere = await issueLink({ orderId: other, recipient: 'ana@partner.example', role: 'contact' });

    const revoked = await revokeLinks(orderId, 'handed off', 'bob@partner.example');

    expect(revoked).toBe(1);
    expect(await findLink(old.linkId)).toMatchObject({ status: 'revoked', revokedReason: 'handed off' });
    expect((await findLink(kept.linkId))?.status).toBe('active');
    expect((await findLink(elsewhere.linkId))?.status).toBe('active');
  });

  it('revokes nothing more when run again', async () => {
    const orderId = uniqueOrderId();
    const link = await issueLink({ orderId, recipient: 'ana@partner.example', role: 'contact' });
    await revokeLinks(orderId, 'order cancelled');
    const first = await findLink(link.linkId);

    const again = await revokeLinks(orderId, 'order cancelled');

    expect(again).toBe(0);
    expect(await findLink(link.linkId)).toEqual(first);
  });
});
