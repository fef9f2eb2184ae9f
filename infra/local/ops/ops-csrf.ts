import { randomBytes } from 'node:crypto';
import { getConfig } from '../../../functions/shared/config';
import { hmac, safeEqual } from '../../../functions/shared/domain/links';

// CSRF for the ops actions: a random cookie (HttpOnly, SameSite=Strict, path /ops) and, in each
// form, an HMAC of it. A page on another site can neither read the cookie nor forge the token.

export const CSRF_COOKIE = 'ops_csrf';
const PROCESS_KEY = randomBytes(32).toString('hex');

function key(): string {
  return `ops-csrf:${getConfig().SIGNING_KEY ?? PROCESS_KEY}`;
}

export function newCsrfSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function csrfToken(secret: string): string {
  return hmac(key(), secret);
}

/** `ops_csrf=…; Path=/ops; HttpOnly; SameSite=Strict` (hono/cookie setCookie). */
export const CSRF_COOKIE_OPTIONS = { path: '/ops', httpOnly: true, sameSite: 'Strict' } as const;

export function validCsrf(secret: string | undefined, token: string | undefined): boolean {
  if (!secret || !token) return false;
  return safeEqual(csrfToken(secret), token);
}
