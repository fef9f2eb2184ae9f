import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '../clients/dynamodb';
import { dynamodb } from '../clients/dynamodb';
import { getConfig } from '../config';
import { auditEntrySchema, type AuditEntry } from '../domain/audit.schema';
import { orderRecordSchema, type OrderRecord } from '../domain/order-record.schema';
import {
  CLOSED_STATUSES,
  FINAL_STATUSES,
  type OrderPlacedDetail,
  type ServiceType,
} from '../domain/order.schema';
import { OrderClosedError, OrderNotFoundError } from '../errors';
import { isConditionalCheckFailed, keys, orderItemTtl } from './keys';
import { orderChanged } from './order-changes';

// The order record and its audit trail. Only this module reads or writes them.

const table = () => getConfig().TABLE_NAME;
const now = () => new Date().toISOString();

export function newOrderRecord(detail: OrderPlacedDetail, at: string): OrderRecord {
  return {
    ...detail,
    status: 'received',
    assignee: { email: detail.contact.email, role: 'contact' },
    provisioned: {},
    currentStep: 'Receive order',
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Stores a new order once. Returns false when an order with this id already exists (a duplicate
 * event). `audit`: the entry that says so, stored with the order (no request of its own).
 * One request (a conditional PutItem).
 */
export async function createOrder(record: OrderRecord, audit?: OrderAudit): Promise<boolean> {
  const entry = audit ? auditOnOrder(audit.entry, audit.dedupeKey) : undefined;
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.order(record.orderId),
          type: 'order',
          ...record,
          ...orderItemTtl(),
          ...(entry && { [entry.attribute]: entry.value }),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** The order, or undefined. One request (GetItem). */
export async function findOrder(orderId: string): Promise<OrderRecord | undefined> {
  const { Item } = await dynamodb().send(
    new GetCommand({ TableName: table(), Key: keys.order(orderId), ConsistentRead: true }),
  );
  return Item ? orderRecordSchema.parse(stripKeys(Item)) : undefined;
}

/** The order; OrderNotFoundError when there is none. One request (GetItem). */
export async function getOrder(orderId: string): Promise<OrderRecord> {
  const order = await findOrder(orderId);
  if (!order) throw new OrderNotFoundError(`Order ${orderId} does not exist`);
  return order;
}

/**
 * The order with the Meetings site names it holds (its `SITEREF#` items sort right after the
 * order's item): OrderNotFoundError when there is none. One request (Query).
 */
export async function getOrderWithSiteNames(
  orderId: string,
): Promise<{ order: OrderRecord; heldSites: string[] }> {
  const items = await queryRange(keys.orderPk(orderId), keys.order(orderId).sk, 'SITEREF#\uffff', {
    expression: '#type IN (:order, :siteRef)',
    names: { '#type': 'type' },
    values: { ':order': 'order', ':siteRef': 'site-ref' },
  });
  const orderItem = items.find((item) => item.type === 'order');
  if (!orderItem) throw new OrderNotFoundError(`Order ${orderId} does not exist`);
  return {
    order: orderRecordSchema.parse(stripKeys(orderItem)),
    heldSites: items.filter((item) => item.type === 'site-ref').map((item) => String(item.siteName)),
  };
}

/** Not moving: completed, cancelled, expired or failed. */
export function isClosed(order: Pick<OrderRecord, 'status'>): boolean {
  return CLOSED_STATUSES.includes(order.status);
}

export function isFinal(order: Pick<OrderRecord, 'status'>): boolean {
  return FINAL_STATUSES.includes(order.status);
}

export type OrderPatch = Partial<Omit<OrderRecord, 'orderId' | 'createdAt'>>;
type Patch = OrderPatch;

/**
 * Sets fields on an order that has not reached a final status (completed, cancelled, expired).
 * A failed order may be written: a redriven run moves it on again. `allowClosed` lets the
 * closing steps themselves write. One request (a conditional UpdateItem); two when it is refused
 * (a GetItem says why: OrderNotFoundError or OrderClosedError).
 */
export async function updateOrder(
  orderId: string,
  patch: Patch,
  /** `audit`: the entry that records this change, written by the same request (`auditOnOrder`). */
  opts: { allowClosed?: boolean; audit?: OrderAudit } = {},
): Promise<void> {
  await writeOrder(orderId, patch, opts, false);
}

/** `updateOrder` that answers with the order as written: one request instead of a read and a write. */
export async function updateOrderAndRead(
  orderId: string,
  patch: Patch,
  opts: { allowClosed?: boolean } = {},
): Promise<OrderRecord> {
  const written = await writeOrder(orderId, patch, opts, true);
  return orderRecordSchema.parse(stripKeys(written ?? {}));
}

/**
 * The parts of an UpdateItem that sets `patch` (with updatedAt and the TTL) on an order that
 * exists and, unless `allowClosed`, has not reached a final status. step-store.ts adds a step's
 * change to the same write.
 */
export function orderWrite(
  patch: Patch,
  opts: { allowClosed?: boolean } = {},
): { sets: string[]; condition: string; names: Record<string, string>; values: Record<string, unknown> } {
  const fields = Object.entries({ ...patch, updatedAt: patch.updatedAt ?? now(), ...orderItemTtl() }).filter(
    ([, v]) => v !== undefined,
  );
  const names: Record<string, string> = { '#pk': 'pk' };
  const values: Record<string, unknown> = {};
  const sets = fields.map(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:v${i}`] = v;
    return `#f${i} = :v${i}`;
  });
  let condition = 'attribute_exists(#pk)';
  if (!opts.allowClosed) {
    names['#status'] = 'status';
    FINAL_STATUSES.forEach((s, i) => (values[`:closed${i}`] = s));
    condition += ` AND NOT #status IN (${FINAL_STATUSES.map((_, i) => `:closed${i}`).join(', ')})`;
  }
  return { sets, condition, names, values };
}

/** Why a conditional write of `orderWrite` was refused: the order is missing or closed. One request (GetItem). */
export async function orderWriteRefused(orderId: string): Promise<never> {
  const order = await findOrder(orderId);
  if (!order) throw new OrderNotFoundError(`Order ${orderId} does not exist`);
  throw new OrderClosedError(`Order ${orderId} is ${order.status}`);
}

type OrderWriteParts = ReturnType<typeof orderWrite>;

/**
 * Sends one conditional UpdateItem of the order's item: `write` (from `orderWrite`, plus whatever
 * the caller set on it), the audit entry when given (the first one kept on a retry), and
 * `extraCondition` ANDed to the write's condition. The written order wakes a waiting page with
 * what changed (order-changes.ts): same request. A refused write throws DynamoDB's
 * ConditionalCheckFailedException; each caller says what a refusal means.
 */
async function sendOrderWrite(
  orderId: string,
  write: OrderWriteParts,
  audit?: OrderAudit,
  extraCondition?: string,
): Promise<Record<string, unknown> | undefined> {
  const { sets, condition, names, values } = write;
  if (audit) {
    const entry = auditOnOrder(audit.entry, audit.dedupeKey, true);
    sets.push(entry.set);
    Object.assign(names, entry.names);
    Object.assign(values, entry.values);
  }
  const { Attributes } = await dynamodb().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.order(orderId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: extraCondition ? `${condition} AND ${extraCondition}` : condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }),
  );
  orderChanged(orderId, Attributes ? { kind: 'order', item: Attributes } : undefined);
  return Attributes;
}

