import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { required } from '../config';
import { TransientError, WebexAuthError, WebexRequestError } from '../errors';
import { logger } from '../observability';
import { keepRenewedToken, resetWebexCredentials, webexCredentials } from './webex-credentials';
import { accessTokenResponseSchema, webexErrorBodySchema, type WebexErrorBody } from './webex.schema';

// The one HTTP adapter to Webex, used on AWS and by the embedded runtime alike (only the base
// URL and where the credentials come from differ). Every call:
// - carries `Authorization: Bearer <access token>`; a 401 renews the token with the integration's
//   refresh token (`POST /access_token`, grant_type=refresh_token), then the call is tried once more;
// - carries a `TrackingID` header; Webex's trackingId is kept in every error;
// - on 429 waits the `Retry-After` Webex asked for (when short) and tries again; on 5xx or a network
//   failure backs off briefly and tries again; when those tries run out it throws TransientError,
//   which the state machine retries with its own backoff;
// - on any other 4xx throws WebexRequestError naming the call, the field and what Webex said.
// Responses are parsed with the zod schema of the call (webex.schema.ts). Lists are read to their
// end by following each `Link: <…>; rel="next"` header (webexList).

/** Tries per call in this process before the state machine's own retry takes over. */
export const ATTEMPTS_PER_CALL = 3;
/** A Retry-After longer than this is left to the state machine's backoff instead of a sleep here. */
const MAX_INLINE_RETRY_AFTER_SECONDS = 5;
const REQUEST_TIMEOUT_MS = 15_000;

let accessToken: string | undefined;
let refreshing: Promise<string> | undefined;

/** Forget the token and credentials (tests, and the embedded runtime when its environment changes). */
export function resetWebexClient(): void {
  resetWebexCredentials();
  accessToken = undefined;
  refreshing = undefined;
}

function baseUrl(): string {
  return required('WEBEX_API_URL').replace(/\/+$/, '');
}

async function currentToken(): Promise<string> {
  // The credentials are read again once their cached copy is old (webex-credentials.ts).
  accessToken ??= (await webexCredentials()).accessToken;
  return accessToken ?? renewToken();
}

/** Renews the access token now with the integration's refresh token (the `webex check` CLI). */
export async function refreshAccessToken(): Promise<void> {
  accessToken = undefined;
  await renewToken();
}

