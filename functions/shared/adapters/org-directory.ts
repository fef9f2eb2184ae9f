import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { isPublicEmailDomain, type OrgDirectory } from '../domain/org-matching';
import {
  organizationSchema,
  type NewOrganization,
  type OrgImportLine,
  type OrgKind,
  type Organization,
} from '../domain/org.schema';
import type { PartnerRole } from '../domain/order.schema';
import { GSI1, isConditionalCheckFailed, keys } from './keys';
import { queryPartition, stripKeys } from './order-repository';

// The organization directory in DynamoDB. Lookups by user email and by domain are one exact-key
// Query on GSI1 each: every index item (a domain, a user) carries a copy of its organization's
// summary (`org`), so matching needs no second round trip whatever the directory's size. Items
// written before the summaries existed are read with one BatchGet, as before.

const table = () => getConfig().TABLE_NAME;
/** At most this many organizations are offered for one domain (the UI lists them all). */
export const MAX_ORGS_PER_LOOKUP = 50;

/** The organizations an index key points at: one Query, summaries from the index items. */
async function orgsByGsi(gsi1pk: string): Promise<Organization[]> {
  const { Items } = await dynamodb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :k',
      ExpressionAttributeValues: { ':k': gsi1pk },
      Limit: MAX_ORGS_PER_LOOKUP,
    }),
  );
  const found = new Map<string, Organization | undefined>();
  for (const item of Items ?? []) {
    const orgId = String(item.orgId);
    if (found.get(orgId)) continue;
    const summary = organizationSchema.safeParse(item.org);
    found.set(orgId, summary.success ? summary.data : undefined);
  }
  const missing = [...found].filter(([, org]) => !org).map(([orgId]) => orgId);
  const fetched = new Map((await getOrganizations(missing)).map((o) => [o.orgId, o]));
  return [...found].flatMap(([orgId, org]) => {
    const resolved = org ?? fetched.get(orgId);
    return resolved ? [resolved] : [];
  });
}

export async function getOrganizations(orgIds: string[]): Promise<Organization[]> {
  if (orgIds.length === 0) return [];
  const out: Organization[] = [];
  for (let i = 0; i < orgIds.length; i += 100) {
    let request: BatchGetCommandInput['RequestItems'] = {
      [table()]: { Keys: orgIds.slice(i, i + 100).map((id) => keys.org(id)) },
    };
    while (request && Object.keys(request).length > 0) {
      const res: BatchGetCommandOutput = await dynamodb().send(
        new BatchGetCommand({ RequestItems: request }),
      );
      out.push(...(res.Responses?.[table()] ?? []).map((item) => organizationSchema.parse(stripKeys(item))));
      request = res.UnprocessedKeys;
    }
  }
  return out;
}

export async function findOrganization(orgId: string): Promise<Organization | undefined> {
  const { Item } = await dynamodb().send(new GetCommand({ TableName: table(), Key: keys.org(orgId) }));
  return Item ? organizationSchema.parse(stripKeys(Item)) : undefined;
}

export const dynamoOrgDirectory: OrgDirectory = {
  async findOrgsByUserEmail(kind: OrgKind, email: string) {
    return orgsByGsi(keys.gsiUser(kind, email.toLowerCase()));
  },
  async findOrgsByDomain(kind: OrgKind, domain: string) {
    return orgsByGsi(keys.gsiDomain(kind, domain.toLowerCase()));
  },
};

/** The items that store one organization with its domains and users. */
export function organizationItems(line: OrgImportLine, at: string): Record<string, unknown>[] {
  const active = line.users.filter((u) => u.active);
  const last = line.users
    .map((u) => u.lastActivityAt)
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { users, ...org } = line;
  const record: Organization = organizationSchema.parse({
    ...org,
    createdAt: line.createdAt ?? at,
    activeUsers: active.length,
    lastActivityAt: last,
  });
  return [
    { ...keys.org(record.orgId), type: 'org', ...record },
    ...record.domains.map((d) => ({
      ...keys.orgDomain(record.orgId, d.domain),
      type: 'org-domain',
      gsi1pk: keys.gsiDomain(record.kind, d.domain),
      gsi1sk: `ORG#${record.orgId}`,
      orgId: record.orgId,
      ...d,
      org: record,
    })),
    ...line.users.map((u) => ({
      ...keys.orgUser(record.orgId, u.email),
      type: 'org-user',
      gsi1pk: keys.gsiUser(record.kind, u.email),
      gsi1sk: `ORG#${record.orgId}`,
      orgId: record.orgId,
      ...u,
      org: record,
    })),
  ];
}