async function writeOrder(
  orderId: string,
  patch: Patch,
  opts: { allowClosed?: boolean; audit?: OrderAudit },
  returnOrder: boolean,
): Promise<Record<string, unknown> | undefined> {
  try {
    const written = await sendOrderWrite(orderId, orderWrite(patch, opts), opts.audit);
    return returnOrder ? written : undefined;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return orderWriteRefused(orderId);
  }
}

/**
 * Records one provisioned service. A nested update, so parallel services never overwrite each other.
 * `patch` and `audit`: the order's other fields and the audit entry that records the service, set
 * by the same request. One request (a conditional UpdateItem).
 */
export async function setProvisioned(
  orderId: string,
  type: ServiceType,
  value: Record<string, unknown>,
  opts: { patch?: Patch; audit?: OrderAudit } = {},
): Promise<void> {
  const write = orderWrite(opts.patch ?? {});
  write.sets.push('provisioned.#t = :provisioned');
  write.names['#t'] = type;
  write.values[':provisioned'] = value;
  try {
    await sendOrderWrite(orderId, write, opts.audit);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    throw new OrderClosedError(`Order ${orderId} is closed`);
  }
}

/**
 * Keeps the Webex org id on the order's partner or customer organization (a nested update: the
 * step needs no read of the order first), with the audit entry that records it (`auditOnOrder`,
 * the first entry kept on a retry). An order without that organization gets the entry only;
 * a missing order OrderNotFoundError, a final one OrderClosedError.
 * One request (a conditional UpdateItem); two or three when it is refused (a GetItem says why).
 */
