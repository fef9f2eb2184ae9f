import { PutCommand } from '../../functions/shared/clients/dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../functions/shared/clients';
import { getConfig } from '../../functions/shared/config';
import { keys } from '../../functions/shared/adapters/keys';
import {
  findLink,
  findLinkWithOrder,
  issueLink,
  linkState,
  listLinks,
  revokeLinks,
  type LinkRecord,
} from '../../functions/shared/adapters/link-store';
import { storeTaskToken } from '../../functions/shared/adapters/step-store';
import { hashLinkId, isWellFormedLinkId, newLinkSecret } from '../../functions/shared/domain/links';
import { uniqueOrderId } from '../fixtures/orders';
import { seedOrder } from '../unit/support/seed';
import { startLocalTable, type LocalTable } from '../unit/support/local-table';
import { allItems } from '../unit/support/table-items';
import { h1, WebClient } from './support/web-client';

// Setup links as the wizard relies on them: opaque, stored hashed, expiring, revoked on hand-off,
// found with their order in one read; links sent in the old format keep working.

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(async () => {
  await table.stop();
});

/** A link as issued before links lived with their order: its own partition and a pointer. */
async function issueOldFormatLink(orderId: string, recipient: string): Promise<string> {
  const linkId = newLinkSecret();
  const linkHash = hashLinkId(linkId);
  const at = new Date();
  const link: LinkRecord = {
    linkHash,
    orderId,
    recipient,
    role: 'contact',
    scope: 'all',
    createdAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + 3_600_000).toISOString(),
    status: 'active',
  };
  const put = (Item: Record<string, unknown>) =>
    dynamodb().send(new PutCommand({ TableName: getConfig().TABLE_NAME, Item }));
  await put({ ...keys.link(linkHash), type: 'link', ...link });
  await put({ ...keys.linkRef(orderId, linkHash), type: 'linkref', linkHash, recipient });
  return linkId;
}

describe('setup links', () => {
  it('carry at least 128 random bits and are never repeated', async () => {
    const orderId = uniqueOrderId();
    const secrets = new Set(Array.from({ length: 1000 }, () => newLinkSecret()));
    expect(secrets.size).toBe(1000);
    for (const secret of secrets) {
      expect(Buffer.from(secret, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      expect(isWellFormedLinkId(`${orderId}_${secret}`)).toBe(true);
    }
    const { linkId } = await issueLink({ orderId, recipient: 'a@x.example', role: 'contact' });
    expect(linkId.startsWith(`${orderId}_`)).toBe(true);
    expect(Buffer.from(linkId.slice(orderId.length + 1), 'base64url').length * 8).toBe(192);
    expect(isWellFormedLinkId('../../etc/passwd')).toBe(false);
  });

  it('are stored as a SHA-256 only: the id itself is nowhere in the table', async () => {
    const orderId = uniqueOrderId();
    const { linkId } = await issueLink({ orderId, recipient: 'a@x.example', role: 'contact' });
    expect(await findLink(linkId)).toMatchObject({ linkHash: hashLinkId(linkId), orderId });
    expect(JSON.stringify(await allItems())).not.toContain(linkId.slice(orderId.length + 1));
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

  it('are read with their order and its steps in one request', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    await storeTaskToken(orderId, 'order-for', 'token-1'.padEnd(300, 'z'));
    const other = await issueLink({ orderId, recipient: 'b@x.example', role: 'delegate' });
    const { linkId } = await issueLink({ orderId, recipient: 'a@x.example', role: 'contact' });
    const spy = vi.spyOn(dynamodb(), 'send');

    const found = await findLinkWithOrder(linkId);
    const requests = spy.mock.calls.length;
    spy.mockRestore();

    expect(requests).toBe(1);
    expect(found?.link).toMatchObject({ linkHash: hashLinkId(linkId), recipient: 'a@x.example' });
    expect(found?.order.orderId).toBe(orderId);
    expect(found?.steps.map((s) => s.stepId)).toEqual(['order-for']);
    expect((await findLinkWithOrder(other.linkId))?.link.recipient).toBe('b@x.example');
  });

  it('1,000 tampered ids give 0 forms: another secret, another order, one character changed', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    await storeTaskToken(orderId, 'order-for', 'token-2'.padEnd(300, 'z'));
    const otherOrder = await seedOrder({ status: 'in-progress' });
    await storeTaskToken(otherOrder, 'order-for', 'token-3'.padEnd(300, 'z'));
    const { linkId } = await issueLink({
      orderId,
      recipient: 'ana.popescu@partner.example',
      role: 'contact',
    });
    const secret = linkId.slice(orderId.length + 1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const oneChanged = (id: string, i: number) => {
      const at = i % id.length;
      const now = id.charAt(at);
      const next = alphabet.charAt((alphabet.indexOf(now) + 1 + (i % 63)) % alphabet.length);
      return `${id.slice(0, at)}${next}${id.slice(at + 1)}`;
    };
    const tampered = new Set<string>();
    for (let i = 0; tampered.size < 1000; i++) {
      const kind = i % 3;
      if (kind === 0) tampered.add(`${orderId}_${newLinkSecret()}`);
      else if (kind === 1) tampered.add(`${otherOrder}_${i === 1 ? secret : oneChanged(secret, i)}`);
      else tampered.add(oneChanged(linkId, i));
    }
    tampered.delete(linkId);
    const client = new WebClient();
    let forms = 0;
    const titles = new Set<string>();
    for (const id of tampered) {
      const page = await client.get(`/setup/${id}`);
      titles.add(`${page.status} ${h1(page.body)}`);
      if (page.body.includes('<form') || page.body.includes('Popescu')) forms++;
    }
    expect(forms).toBe(0);
    expect([...titles]).toEqual(['404 This link is not valid']);
    // The real link still opens its step.
    expect((await client.get(`/setup/${linkId}`)).body).toContain(
      `action="/setup/${linkId}/steps/order-for"`,
    );
  });
});

describe('links sent in the old format (before links lived with their order)', () => {
  it('still open their step, and are revoked with the order’s other links', async () => {
    const orderId = await seedOrder({ status: 'in-progress' });
    await storeTaskToken(orderId, 'order-for', 'token-4'.padEnd(300, 'z'));
    const oldLinkId = await issueOldFormatLink(orderId, 'ana.popescu@partner.example');
    const client = new WebClient();

    const page = await client.get(`/setup/${oldLinkId}`);

    expect(page.status).toBe(200);
    expect(page.body).toContain(`action="/setup/${oldLinkId}/steps/order-for"`);
    expect((await findLink(oldLinkId))?.orderId).toBe(orderId);
    expect((await listLinks(orderId)).map((l) => l.linkHash)).toEqual([hashLinkId(oldLinkId)]);

    expect(await revokeLinks(orderId, 'order cancelled')).toBe(1);
    const revoked = await client.get(`/setup/${oldLinkId}?lang=en`);
    expect(revoked.status).toBe(410);
    expect(h1(revoked.body)).toBe('This link no longer works');
    expect(revoked.body).toContain(`action="/setup/${oldLinkId}/new-link"`);
  });
});
