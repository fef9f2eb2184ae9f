import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { getConfig } from '../shared/config';
import { ConfigurationError } from '../shared/errors';
import { hmac, safeEqual } from '../shared/domain/links';
import { languageSchema, type Language } from '../shared/domain/order.schema';

// Signing for CSRF tokens and the session cookie. On AWS the key lives in Secrets Manager
// (read once, then cached by Powertools for SECRET_MAX_AGE seconds); on the embedded runtime and
// in tests it comes from SIGNING_KEY (the runtime reads it from .local/).

const SECRET_MAX_AGE_SECONDS = 300;

export async function signingKey(): Promise<string> {
  const config = getConfig();
  if (config.SIGNING_KEY) return config.SIGNING_KEY;
  if (!config.SIGNING_SECRET_ARN) {
    throw new ConfigurationError('Invalid configuration: SIGNING_KEY or SIGNING_SECRET_ARN is required');
  }
  const secret = await getSecret<string>(config.SIGNING_SECRET_ARN, { maxAge: SECRET_MAX_AGE_SECONDS });
  if (typeof secret !== 'string' || secret.length < 32) {
    throw new ConfigurationError('The signing secret must be a string of at least 32 characters');
  }
  return secret;
}

/**
 * A form's CSRF token: bound to the link (its hash) and to the action the form performs. A page
 * on another site cannot read it, and a token for one step does not work on another.
 */
export function csrfToken(key: string, linkHash: string, action: string): string {
  return hmac(key, `csrf|${linkHash}|${action}`);
}

export function verifyCsrf(
  key: string,
  linkHash: string,
  action: string,
  token: string | undefined,
): boolean {
  return typeof token === 'string' && token.length > 0 && safeEqual(csrfToken(key, linkHash, action), token);
}

/** How long after a hand-off its confirmation may still be shown on the link it revoked. */
export const HANDOFF_RECEIPT_SECONDS = 600;

/**
 * A receipt for the person who just handed the order on: the hand-off revokes their link, and
 * a revoked link shows only that it no longer works, except to the browser that made the hand-off
 * (its redirect carries this, signed for the link and the time), which is told where the order went.
 */
export function handOffReceipt(key: string, linkHash: string, now = Date.now()): string {
  const at = Math.floor(now / 1000);
  return `${at}.${hmac(key, `handoff|${linkHash}|${at}`)}`;
}

export function verifyHandOffReceipt(
  key: string,
  linkHash: string,
  receipt: string | undefined,
  now = Date.now(),
): boolean {
  const [at, mac] = (receipt ?? '').split('.');
  const issued = Number(at);
  if (!at || !mac || !/^\d{1,12}$/.test(at)) return false;
  const age = Math.floor(now / 1000) - issued;
  if (age < 0 || age > HANDOFF_RECEIPT_SECONDS) return false;
  return safeEqual(hmac(key, `handoff|${linkHash}|${at}`), mac);
}

/** Why a form post was refused as coming from another site, or undefined when it comes from the pages. */
export type ForeignPost = 'foreign-origin' | 'null-origin' | 'cross-site' | 'no-origin';

/**
 * Whether a form post comes from the setup pages themselves (the CSRF token is checked as well).
 * Browsers send `Origin` on every POST: it must be the origin of the public base URL (scheme,
 * host and port); `null` (a sandboxed frame, a data: page, a redirect across sites) is refused.
 * Without `Origin` (a proxy stripped it), `Sec-Fetch-Site` must say `same-origin`; a post with
 * neither header is not from a browser on these pages and is refused too. A `Sec-Fetch-Site`
 * other than same-origin (or `none`, a person's own action) is refused whatever Origin says.
 * Headers are lower-case (the WebRequest shape).
 */
export function foreignPost(headers: Record<string, string>, publicBaseUrl: string): ForeignPost | undefined {
  const site = headers['sec-fetch-site']?.trim().toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross-site';
  const origin = headers.origin?.trim();
  if (origin === undefined || origin === '') return site === 'same-origin' ? undefined : 'no-origin';
  if (origin.toLowerCase() === 'null') return 'null-origin';
  let expected: string;
  let actual: string;
  try {
    expected = new URL(publicBaseUrl).origin;
    actual = new URL(origin).origin;
  } catch {
    return 'foreign-origin';
  }
  return actual === expected ? undefined : 'foreign-origin';
}

// The session cookie: a small signed JSON value. It keeps the chosen language, so the choice
// follows the contact from step to step (and from link to link) in this browser.

export const SESSION_COOKIE = 'wz_session';
/**
 * On https the cookie is host-only (no Domain, Path=/, Secure), and its name says so: browsers
 * refuse a `__Host-` cookie set any other way, so a sibling subdomain cannot plant or shadow it.
 * Plain http (the embedded runtime) cannot carry the prefix: browsers require Secure for it.
 */
export const HOST_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

export function sessionCookieName(secure: boolean): string {
  return secure ? HOST_SESSION_COOKIE : SESSION_COOKIE;
}
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

export interface Session {
  lang?: Language;
}

export function signSession(key: string, session: Session): string {
  const payload = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
  return `${payload}.${hmac(key, `session|${payload}`)}`;
}

/** The session in a cookie value, or an empty one when the value is missing, malformed or tampered with. */
export function readSession(key: string, value: string | undefined): Session {
  if (!value) return {};
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return {};
  const payload = value.slice(0, dot);
  if (!safeEqual(hmac(key, `session|${payload}`), value.slice(dot + 1))) return {};
  try {
    const data: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof data !== 'object' || data === null) return {};
    const record = data as Record<string, unknown>;
    const lang = languageSchema.safeParse(record.lang);
    return lang.success ? { lang: lang.data } : {};
  } catch {
    return {};
  }
}

export function sessionCookie(key: string, session: Session, secure: boolean): string {
  return [
    `${sessionCookieName(secure)}=${signSession(key, session)}`,
    'Path=/',
    `Max-Age=${SESSION_MAX_AGE_SECONDS}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function isSecureBase(): boolean {
  return getConfig().PUBLIC_BASE_URL.startsWith('https:');
}

/** Parses a Cookie header into name → value (first one wins). */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !(name in out)) out[name] = part.slice(eq + 1).trim();
  }
  return out;
}
