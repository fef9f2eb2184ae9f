import { GetCommand, PutCommand, UpdateCommand } from '../clients/dynamodb';
import * as z from 'zod';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { hashLinkId, newLinkId } from '../domain/links';
import { assigneeRoleSchema, type AssigneeRole } from '../domain/order.schema';
import { isConditionalCheckFailed, keys } from './keys';
import { queryPartition } from './order-repository';

// Setup links. Only the SHA-256 of a link id is stored; the id itself exists only in the email.

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

/** Issues a new link for one person on one order; returns the raw id to put in their email. */
export async function issueLink(input: {
  orderId: string;
  recipient: string;
  role: AssigneeRole;
  scope?: 'all' | 'services';
  ttlSeconds?: number;
}): Promise<{ linkId: string; link: LinkRecord }> {
  const linkId = newLinkId();
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
      Item: { ...keys.link(linkHash), type: 'link', ...link },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  // The pointer lets a hand-off or a cancellation find every link of the order without a scan.
  await dynamodb().send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...keys.linkRef(input.orderId, linkHash),
        type: 'linkref',
        linkHash,
        recipient: input.recipient,
      },
    }),
  );
  return { linkId, link };
}

export async function findLinkByHash(linkHash: string): Promise<LinkRecord | undefined> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.link(linkHash), ConsistentRead: true }),
  );
  return Item ? linkRecordSchema.parse(Item) : undefined;
}

export async function findLink(linkId: string): Promise<LinkRecord | undefined> {
  return findLinkByHash(hashLinkId(linkId));
}

export async function listLinks(orderId: string): Promise<LinkRecord[]> {
  const refs = await queryPartition(keys.orderPk(orderId), 'LINKREF#');
  const links = await Promise.all(refs.map((r) => findLinkByHash(String(r.linkHash))));
  return links.filter((l): l is LinkRecord => l !== undefined);
}

/** Revokes every active link of the order, except those of `keepRecipient` when given. */
export async function revokeLinks(orderId: string, reason: string, keepRecipient?: string): Promise<number> {
  const links = await listLinks(orderId);
  let revoked = 0;
  for (const link of links) {
    if (link.status !== 'active' || link.recipient === keepRecipient) continue;
    try {
      await dynamodb().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.link(link.linkHash),
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
      revoked++;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
  return revoked;
}
