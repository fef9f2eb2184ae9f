import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { etag } from 'hono/etag';
import { secureHeaders } from 'hono/secure-headers';
import { languageSchema } from '../shared/domain/order.schema';
import { isTransient } from '../shared/middleware';
import { logger } from '../shared/observability';
import type { WebHandler, WebResponse } from './http.types';
import { CSP_DIRECTIVES, FAVICON_SVG } from './layout';
import { isSecureBase, readSession, sessionCookie, sessionCookieName, signingKey } from './security';
import { redirect, linkPath, type RequestContext, basePath } from './request-context';
import { showNext, summary, showLink } from './views';
import { later, act } from './actions';
import { newLink } from './new-link';
import { errorPage, methodNotAllowed, notFound } from './error-pages';

// The setup pages: one Hono app behind the HTTP API on AWS (hono/aws-lambda, handler.ts) and on
// the embedded runtime's local server (@hono/node-server, infra/local/web-server.ts). This file is
// the routes and the middleware; each route's work lives in its own file, as in Hono's examples:
// gate.ts (who may see what), views.ts (which step, the wait, the summary), actions.ts (form
// posts), new-link.ts, error-pages.ts; request-context.ts is what they share.
// GET only renders (mail scanners open every link); POST acts, with a CSRF token, and a
// conditional write lets each waiting step be submitted once before SendTaskSuccess resumes the run.

export { chooseView } from './views';

const MAX_BODY_BYTES = 64 * 1024;

function send(response: WebResponse): Response {
  const headers = new Headers(response.headers);
  for (const cookie of response.cookies ?? []) headers.append('set-cookie', cookie);
  return new Response(response.body === '' ? null : response.body, { status: response.status, headers });
}

type Env = { Variables: { rc: RequestContext } };

/** The path the routes see: without the public base URL's path, when the request has it. */
function routePath(request: Request): string {
  const path = new URL(request.url).pathname;
  const base = basePath();
  return base && path.startsWith(`${base}/`) ? path.slice(base.length) : path;
}

// hono/tiny's router also matches a route with one trailing slash (the setup addresses take one);
// /health and /favicon.ico answer at their exact path only, whatever the method, as they did.
export const webApp = new Hono<Env>({ getPath: routePath });

webApp.all('/health', (c, next) =>
  c.req.path === '/health' ? c.json({ status: 'ok' }, 200, { 'cache-control': 'no-store' }) : next(),
);

webApp.use(
  secureHeaders({
    contentSecurityPolicy: CSP_DIRECTIVES,
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    // Only our own header set (layout.ts SECURITY_HEADERS): none of the framework's other defaults.
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    // Browsers keep to https for the setup pages' host for two years (ignored over plain http).
    strictTransportSecurity: 'max-age=63072000; includeSubDomains',
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }),
);

webApp.all('/favicon.ico', etag(), (c, next) =>
  c.req.path === '/favicon.ico'
    ? c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' })
    : next(),
);

// The request context: the signing key, the session (its language) and the language asked for.
webApp.use(async (c, next) => {
  const key = await signingKey();
  const session = readSession(key, getCookie(c, sessionCookieName(isSecureBase())));
  const asked = languageSchema.safeParse(c.req.query('lang'));
  const rc: RequestContext = {
    request: {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      query: c.req.query(),
      headers: c.req.header(),
      cookies: {},
      body: '',
    },
    key,
    session,
    askedLang: asked.success ? asked.data : undefined,
    base: basePath(),
    cookies: [],
  };
  if (rc.askedLang && rc.askedLang !== session.lang) {
    rc.cookies.push(sessionCookie(key, { ...session, lang: rc.askedLang }, isSecureBase()));
  }
  c.set('rc', rc);
  await next();
});

webApp.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => send(errorPage(c.get('rc'), 413)) }));

type PageHandler = (rc: RequestContext, linkId: string, stepId: string) => Promise<WebResponse> | WebResponse;

/** A route's handler: given the request context and the address's ids, the form body read for a POST. */
const page = (fn: PageHandler) => async (c: Context<Env>) => {
  const rc = c.get('rc');
  rc.linkId = c.req.param('linkId');
  if (c.req.method === 'POST') rc.request.body = await c.req.text();
  return send(await fn(rc, rc.linkId ?? '', c.req.param('stepId') ?? ''));
};

// A language switch or a reload on a posted page: show the page the link shows now.
const toLink = page((rc, linkId) => redirect(rc, linkPath(rc, linkId)));
const notAllowed = (allow: string) => page((rc) => methodNotAllowed(rc, allow));

const forms: [string, PageHandler][] = [
  ['/setup/:linkId/steps/:stepId', act],
  ['/setup/:linkId/later/:stepId', later],
  ['/setup/:linkId/new-link', newLink],
];
for (const [path, post] of forms)
  webApp.post(path, page(post)).get(path, toLink).all(path, notAllowed('GET, POST'));
const views: [string, PageHandler][] = [
  ['/setup/:linkId/next', showNext],
  ['/setup/:linkId/summary', summary],
  ['/setup/:linkId', showLink],
];
for (const [path, get] of views) webApp.get(path, page(get)).all(path, notAllowed('GET'));
webApp.notFound((c) => send(notFound(c.get('rc'))));

webApp.onError((error, c) => {
  const rc = c.get('rc');
  if (!rc) throw error;
  // Never a stack trace on a page: the log has it, the person gets a calm page.
  logger.error('Setup page failed', { path: rc.request.path.replace(/\/setup\/[^/]+/, '/setup/…'), error });
  return send(errorPage(rc, isTransient(error) ? 503 : 500));
});

/** The app in the WebRequest/WebResponse shapes (the tests' browser, test/wizard/support). */
export const handleWebRequest: WebHandler = async (request) => {
  const query = new URLSearchParams(request.query).toString();
  const headers = new Headers(request.headers);
  const cookies = Object.entries(request.cookies).map(([name, value]) => `${name}=${value}`);
  if (cookies.length > 0) headers.set('cookie', cookies.join('; '));
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const response = await webApp.fetch(
    new Request(`http://localhost${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
    }),
  );
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  return {
    status: response.status,
    headers: out,
    cookies: response.headers.getSetCookie(),
    body: await response.text(),
  };
};