/** Writes items in batches of 25 (DynamoDB's limit), retrying what comes back unprocessed. */
export async function batchPut(items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: { PutRequest: { Item: Record<string, unknown> } }[] = items
      .slice(i, i + 25)
      .map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      const res = await dynamodb().send(new BatchWriteCommand({ RequestItems: { [table()]: pending } }));
      pending = (res.UnprocessedItems?.[table()] ?? []) as typeof pending;
      if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
}

/**
 * The id of the org an order creates. Order ids may be 80 characters and org ids 64: a longer
 * id keeps a prefix and a hash of the whole order id, so two orders never share a created org.
 */
export function createdOrgId(orderId: string, kind: OrgKind): string {
  const id = `${kind === 'partner' ? 'p' : 'c'}-${orderId}`;
  if (id.length <= 64) return id;
  return `${id.slice(0, 31)}-${createHash('sha256').update(orderId).digest('hex').slice(0, 32)}`;
}

/**
 * Creates the organization a contact described in the wizard. The id is derived from the order
 * and kind, so a retried step finds the org it created instead of creating a second one.
 */
export async function createOrganization(input: {
  orderId: string;
  kind: OrgKind;
  organization: NewOrganization;
  adminEmail: string;
}): Promise<Organization> {
  const orgId = createdOrgId(input.orderId, input.kind);
  const existing = await findOrganization(orgId);
  if (existing) return existing;
  const at = new Date().toISOString();
  const domain = input.adminEmail.split('@')[1] ?? '';
  const items = organizationItems(
    {
      orgId,
      kind: input.kind,
      name: input.organization.name,
      businessVertical: input.organization.businessVertical,
      country: input.organization.country,
      address: input.organization.address,
      // A new org claims the admin's domain; verifying it happens later, in Control Hub.
      domains: domain && !isPublicEmailDomain(domain) ? [{ domain, status: 'claimed' }] : [],
      users: [{ email: input.adminEmail, active: true, lastActivityAt: at }],
      createdAt: at,
      createdByOrder: input.orderId,
    },
    at,
  );
  await batchPut(items);
  return organizationSchema.parse(stripKeys(items[0] ?? {}));
}

/**
 * Records the partner's role on a customer org and returns the role it holds now. A partner that
 * created the customer (full admin) keeps that role when a later order maps the same customer.
 */
export async function recordPartnerRelation(input: {
  customerId: string;
  partnerId: string;
  role: PartnerRole;
  orderId: string;
}): Promise<PartnerRole> {
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.partnerOf(input.customerId, input.partnerId),
          type: 'partner-relation',
          gsi1pk: keys.gsiCustomers(input.partnerId),
          gsi1sk: `ORG#${input.customerId}`,
          ...input,
          at: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #role <> :full',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':full': 'full-admin' },
      }),
    );
    return input.role;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return 'full-admin';
  }
}

export async function getPartnerRelation(
  customerId: string,
  partnerId: string,
): Promise<{ role: PartnerRole; orderId: string } | undefined> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.partnerOf(customerId, partnerId) }),
  );
  return Item ? { role: Item.role as PartnerRole, orderId: String(Item.orderId) } : undefined;
}