/** One renewal at a time: concurrent calls that met a 401 share it. */
function renewToken(): Promise<string> {
  refreshing ??= (async () => {
    const credentials = await webexCredentials();
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      refresh_token: credentials.refreshToken,
    });
    const res = await send('POST', `${baseUrl()}/access_token`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const text = await res.text();
    if (res.status === 401 || res.status === 400) {
      throw new WebexAuthError(
        `Webex refused the integration's refresh token (${res.status}, trackingId ${trackingIdOf(res, text)}): re-authorize the integration and store its new refresh token (docs/deploy.md)`,
      );
    }
    if (!res.ok) throw transient(res, text, 'POST /access_token');
    const token = accessTokenResponseSchema.parse(JSON.parse(text));
    accessToken = token.access_token;
    await keepRenewedToken(credentials, {
      refreshToken: token.refresh_token,
      accessToken: token.access_token,
    });
    return token.access_token;
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

async function send(
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: string },
): Promise<Response> {
  try {
    return await fetch(url, {
      method,
      headers: { TrackingID: newTrackingId(), Accept: 'application/json', ...init.headers },
      body: init.body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    throw new TransientError(
      `Webex did not answer ${method} ${new URL(url).pathname}: ${e.cause?.code ?? e.name}`,
      {
        cause: error,
      },
    );
  }
}

function newTrackingId(): string {
  return `SPW_${randomUUID()}`;
}

function parseErrorBody(text: string): WebexErrorBody {
  try {
    const parsed = webexErrorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function trackingIdOf(res: Response, text: string): string {
  return parseErrorBody(text).trackingId ?? res.headers.get('trackingid') ?? 'none';
}

/** What Webex said, field by field when it names them. */
export function describeWebexError(body: WebexErrorBody, fallback: string): string {
  const details = (body.errors ?? []).map((e) => (e.field ? `${e.field}: ${e.description}` : e.description));
  const said = details.length > 0 ? details.join('; ') : (body.message ?? fallback);
  return said;
}

function transient(res: Response, text: string, call: string): TransientError {
  const body = parseErrorBody(text);
  return new TransientError(
    `Webex answered ${res.status} to ${call}: ${describeWebexError(body, res.statusText)} (trackingId ${trackingIdOf(res, text)})`,
  );
}

function retryAfterSeconds(res: Response): number {
  const raw = res.headers.get('retry-after');
  const n = raw === null ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WebexCall<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the base URL, e.g. `/locations`. */
  path: string;
  /** A whole URL Webex gave (a `Link` next page); used instead of path and query. */
  url?: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Schema of the success body; omitted for bodiless answers. */
  schema?: S;
  /** Statuses answered with `undefined` instead of an error (a find that finds nothing: 404). */
  absentOn?: number[];
}

export interface WebexResponse<T> {
  status: number;
  data: T;
  location?: string;
  trackingId: string;
  /** The next page of a list (`Link: <…>; rel="next"`), when there is one. */
  next?: string;
}

/** The `rel="next"` target of a `Link` header (RFC 8288), if any. */
export function nextLink(header: string | null): string | undefined {
  for (const part of (header ?? '').split(/,(?=\s*<)/)) {
    const [target, ...params] = part.split(';');
    const url = /^\s*<([^>]*)>\s*$/.exec(target ?? '')?.[1];
    const rels = params
      .map((p) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(p)?.[1])
      .filter((r): r is string => r !== undefined)
      .flatMap((r) => r.toLowerCase().split(/\s+/));
    if (url && rels.includes('next')) return url;
  }
  return undefined;
}

/** One Webex call, with the token, tracking id, retries and error mapping described above. */
export async function webexCall<S extends z.ZodType>(
  call: WebexCall<S>,
): Promise<WebexResponse<z.infer<S>> | undefined> {
  const url = new URL(call.url ?? `${baseUrl()}${call.path}`);
  if (!call.url)
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const what = `${call.method} ${call.path}`;
  let renewed = false;
  for (let attempt = 1; ; attempt++) {
    const token = await currentToken();
    const res = await send(call.method, url.toString(), {
      headers: {
        Authorization: `Bearer ${token}`,
        ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
    }).catch((error: unknown) => {
      if (attempt < ATTEMPTS_PER_CALL) return undefined;
      throw error;
    });
    if (!res) {
      await sleep(backoffMs(attempt));
      continue;
    }
    const text = await res.text();
    const trackingId = trackingIdOf(res, text);
    if (res.status === 401 && !renewed) {
      renewed = true;
      // Another call may have renewed it already; otherwise renew now.
      if (accessToken === token) accessToken = undefined;
      if (accessToken === undefined) await renewToken();
      attempt--;
      continue;
    }
    if (res.status === 401) {
      throw new WebexAuthError(
        `Webex refused the renewed access token for ${what} (trackingId ${trackingId}): check the integration's scopes and re-authorize it (docs/deploy.md)`,
      );
    }
    if (res.status === 429 || res.status >= 500) {
      const wait = res.status === 429 ? retryAfterSeconds(res) : undefined;
      const inline = wait === undefined || wait <= MAX_INLINE_RETRY_AFTER_SECONDS;
      logger.warn('Webex asked us to slow down or failed', {
        call: what,
        status: res.status,
        trackingId,
        attempt,
      });
      if (attempt < ATTEMPTS_PER_CALL && inline) {
        await sleep(wait !== undefined ? wait * 1000 : backoffMs(attempt));
        continue;
      }
      throw transient(res, text, what);
    }
    if (call.absentOn?.includes(res.status)) return undefined;
    if (!res.ok) {
      const body = parseErrorBody(text);
      throw new WebexRequestError(
        `Webex refused ${what} (${res.status}): ${describeWebexError(body, res.statusText)} (trackingId ${trackingId})`,
        res.status,
        trackingId,
        (body.errors ?? []).map((e) => ({ field: e.field, description: e.description })),
      );
    }
    let data: unknown = undefined;
    if (call.schema) {
      const parsed = call.schema.safeParse(text ? JSON.parse(text) : undefined);
      if (!parsed.success) {
        // Webex answered something we do not understand: a contract change, not something a retry cures.
        throw new WebexRequestError(
          `Webex answered ${what} with an unexpected body: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')} (trackingId ${trackingId})`,
          res.status,
          trackingId,
        );
      }
      data = parsed.data;
    }
    return {
      status: res.status,
      data: data as z.infer<S>,
      location: res.headers.get('location') ?? undefined,
      trackingId,
      next: nextLink(res.headers.get('link')),
    };
  }
}

function backoffMs(attempt: number): number {
  return Math.round(Math.random() * 200 * 2 ** attempt);
}

/** A call that must answer (no `absentOn`). */
export async function webexRequire<S extends z.ZodType>(
  call: WebexCall<S>,
): Promise<WebexResponse<z.infer<S>>> {
  const res = await webexCall(call);
  if (!res) throw new WebexRequestError(`Webex found nothing for ${call.method} ${call.path}`, 404, 'none');
  return res;
}

/** A published list read to its end: each page's `Link: <…>; rel="next"` is followed. */
export async function webexList<S extends z.ZodType>(
  call: Omit<WebexCall<S>, 'method' | 'schema' | 'url' | 'body'> & {
    item: S;
    /** Where the items are: `items` on every published list but Calling's (`locations`). */
    key?: 'items' | 'locations';
    /** A guard against a server that links to itself forever. */
    maxPages?: number;
  },
): Promise<z.infer<S>[]> {
  const key = call.key ?? 'items';
  const schema = z.looseObject({ [key]: z.array(call.item) });
  const out: z.infer<S>[] = [];
  let url: string | undefined;
  for (let page = 1; ; page++) {
    const res = await webexRequire({ method: 'GET', path: call.path, query: call.query, url, schema });
    out.push(...((res.data as Record<string, z.infer<S>[]>)[key] ?? []));
    if (!res.next) return out;
    if (page >= (call.maxPages ?? 100))
      throw new WebexRequestError(
        `Webex kept linking to more pages of GET ${call.path} after ${page}`,
        res.status,
        res.trackingId,
      );
    url = new URL(res.next, url ?? baseUrl()).toString();
  }
}
