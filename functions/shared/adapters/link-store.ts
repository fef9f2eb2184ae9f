import { GetCommand, PutCommand, UpdateCommand } from '../clients/dynamodb';
import * as z from 'zod';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { hashLinkId, newLinkId, parseLinkId, safeEqual } from '../domain/links';
import type { OrderRecord } from '../domain/order-record.schema';
import { assigneeRoleSchema, type AssigneeRole } from '../domain/order.schema';
import { expiresAfter, isConditionalCheckFailed, keys, RETENTION_DAYS } from './keys';
import { orderChanged, type OrderChange } from './order-changes';
import {
  findOrderWithSteps,
  heldSitesIn,
  LEGACY_STEPS_END,
  orderWithSteps,
  withLegacySteps,
  type WaitingStep,
} from './step-store';
import { queryPartition, queryRange, stripKeys } from './order-repository';

// Setup links. Only the SHA-256 of a link id is stored; the id itself exists only in the email.
// A link lives in its order's partition (`LINK#<hash>`), and its id names the order
// (`<orderId>_<secret>`, domain/links.ts), so a page reads the link, the order and its steps in
// one Query (the steps are attributes of the order's item, step-store.ts). Links issued before that (a bare secret, stored as `LINK#<hash>` in a partition of
// its own, with a `LINKREF#` pointer in the order's) keep working: they take two reads.

const table = () => getConfig().TABLE_NAME;

export const linkRecordSchema = z.object({
  linkHash: z.string(),
  orderId: z.string(),
  recipient: z.string(),
  role: assigneeRoleSchema,
  /** `services`: the customer admin's self-setup link reaches only the service steps. */
  scope: z.enum(['all', 'services']),
  createdAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(['active', 'revoked']),
  revokedAt: z.string().optional(),
  revokedReason: z.string().optional(),
});
export type LinkRecord = z.infer<typeof linkRecordSchema>;

export type LinkState = 'active' | 'expired' | 'revoked';

export function linkState(link: LinkRecord, at: Date = new Date()): LinkState {
  if (link.status === 'revoked') return 'revoked';
  return Date.parse(link.expiresAt) <= at.getTime() ? 'expired' : 'active';
}

/** A link with its order and the order's steps, as one page needs them. */
export interface LinkWithOrder {
  link: LinkRecord;
  order: OrderRecord;
  steps: WaitingStep[];
  /** The dedupe keys of the audit entries on the order's item (order-repository.ts `auditKeysOf`). */
  audited: ReadonlySet<string>;
  /** The Meetings site names the order holds (its `SITEREF#` items, in the same range). */
  heldSites: readonly string[];
}

/**
 * Issues a new link for one person on one order; returns the raw id to put in their email.
 * One request: a conditional PutItem in the order's partition.
 */
export async function issueLink(input: {
  orderId: string;
  recipient: string;
  role: AssigneeRole;
  scope?: 'all' | 'services';
  ttlSeconds?: number;
}): Promise<{ linkId: string; link: LinkRecord }> {
  const linkId = newLinkId(input.orderId);
  const linkHash = hashLinkId(linkId);
  const at = new Date();
  const link: LinkRecord = {
    linkHash,
    orderId: input.orderId,
    recipient: input.recipient,
    role: input.role,
    scope: input.scope ?? (input.role === 'customer-admin' ? 'services' : 'all'),
    createdAt: at.toISOString(),
    expiresAt: new Date(
      at.getTime() + (input.ttlSeconds ?? getConfig().LINK_TTL_SECONDS) * 1000,
    ).toISOString(),
    status: 'active',
  };
  await dynamodb().send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...keys.orderLink(input.orderId, linkHash),
        type: 'link',
        ...link,
        ...expiresAfter(RETENTION_DAYS.linkAfterExpiry, link.expiresAt),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { linkId, link };
}