export async function setOrganizationWebexId(
  orderId: string,
  /** Which of the order's organizations; none: the entry alone. */
  kind: 'partner' | 'customer' | undefined,
  webexOrgId: string,
  audit: OrderAudit,
): Promise<void> {
  if (!kind) return addAuditOnOrder(orderId, audit.entry, audit.dedupeKey);
  const write = orderWrite({});
  write.sets.push('#org.#webexOrgId = :webexOrgId');
  write.names['#org'] = kind === 'partner' ? 'partnerOrg' : 'customerOrg';
  write.names['#webexOrgId'] = 'webexOrgId';
  write.values[':webexOrgId'] = webexOrgId;
  try {
    await sendOrderWrite(orderId, write, audit, 'attribute_exists(#org)');
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const order = await findOrder(orderId);
    if (!order) throw new OrderNotFoundError(`Order ${orderId} does not exist`);
    if (isFinal(order)) throw new OrderClosedError(`Order ${orderId} is ${order.status}`);
    // No such organization on the order: the entry alone, as before.
    await addAuditOnOrder(orderId, audit.entry, audit.dedupeKey);
  }
}

/**
 * Appends to the audit trail. `dedupeKey` makes a retried step write its entry once: the
 * entry's sort key is derived from it instead of from the clock. Returns false when the entry
 * with that key was written before. One request (a PutItem, conditional with `dedupeKey`).
 */
