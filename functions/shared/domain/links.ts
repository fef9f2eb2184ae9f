import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Setup links: `<base>/setup/<linkId>`. The id carries 192 random bits; only its SHA-256 is stored.

export const LINK_ID_BYTES = 24;
const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export function newLinkId(): string {
  return randomBytes(LINK_ID_BYTES).toString('base64url');
}

export function isWellFormedLinkId(value: string): boolean {
  return LINK_ID_PATTERN.test(value);
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
