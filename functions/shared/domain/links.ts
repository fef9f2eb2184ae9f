import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Setup links: `<base>/setup/<linkId>`, where the link id is `<orderId>_<secret>`. The secret
// carries 192 random bits and is what makes the link unguessable; the order id in front is not
// secret (it is in the email's subject too): it only says which order's partition holds the
// link, so one Query reads the link with its order and steps. Only the SHA-256 of the whole id is
// stored. A tampered order id points at a partition without that hash: the same "not valid" page.
// The secret has a fixed length, so the id splits without doubt (order ids may hold `_` too), and
// the whole id keeps the characters of the old ids ([A-Za-z0-9_-]): whatever found a link in an
// email or redacts one in the ops view still does.
//
// Links sent before this format (a bare 32-character secret, stored under its own key) are still
// read, the old way (two reads): see link-store.ts.

export const LINK_ID_BYTES = 24;
const SECRET = '[A-Za-z0-9_-]{32}';
/** The order id's own shape (order.schema.ts `orderIdSchema`), so a link id is one URL path segment. */
const LINK_ID_PATTERN = new RegExp(`^([A-Za-z0-9][A-Za-z0-9_-]{0,79})_(${SECRET})$`);
const LEGACY_LINK_ID_PATTERN = new RegExp(`^${SECRET}$`);

/** The random part of a link id: 24 bytes, base64url (32 characters). */
export function newLinkSecret(): string {
  return randomBytes(LINK_ID_BYTES).toString('base64url');
}

/** A new link id for one order: the order id, `_`, a fresh secret. */
export function newLinkId(orderId: string): string {
  return `${orderId}_${newLinkSecret()}`;
}

export type ParsedLinkId = { format: 'order'; orderId: string } | { format: 'legacy' };

/** What a link id names: the order whose partition holds it, or an old-format id; undefined when malformed. */
export function parseLinkId(value: string): ParsedLinkId | undefined {
  const match = LINK_ID_PATTERN.exec(value);
  if (match?.[1]) return { format: 'order', orderId: match[1] };
  return LEGACY_LINK_ID_PATTERN.test(value) ? { format: 'legacy' } : undefined;
}

export function isWellFormedLinkId(value: string): boolean {
  return parseLinkId(value) !== undefined;
}

export function hashLinkId(linkId: string): string {
  return createHash('sha256').update(linkId).digest('hex');
}

export function setupUrl(baseUrl: string, linkId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/setup/${linkId}`;
}

/** Hash of a task token: lets logs and records refer to a token without revealing it. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

export function hmac(key: string, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