/**
 * The order's item (with its steps) sorts at `ORDER`; the link's own item sorts before it. The
 * range goes on to the old step items (`STEP#…`, step-store.ts `withLegacySteps`), which an order
 * waiting since before steps moved onto its item still has.
 */
const PAGE_RANGE_END = LEGACY_STEPS_END;

/**
 * The link with its order and steps, or undefined for a link that is malformed, unknown, or whose
 * order is gone (one answer for all three). One request (a Query on the order's partition) for a
 * link id that names its order; two (a GetItem, then that Query) for an old-format id.
 */
export async function findLinkWithOrder(linkId: string): Promise<LinkWithOrder | undefined> {
  const parsed = parseLinkId(linkId);
  if (!parsed) return undefined;
  const linkHash = hashLinkId(linkId);
  if (parsed.format === 'legacy') {
    const link = await findLegacyLink(linkHash);
    const found = link ? await findOrderWithSteps(link.orderId) : undefined;
    return link && found ? { link, ...found } : undefined;
  }
  const linkSk = keys.orderLink(parsed.orderId, linkHash).sk;
  // From this link's sort key to the order: this link, then (filtered out) the order's other links
  // and old pointers, then the order's item, which holds its steps.
  const items = await queryRange(keys.orderPk(parsed.orderId), linkSk, PAGE_RANGE_END, {
    // A filter may not name a key attribute: the item type and the stored hash do the same.
    expression: '(#type = :linkType AND linkHash = :hash) OR #type IN (:order, :step, :siteRef)',
    names: { '#type': 'type' },
    values: {
      ':hash': linkHash,
      ':linkType': 'link',
      ':order': 'order',
      ':step': 'step',
      ':siteRef': 'site-ref',
    },
  });
  const linkItem = items.find((item) => item.sk === linkSk);
  // The key did the lookup; the stored hash is compared again in constant time all the same.
  if (!linkItem || !safeEqual(String(linkItem.linkHash), linkHash)) return undefined;
  // Only a working link's read moves old step items onto the order (a guess writes nothing).
  const orderItem = await withLegacySteps(parsed.orderId, items);
  if (!orderItem) return undefined;
  return {
    link: linkRecordSchema.parse(stripKeys(linkItem)),
    ...orderWithSteps(orderItem),
    heldSites: heldSitesIn(items),
  };
}

/**
 * What a page read, with one written item applied: no request. A change to another link of the
 * order, or to an item this page does not show, leaves it as it was.
 */
export function applyChange(read: LinkWithOrder, change: OrderChange): LinkWithOrder {
  const { item } = change;
  switch (change.kind) {
    case 'order':
      // The order's item holds its steps: the written item carries both.
      return { ...read, ...orderWithSteps(item) };
    case 'link':
      return item.linkHash === read.link.linkHash
        ? { ...read, link: linkRecordSchema.parse(stripKeys(item)) }
        : read;
  }
}

async function findLegacyLink(linkHash: string): Promise<LinkRecord | undefined> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.link(linkHash), ConsistentRead: true }),
  );
  return Item ? linkRecordSchema.parse(stripKeys(Item)) : undefined;
}

/** The link alone, by its raw id. One request (GetItem). */
export async function findLink(linkId: string): Promise<LinkRecord | undefined> {
  const parsed = parseLinkId(linkId);
  if (!parsed) return undefined;
  const linkHash = hashLinkId(linkId);
  if (parsed.format === 'legacy') return findLegacyLink(linkHash);
  const { Item } = await dynamodb().send(
    new GetCommand({
      TableName: table(),
      Key: keys.orderLink(parsed.orderId, linkHash),
      ConsistentRead: true,
    }),
  );
  return Item ? linkRecordSchema.parse(stripKeys(Item)) : undefined;
}

interface StoredLink {
  key: Record<string, string>;
  /** The record (links in the order's partition), or only its recipient (an old link's pointer). */
  link?: LinkRecord;
  linkHash: string;
  recipient: string;
}

