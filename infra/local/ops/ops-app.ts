import * as z from 'zod';
import type { WebRequest, WebResponse } from '../../../functions/resume/http.types';
import { orderIdSchema } from '../../../functions/shared/domain/order.schema';
import { logger } from '../../../functions/shared/observability';
import { actorNameSchema, cancelRun, OpsActionError, opsActor, redriveRun, resendLink } from './ops-actions';
import { CSRF_COOKIE, csrfCookie, csrfToken, newCsrfSecret, validCsrf } from './ops-csrf';
import {
  DONE_MESSAGES,
  renderConfirmPage,
  renderMessagePage,
  renderRunPage,
  renderRunsPage,
  type OpsAction,
} from './ops-pages';
import { listRuns, loadRun, RUN_STATUSES } from './ops-queries';
import { deadLetters, listEvents } from '../events/send-event';
import type { EventRecord } from '../events/event-log';
import { renderEventsPage } from './events-page';

// The ops view on the embedded runtime: the local server hands every /ops request here.
//   GET  /ops                               runs (?q= order id or prefix, ?status=)
//   GET  /ops/runs/<orderId>                one run
//   GET  /ops/events                        every event in and out (?orderId=, ?direction=in|out)
//   POST /ops/runs/<orderId>/<action>       resend | cancel | redrive (CSRF token + confirmation)
// GET never changes anything; each POST answers with a redirect back to the run (or a page
// saying why nothing was done).

const listQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(80)
    .optional()
    .transform((v) => (v ? v : undefined)),
  status: z.enum(RUN_STATUSES).optional().catch(undefined),
});

const runQuerySchema = z.object({
  done: z.enum(['resend', 'cancel', 'redrive']).optional().catch(undefined),
});

const actionSchema = z.enum(['resend', 'cancel', 'redrive']);

const eventsQuerySchema = z.object({
  orderId: z
    .string()
    .trim()
    .max(80)
    .optional()
    .transform((v) => (v ? v : undefined)),
  direction: z.enum(['in', 'out']).optional().catch(undefined),
});

/** The local EventBridge's events (one order's with `orderId`); undefined where no bus runs. */
async function busEvents(orderId?: string): Promise<EventRecord[] | undefined> {
  const url = process.env.EVENTS_ENDPOINT;
  return url ? listEvents(url, orderId) : undefined;
}

const formSchema = z.object({
  csrf: z.string().min(1).max(200),
  confirm: z.literal('yes').optional(),
  actor: actorNameSchema.optional(),
  reason: z.string().trim().max(500).optional(),
});

function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

function withCsrf(request: WebRequest): { secret: string; cookie?: string } {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return { secret: existing };
  const secret = newCsrfSecret();
  return { secret, cookie: csrfCookie(secret) };
}

function addCookie(response: WebResponse, cookie: string | undefined): WebResponse {
  return cookie ? { ...response, cookies: [...(response.cookies ?? []), cookie] } : response;
}