export async function addAudit(orderId: string, entry: NewAuditEntry, dedupeKey?: string): Promise<boolean> {
  const at = entry.at ?? now();
  const full = auditEntrySchema.parse({ ...entry, at });
  const rand = dedupeKey ?? randomBytes(4).toString('hex');
  const key = dedupeKey
    ? { pk: keys.orderPk(orderId), sk: `AUDIT#${dedupeKey}` }
    : keys.audit(orderId, at, rand);
  try {
    await dynamodb().send(
      new PutCommand({
        TableName: table(),
        Item: { ...key, type: 'audit', ...full, ...orderItemTtl() },
        ConditionExpression: dedupeKey ? 'attribute_not_exists(pk)' : undefined,
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return false;
  }
}

/** What `addAudit` takes: an entry, its time now unless given. */
export type NewAuditEntry = Omit<AuditEntry, 'at' | 'details'> & {
  at?: string;
  details?: AuditEntry['details'];
};

/** The order item's attribute that holds an audit entry written with another write of the order. */
const AUDIT_ATTRIBUTE = 'audit:';

/** An audit entry to write with a write of the order's item; `dedupeKey` names it (one entry per key). */
export interface OrderAudit {
  entry: NewAuditEntry;
  dedupeKey: string;
}

/**
 * An audit entry that rides on a write of the order's item that happens anyway (a submit's claim,
 * step-store.ts; an order's creation or a change of its fields): the attribute
 * `audit:<dedupeKey>` of the order, set by the same request, so the entry costs no request of its
 * own. `firstWins`: a retried write keeps the entry already there; otherwise the same key again
 * replaces it. listAudit reads these beside the AUDIT# items.
 */
export function auditOnOrder(
  entry: NewAuditEntry,
  dedupeKey: string,
  firstWins = false,
): {
  set: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
  attribute: string;
  value: AuditEntry;
} {
  const full = auditEntrySchema.parse({ ...entry, at: entry.at ?? now() });
  const attribute = `${AUDIT_ATTRIBUTE}${dedupeKey}`;
  return {
    set: firstWins ? '#audit = if_not_exists(#audit, :audit)' : '#audit = :audit',
    names: { '#audit': attribute },
    values: { ':audit': full },
    attribute,
    value: full,
  };
}

/** The dedupe keys of the audit entries an order's item holds (`auditOnOrder`). No request. */
export function auditKeysOf(orderItem: Record<string, unknown>): Set<string> {
  return new Set(
    Object.keys(orderItem)
      .filter((name) => name.startsWith(AUDIT_ATTRIBUTE))
      .map((name) => name.slice(AUDIT_ATTRIBUTE.length)),
  );
}

/**
 * Adds an audit entry to the order's item (`auditOnOrder`), once per `dedupeKey` (the first one
 * stays), with no other change: for a caller that knows from its read of the order whether the
 * entry is there (`auditKeysOf`) and writes only when it is not. Nothing for a missing order.
 * One request (a conditional UpdateItem).
 */
export async function addAuditOnOrder(
  orderId: string,
  entry: NewAuditEntry,
  dedupeKey: string,
): Promise<void> {
  const audit = auditOnOrder(entry, dedupeKey, true);
  try {
    await dynamodb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.order(orderId),
        UpdateExpression: `SET ${audit.set}`,
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { ...audit.names, '#pk': 'pk' },
        ExpressionAttributeValues: audit.values,
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** The audit entries an order's item holds (`auditOnOrder`). No request. */
function auditOf(orderItem: Record<string, unknown>): AuditEntry[] {
  return Object.entries(orderItem)
    .filter(([name]) => name.startsWith(AUDIT_ATTRIBUTE))
    .map(([, value]) => auditEntrySchema.parse(value));
}

/**
 * The order's item and its audit trail, oldest first: one Query from the first AUDIT# item to the
 * order's item (the items between them, emails sent, links and their counters, are filtered out).
 */
async function readAudit(
  orderId: string,
): Promise<{ orderItem?: Record<string, unknown>; audit: AuditEntry[] }> {
  const items = await queryRange(keys.orderPk(orderId), 'AUDIT#', keys.order(orderId).sk, {
    expression: '#type IN (:audit, :order)',
    names: { '#type': 'type' },
    values: { ':audit': 'audit', ':order': 'order' },
  });
  const orderItem = items.find((item) => item.sk === keys.order(orderId).sk);
  const audit = [
    ...items.filter((item) => item !== orderItem).map((i) => auditEntrySchema.parse(stripKeys(i))),
    ...(orderItem ? auditOf(orderItem) : []),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return { orderItem, audit };
}

/** The order with its audit trail, oldest first; undefined when there is no order. One request (Query). */
export async function findOrderWithAudit(
  orderId: string,
): Promise<{ order: OrderRecord; audit: AuditEntry[] } | undefined> {
  const { orderItem, audit } = await readAudit(orderId);
  return orderItem ? { order: orderRecordSchema.parse(stripKeys(orderItem)), audit } : undefined;
}

/** The audit trail, oldest first: the AUDIT# items and the entries on the order's item. One request (Query). */
export async function listAudit(orderId: string): Promise<AuditEntry[]> {
  return (await readAudit(orderId)).audit;
}

/** Every item of one partition whose sort key starts with `prefix`, following pages: one request (Query) per 1 MB. */
export async function queryPartition(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
  return queryPages('pk = :pk AND begins_with(sk, :prefix)', { ':pk': pk, ':prefix': prefix });
}

/**
 * The items of one order partition whose sort keys fall between `from` and `to` (inclusive), in
 * one Query (paged only past 1 MB). A setup link's item (`LINK#`) sorts before the order's item,
 * which holds its steps, so a link with its order and steps is one range (link-store.ts).
 */
export async function queryRange(
  pk: string,
  from: string,
  to: string,
  /** A filter on non-key attributes (DynamoDB may not filter on the keys themselves). */
  filter?: QueryFilter,
): Promise<Record<string, unknown>[]> {
  return queryPages('pk = :pk AND sk BETWEEN :from AND :to', { ':pk': pk, ':from': from, ':to': to }, filter);
}

export interface QueryFilter {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, string>;
}

/** A strongly consistent Query on the table, every page of it. */
async function queryPages(
  keyCondition: string,
  values: Record<string, string>,
  filter?: QueryFilter,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: keyCondition,
        ...(filter && { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names }),
        ExpressionAttributeValues: { ...values, ...filter?.values },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    out.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

export function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { pk, sk, gsi1pk, gsi1sk, type, ...rest } = item;
  return rest;
}
