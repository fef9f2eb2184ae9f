import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '../clients/dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { isPublicEmailDomain, isUnconfirmedCreation, type OrgDirectory } from '../domain/org-matching';
import {
  organizationSchema,
  type NewOrganization,
  type OrgImportLine,
  type OrgKind,
  type Organization,
} from '../domain/org.schema';
import type { PartnerRole } from '../domain/order.schema';
import { expiresAfter, GSI1, isConditionalCheckFailed, keys, orderItemTtl, RETENTION_DAYS } from './keys';
import { addAuditOnOrder, queryPartition, stripKeys } from './order-repository';

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

/** The organizations with these ids (those that exist). One request (BatchGetItem) per 100 ids, plus one per unprocessed retry. */
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

/** Audit actions of the directory's lookups (functions/shared/i18n/pdf.*.ts names them). */
export const DIRECTORY_AUDIT_ACTIONS = {
  email: 'Directory searched by email',
  domain: 'Directory searched by domain',
} as const;

/**
 * The directory as one person sees it through one order: every lookup, by email or by domain,
 * is written to the order's audit trail with who asked, the query and how many organizations it
 * found that could be offered. The same query again in the same order is the same fact: it is
 * written once. The entry is kept on the order's item (order-repository.ts `auditOnOrder`), so
 * `audited` (the entries the page's read of the order found) says which are there already: a
 * query asked before costs no write. One request per query new to the order, none otherwise.
 */
export function auditedOrgDirectory(
  orderId: string,
  actor: string,
  directory: OrgDirectory = dynamoOrgDirectory,
  audited: ReadonlySet<string> = new Set(),
): OrgDirectory {
  const written = new Set(audited);
  const audit = async (by: 'email' | 'domain', kind: OrgKind, query: string, found: Organization[]) => {
    const q = query.toLowerCase();
    const key = `directory#${createHash('sha256').update(`${kind}|${by}|${q}`).digest('hex').slice(0, 32)}`;
    if (written.has(key)) return found;
    written.add(key);
    await addAuditOnOrder(
      orderId,
      {
        actor,
        action: DIRECTORY_AUDIT_ACTIONS[by],
        // What could be offered: unconfirmed creations never are.
        details: { query: q, results: found.filter((org) => !isUnconfirmedCreation(org)).length },
      },
      key,
    );
    return found;
  };
  return {
    async findOrgsByUserEmail(kind, email) {
      return audit('email', kind, email, await directory.findOrgsByUserEmail(kind, email));
    },
    async findOrgsByDomain(kind, domain) {
      return audit('domain', kind, domain, await directory.findOrgsByDomain(kind, domain));
    },
  };
}

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

/** Writes items in batches of 25 (DynamoDB's limit), retrying what comes back unprocessed: one request (BatchWriteItem) per 25 items and retry. */
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
 * Two requests (a GetItem, then one BatchWriteItem of its items); one when it exists already.
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
      // A new org claims the admin's domain, unverified: verifying it happens later, in Control
      // Hub, and reaches the directory through its import from Webex. Until then neither the
      // claim nor the admin (invited, not active) matches anything (isUnconfirmedCreation).
      domains: domain && !isPublicEmailDomain(domain) ? [{ domain, status: 'claimed' }] : [],
      users: [{ email: input.adminEmail, active: false }],
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
 * One request (a conditional PutItem).
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

/** The partner's role on a customer org. One request (GetItem). */
export async function getPartnerRelation(
  customerId: string,
  partnerId: string,
): Promise<{ role: PartnerRole; orderId: string } | undefined> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.partnerOf(customerId, partnerId) }),
  );
  return Item ? { role: Item.role as PartnerRole, orderId: String(Item.orderId) } : undefined;
}

/**
 * Reserves a Meetings site name for an order. False when another order holds it. Two requests
 * (a conditional PutItem of the name, a PutItem of the order's pointer to it); one when refused,
 * or when `refRead`: the caller's read of the order found its pointer to the name (`SITEREF#`),
 * so only the name is written (the conditional write still says whether the order holds it).
 */