function redirect(location: string): WebResponse {
  return { status: 303, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

const runPath = (orderId: string) => `/ops/runs/${encodeURIComponent(orderId)}`;

export async function handleOpsRequest(request: WebRequest): Promise<WebResponse> {
  const now = new Date();
  const path = request.path.replace(/\/+$/, '') || '/';
  const method = request.method.toUpperCase();
  try {
    if (path === '/ops') {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed('GET');
      const query = listQuerySchema.parse(request.query);
      const list = await listRuns({ search: query.q, status: query.status });
      return renderRunsPage(list, { search: query.q, status: query.status }, now);
    }

    if (path === '/ops/events') {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed('GET');
      const query = eventsQuerySchema.parse(request.query);
      const records = (await busEvents(query.orderId))?.filter(
        (r) => !query.direction || r.direction === query.direction,
      );
      const url = process.env.EVENTS_ENDPOINT;
      return renderEventsPage(records, query, url && !query.orderId ? await deadLetters(url) : []);
    }

    const run = /^\/ops\/runs\/([^/]+)$/.exec(path);
    if (run) {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed('GET');
      const orderId = orderIdFrom(run[1]);
      if (!orderId) return notFound();
      const [detail, events] = await Promise.all([loadRun(orderId), busEvents(orderId)]);
      if (!detail) return notFound(orderId);
      const csrf = withCsrf(request);
      const { done } = runQuerySchema.parse(request.query);
      const response = renderRunPage(detail, {
        csrf: csrfToken(csrf.secret),
        now,
        events,
        notice: done ? { kind: 'ok', text: DONE_MESSAGES[done] } : undefined,
      });
      return addCookie(response, csrf.cookie);
    }

    const act = /^\/ops\/runs\/([^/]+)\/([a-z]+)$/.exec(path);
    if (act) {
      if (method !== 'POST') return notAllowed('POST');
      const orderId = orderIdFrom(act[1]);
      const action = actionSchema.safeParse(act[2]);
      if (!orderId || !action.success) return notFound();
      return await handleAction(request, orderId, action.data, now);
    }
    return notFound();
  } catch (error) {
    logger.error('Ops view request failed', { path, error: error as Error });
    return renderMessagePage(
      500,
      'Something went wrong',
      `The ops view could not answer (${error instanceof Error ? error.name : 'unknown error'}). Nothing was changed by this page; the server log has the details.`,
    );
  }
}

async function handleAction(
  request: WebRequest,
  orderId: string,
  action: OpsAction,
  now: Date,
): Promise<WebResponse> {
  const form = formSchema.safeParse(parseForm(request.body));
  const back = runPath(orderId);
  if (!form.success || !validCsrf(request.cookies[CSRF_COOKIE], form.success ? form.data.csrf : undefined)) {
    const badActor = !form.success && form.error.issues.some((i) => i.path[0] === 'actor');
    return badActor
      ? renderMessagePage(
          400,
          'Name not accepted',
          "Use letters, digits, spaces and . @ _ ' - in your name.",
          back,
        )
      : renderMessagePage(
          403,
          'This form has expired',
          'The form could not be verified (it is old, or came from another page). Nothing was done. Open the order again and retry.',
          back,
        );
  }
  const detail = await loadRun(orderId);
  if (!detail) return notFound(orderId);
  if (form.data.confirm !== 'yes') {
    return renderConfirmPage(action, detail, form.data.csrf);
  }
  if (action === 'cancel' && !form.data.reason) {
    return renderConfirmPage(action, detail, form.data.csrf);
  }
  const actor = opsActor(form.data.actor);
  try {
    if (action === 'resend') await resendLink(orderId, actor);
    if (action === 'cancel') await cancelRun(orderId, form.data.reason ?? '', actor);
    if (action === 'redrive') await redriveRun(orderId, actor);
  } catch (error) {
    if (!(error instanceof OpsActionError)) throw error;
    const fresh = (await loadRun(orderId)) ?? detail;
    const page = renderRunPage(fresh, {
      csrf: form.data.csrf,
      now,
      notice: { kind: 'error', text: `Nothing was done: ${error.message}` },
    });
    return { ...page, status: 409 };
  }
  logger.info('Ops action done', { orderId, action, actor });
  return redirect(`${back}?done=${action}`);
}

function orderIdFrom(segment: string | undefined): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment ?? '');
  } catch {
    return undefined;
  }
  const parsed = orderIdSchema.safeParse(decoded);
  return parsed.success ? parsed.data : undefined;
}

function notFound(orderId?: string): WebResponse {
  return orderId
    ? renderMessagePage(404, 'No such order', `No run and no order exist with the id ${orderId}.`)
    : renderMessagePage(404, 'Not found', 'There is no such page in the ops view.');
}

function notAllowed(allow: string): WebResponse {
  const page = renderMessagePage(405, 'Method not allowed', `Use ${allow} here.`);
  return { ...page, headers: { ...page.headers, allow } };
}