/** The order's links and old-format pointers: one Query (`LINK` prefix: `LINK#` and `LINKREF#`). */
async function storedLinks(orderId: string): Promise<StoredLink[]> {
  const items = await queryPartition(keys.orderPk(orderId), 'LINK');
  return items.map((item) => {
    const linkHash = String(item.linkHash);
    if (String(item.sk).startsWith('LINKREF#'))
      return { key: keys.link(linkHash), linkHash, recipient: String(item.recipient) };
    const link = linkRecordSchema.parse(stripKeys(item));
    return { key: keys.orderLink(orderId, linkHash), link, linkHash, recipient: link.recipient };
  });
}

/** Every link of the order. One request (Query), plus one GetItem per old-format link. */
export async function listLinks(orderId: string): Promise<LinkRecord[]> {
  const stored = await storedLinks(orderId);
  const links = await Promise.all(stored.map((s) => s.link ?? findLegacyLink(s.linkHash)));
  return links.filter((l): l is LinkRecord => l !== undefined);
}

/**
 * Revokes every active link of the order, except those of `keepRecipient` when given.
 * One request (Query), then one conditional UpdateItem per link to revoke.
 */
/** Why a link was revoked when its order was handed to someone else (hand-off/handler.ts). */
export const REVOKED_BY_HAND_OFF = 'handed off';

export async function revokeLinks(orderId: string, reason: string, keepRecipient?: string): Promise<number> {
  let revoked = 0;
  for (const stored of await storedLinks(orderId)) {
    if (stored.recipient === keepRecipient || (stored.link && stored.link.status !== 'active')) continue;
    try {
      const { Attributes } = await dynamodb().send(
        new UpdateCommand({
          TableName: table(),
          Key: stored.key,
          ReturnValues: 'ALL_NEW',
          UpdateExpression: 'SET #status = :revoked, revokedAt = :at, revokedReason = :reason',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':revoked': 'revoked',
            ':active': 'active',
            ':at': new Date().toISOString(),
            ':reason': reason,
          },
        }),
      );
      // A page waiting on this order (`/next`) shows "no longer works" at once.
      if (Attributes) orderChanged(orderId, { kind: 'link', item: Attributes });
      revoked++;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
  return revoked;
}

/** The per-link limit's window: requests are counted per link per minute. */
const HITS_WINDOW_SECONDS = 60;
/** Counted requests one link may make in a window (LINK_RATE_LIMIT_PER_MINUTE). */
export const DEFAULT_LINK_RATE_LIMIT = 60;

/**
 * Counts one request of a link against its per-minute limit: a counter item in the order's
 * partition per link and minute (removed by DynamoDB's TTL an hour later). Returns whether the
 * request is within the limit and, when not, the seconds until the window ends (Retry-After).
 * One request (UpdateItem).
 */
export async function countLinkRequest(
  link: Pick<LinkRecord, 'orderId' | 'linkHash'>,
  at: Date = new Date(),
): Promise<{ allowed: boolean; count: number; retryAfterSeconds: number }> {
  const seconds = Math.floor(at.getTime() / 1000);
  const minute = Math.floor(seconds / HITS_WINDOW_SECONDS);
  const { Attributes } = await dynamodb().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.linkHits(link.orderId, link.linkHash, minute),
      UpdateExpression: 'ADD hits :one SET #type = :type, #ttl = :ttl',
      ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':type': 'linkhits',
        ':ttl': (minute + 1) * HITS_WINDOW_SECONDS + 3600,
      },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const count = Number(Attributes?.hits ?? 1);
  const limit = getConfig().LINK_RATE_LIMIT_PER_MINUTE ?? DEFAULT_LINK_RATE_LIMIT;
  return {
    allowed: count <= limit,
    count,
    retryAfterSeconds: Math.max(1, (minute + 1) * HITS_WINDOW_SECONDS - seconds),
  };
}
