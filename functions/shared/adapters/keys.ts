import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

// The single-table key design. Every access is a GetItem, a Query on one partition, or a Query
// on GSI1 by an exact key: no Scan anywhere, whatever the directory size.
//
// | item                    | pk                   | sk                         | gsi1pk                       |
// |-------------------------|----------------------|----------------------------|------------------------------|
// | order                   | ORDER#<orderId>      | ORDER                      | ORDERS (gsi1sk: createdAt)   |
// | audit entry             | ORDER#<orderId>      | AUDIT#<iso>#<rand>         |                              |
// | setup link              | ORDER#<orderId>      | LINK#<sha256>              |                              |
// | setup link's hit counter| ORDER#<orderId>      | HITS#<sha256>#<minute>     |                              |
// | link pointer (old links)| ORDER#<orderId>      | LINKREF#<hash>             |                              |
// | email sent (dedupe)     | ORDER#<orderId>      | EMAIL#<purpose>            |                              |
// | setup link (old format) | LINK#<sha256>        | LINK                       |                              |
// | organization            | ORG#<orgId>          | ORG                        |                              |
// | org domain              | ORG#<orgId>          | DOMAIN#<domain>            | DOMAIN#<kind>#<domain>       |
// | org user                | ORG#<orgId>          | USER#<email>               | USER#<kind>#<email>          |
// | partner of a customer   | ORG#<customerId>     | PARTNER#<partnerId>        | CUSTOMERS#<partnerId>        |
// | Meetings site name      | SITE#<name>          | SITE                       |                              |
// | site name an order holds| ORDER#<orderId>      | SITEREF#<name>             |                              |
// | rejected event          | REJECTED#<yyyy-mm-dd>| <iso>#<rand>               |                              |
// | cancel before its order | ORDER#<orderId>      | CANCELLED                  | EARLY_CANCELS (gsi1sk: at)   |
//
// A waiting step (with its task token) is not an item: it is the attribute `step:<stepId>` of its
// order's item (step-store.ts), so the write that starts a step also moves the order on. Steps
// stored before that as items `STEP#<stepId>` are moved onto the order's item by the first read
// that finds them (step-store.ts `withLegacySteps`). Audit entries written with a change of the
// order are attributes `audit:<key>` of its item too (order-repository.ts `auditOnOrder`).
//
// Items with a `ttl` attribute (epoch seconds) are removed by DynamoDB's TTL after that time
// (within a few days of it; reads do not filter expired items out before then). Every item that
// holds personal data or a task token has one (RETENTION_DAYS); the directory (organizations,
// their domains and users, site names) is reference data and has none.

export const GSI1 = 'gsi1';

export const keys = {
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  orderPk: (orderId: string) => `ORDER#${orderId}`,
  audit: (orderId: string, at: string, rand: string) => ({
    pk: `ORDER#${orderId}`,
    sk: `AUDIT#${at}#${rand}`,
  }),
  linkRef: (orderId: string, hash: string) => ({ pk: `ORDER#${orderId}`, sk: `LINKREF#${hash}` }),
  email: (orderId: string, purpose: string) => ({ pk: `ORDER#${orderId}`, sk: `EMAIL#${purpose}` }),
  /** A setup link, in its order's partition: read with the order and its steps in one Query. */
  orderLink: (orderId: string, hash: string) => ({ pk: `ORDER#${orderId}`, sk: `LINK#${hash}` }),
  /** A link's requests in one minute (the per-link rate limit); sorts outside the page's range. */
  linkHits: (orderId: string, hash: string, minute: number) => ({
    pk: `ORDER#${orderId}`,
    sk: `HITS#${hash}#${minute}`,
  }),
  /** Links issued before links lived with their order (read only; see link-store.ts). */
  link: (hash: string) => ({ pk: `LINK#${hash}`, sk: 'LINK' }),
  org: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'ORG' }),
  orgDomain: (orgId: string, domain: string) => ({ pk: `ORG#${orgId}`, sk: `DOMAIN#${domain}` }),
  orgUser: (orgId: string, email: string) => ({ pk: `ORG#${orgId}`, sk: `USER#${email}` }),
  partnerOf: (customerId: string, partnerId: string) => ({
    pk: `ORG#${customerId}`,
    sk: `PARTNER#${partnerId}`,
  }),
  site: (name: string) => ({ pk: `SITE#${name}`, sk: 'SITE' }),
  siteRef: (orderId: string, name: string) => ({ pk: `ORDER#${orderId}`, sk: `SITEREF#${name}` }),
  earlyCancellation: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'CANCELLED' }),
  gsiEarlyCancellations: 'EARLY_CANCELS',
  rejected: (at: string, rand: string) => ({ pk: `REJECTED#${at.slice(0, 10)}`, sk: `${at}#${rand}` }),
  gsiDomain: (kind: string, domain: string) => `DOMAIN#${kind}#${domain}`,
  gsiUser: (kind: string, email: string) => `USER#${kind}#${email}`,
  gsiCustomers: (partnerId: string) => `CUSTOMERS#${partnerId}`,
  gsiOrders: 'ORDERS',
};

/**
 * How long each kind of item is kept, in days (docs/deploy.md, "Security model").
 * - order: the order and every item of its partition (audit trail, steps and their task tokens,
 *   link pointers, emails sent, site names held), counted from each item's last write. A Standard
 *   run lasts at most a year; after its last change the order stays a year for questions about
 *   it (support, billing), plus a month.
 * - linkAfterExpiry: a setup link after it expired, so its page still says "expired" and offers a
 *   fresh link to the address on file rather than "not found".
 * - rejectedEvent: a refused event (what was wrong, not its content): a month for ops to see it and
 *   have the order system send a corrected one.
 */
export const RETENTION_DAYS = { order: 400, linkAfterExpiry: 90, rejectedEvent: 30 } as const;

/** The `ttl` attribute of an item kept `days` after `from` (epoch seconds, as DynamoDB's TTL reads it). */
export function expiresAfter(days: number, from: Date | string = new Date()): { ttl: number } {
  const start = typeof from === 'string' ? Date.parse(from) : from.getTime();
  return { ttl: Math.floor(start / 1000) + days * 24 * 3600 };
}

/** An item of an order's partition, written now. */
export const orderItemTtl = (from?: Date | string) => expiresAfter(RETENTION_DAYS.order, from);

/** The table's definition, shared by the CDK stack and the embedded runtime's CreateTable. */
export const TABLE_DEFINITION = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** DynamoDB TTL attribute (epoch seconds). dynalite does not expire items: nothing depends on it. */
  timeToLive: 'ttl',
  gsi1: { name: GSI1, partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

/** CreateTable for the design above: the embedded runtime and the tests create the table with it. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, gsi1 } = TABLE_DEFINITION;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: gsi1.name,
        KeySchema: [
          { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
          { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