/** Reserves a Meetings site name for an order. False when another order holds it. */
export async function reserveSiteName(siteName: string, orderId: string): Promise<boolean> {
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.site(siteName),
          type: 'site',
          siteName,
          orderId,
          reservedAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR orderId = :o',
        ExpressionAttributeValues: { ':o': orderId },
      }),
    );
    // The order's own list of the names it holds, so they can be released without a scan.
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.siteRef(orderId, siteName), type: 'site-ref', siteName },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** The Meetings site names this order holds. */
export async function siteNamesHeldBy(orderId: string): Promise<string[]> {
  const refs = await queryPartition(keys.orderPk(orderId), 'SITEREF#');
  return refs.map((r) => String(r.siteName));
}

/**
 * Gives back the site names this order holds, except `keep`: when the order ends without them
 * (expired, cancelled) or its final settings no longer use them. Only this order's names go.
 */
export async function releaseSiteNames(orderId: string, keep: readonly string[] = []): Promise<string[]> {
  const released: string[] = [];
  for (const siteName of await siteNamesHeldBy(orderId)) {
    if (keep.includes(siteName)) continue;
    try {
      await dynamodb().send(
        new DeleteCommand({
          TableName: table(),
          Key: keys.site(siteName),
          ConditionExpression: 'orderId = :o',
          ExpressionAttributeValues: { ':o': orderId },
        }),
      );
      released.push(siteName);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    await dynamodb().send(new DeleteCommand({ TableName: table(), Key: keys.siteRef(orderId, siteName) }));
  }
  return released;
}

export async function siteNameHolder(siteName: string): Promise<string | undefined> {
  const { Item } = await dynamodb().send(new GetCommand({ TableName: table(), Key: keys.site(siteName) }));
  return Item ? String(Item.orderId) : undefined;
}

/** How much of a rejected event is kept: a DynamoDB item holds at most 400 KB. */
export const MAX_REJECTED_EVENT_CHARS = 32 * 1024;
/** Nesting kept in a rejected event; deeper values are replaced by a note. */
export const MAX_REJECTED_EVENT_DEPTH = 32;

/** A copy of `value` at most `MAX_REJECTED_EVENT_DEPTH` deep; `cut` says whether anything was dropped. */
function limitDepth(value: unknown, depth: number, cut: { deep: boolean }): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_REJECTED_EVENT_DEPTH) {
    cut.deep = true;
    return `[cut: nested deeper than ${MAX_REJECTED_EVENT_DEPTH} levels]`;
  }
  if (Array.isArray(value)) return value.map((v) => limitDepth(v, depth + 1, cut));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, limitDepth(v, depth + 1, cut)]));
}

/** The event as JSON for the record: never throws, at most MAX_REJECTED_EVENT_CHARS, and says when cut. */
export function rejectedEventText(event: unknown): {
  event: string;
  eventBytes?: number;
  truncated: boolean;
} {
  const cut = { deep: false };
  const text = JSON.stringify(limitDepth(event, 0, cut)) ?? String(event);
  const long = text.length > MAX_REJECTED_EVENT_CHARS;
  // The original size, where it can be measured (a value too deep to write has none).
  let eventBytes: number | undefined;
  if (!cut.deep) eventBytes = Buffer.byteLength(text);
  return {
    event: long ? text.slice(0, MAX_REJECTED_EVENT_CHARS) : text,
    ...(eventBytes === undefined ? {} : { eventBytes }),
    truncated: cut.deep || long,
  };
}

/**
 * Records an event the intake refused, with why, so nothing sent is silently lost. Whatever its
 * size or depth: the event is cut to what an item can hold (the first 32 KB, at most 32 levels
 * deep), with `truncated` and the original size; `issues` are the first ones (zodIssues bounds
 * them) and `issueCount` how many there were.
 */
export async function recordRejectedEvent(input: {
  reason: string;
  issues: unknown;
  issueCount?: number;
  event: unknown;
}): Promise<string> {
  const at = new Date().toISOString();
  const id = randomUUID();
  await dynamodb().send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...keys.rejected(at, id),
        type: 'rejected-event',
        at,
        id,
        reason: input.reason,
        issues: input.issues,
        ...(input.issueCount === undefined ? {} : { issueCount: input.issueCount }),
        ...rejectedEventText(input.event),
      },
    }),
  );
  return id;
}