export async function reserveSiteName(
  siteName: string,
  orderId: string,
  opts: { refRead?: boolean } = {},
): Promise<boolean> {
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
    if (opts.refRead) return true;
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.siteRef(orderId, siteName), type: 'site-ref', siteName, ...orderItemTtl() },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** The Meetings site names this order holds. One request (Query). */
export async function siteNamesHeldBy(orderId: string): Promise<string[]> {
  const refs = await queryPartition(keys.orderPk(orderId), 'SITEREF#');
  return refs.map((r) => String(r.siteName));
}

/**
 * Gives back the site names this order holds, except `keep`: when the order ends without them
 * (expired, cancelled) or its final settings no longer use them. Only this order's names go.
 * `held`: the names the caller's read of the order found it holding (order-repository.ts
 * `getOrderWithSiteNames`), so they are not read again. One request (Query) unless `held` is
 * given, then two (conditional DeleteItems) per name given back.
 */
export async function releaseSiteNames(
  orderId: string,
  keep: readonly string[] = [],
  held?: readonly string[],
): Promise<string[]> {
  const released: string[] = [];
  for (const siteName of held ?? (await siteNamesHeldBy(orderId))) {
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

/** The order that holds a Meetings site name, if any. One request (GetItem). */
export async function siteNameHolder(siteName: string): Promise<string | undefined> {
  const { Item } = await dynamodb().send(new GetCommand({ TableName: table(), Key: keys.site(siteName) }));
  return Item ? String(Item.orderId) : undefined;
}

/** Nesting walked when a rejected event is measured; deeper values are not looked into. */
export const MAX_REJECTED_EVENT_DEPTH = 32;
/** At most this many field names of a rejected event's detail are kept, each at most 64 characters. */
const MAX_FIELD_NAMES = 50;

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

const shortText = (value: unknown, max: number) =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;

/**
 * What is kept of a refused event: never its content (a placed order carries the contact's name
 * and email). Its envelope (EventBridge id, to find it in the bus archive while that keeps it;
 * source; detail-type; the order id when it is a plausible one), the names of its detail's
 * fields, and a SHA-256 and the size of its JSON, so the sender can tell which event it was.
 * Never throws: a value nested too deep is hashed as cut (`nestedTooDeep`) and has no size.
 */
export function rejectedEventSummary(event: unknown): Record<string, unknown> {
  const cut = { deep: false };
  const text = JSON.stringify(limitDepth(event, 0, cut)) ?? String(event);
  const envelope = (event !== null && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  const detail = envelope.detail;
  const fields =
    detail !== null && typeof detail === 'object' && !Array.isArray(detail)
      ? Object.keys(detail)
          .slice(0, MAX_FIELD_NAMES)
          .map((k) => k.slice(0, 64))
      : [];
  const orderId = shortText((detail as Record<string, unknown> | undefined)?.orderId, 80);
  const summary: Record<string, unknown> = {
    eventId: shortText(envelope.id, 100),
    source: shortText(envelope.source, 256),
    detailType: shortText(envelope['detail-type'], 256),
    orderId: orderId && /^[\w.:#-]+$/.test(orderId) ? orderId : undefined,
    fields,
    eventSha256: createHash('sha256').update(text).digest('hex'),
    ...(cut.deep ? { nestedTooDeep: true } : { eventBytes: Buffer.byteLength(text) }),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined));
}

/**
 * Records an event the intake refused, with why, so nothing sent is silently lost, and nothing
 * personal is kept: the reason, the issues (field paths and what is wrong with them; zodIssues
 * bounds them) and `issueCount`, and the summary above. Kept RETENTION_DAYS.rejectedEvent days.
 * One request (PutItem).
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
        ...rejectedEventSummary(input.event),
        ...expiresAfter(RETENTION_DAYS.rejectedEvent, at),
      },
    }),
  );
  return id;
}
