import * as z from 'zod';
import { Hono, type Context } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import { getCookie, setCookie } from 'hono/cookie';
import type { WebResponse } from '../../../functions/resume/http.types';
import { orderIdSchema } from '../../../functions/shared/domain/order.schema';
import { multiLineText } from '../../../functions/shared/domain/text.schema';
import { logger } from '../../../functions/shared/observability';
import { actorNameSchema, cancelRun, OpsActionError, opsActor, redriveRun, resendLink } from './ops-actions';
import { CSRF_COOKIE, CSRF_COOKIE_OPTIONS, csrfToken, newCsrfSecret, validCsrf } from './ops-csrf';
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

// The ops view on the embedded runtime (a Hono app): the local server hands every /ops request here.
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
  // The same rule as the cancellation event's reason: lines allowed, other control characters not.
  reason: multiLineText().max(500).optional(),
});

/** A rendered page as the answer (with whatever cookie the handler set on the context). */
const send = (c: Context, response: WebResponse): Response =>
  c.newResponse(String(response.body) || null, response.status as StatusCode, response.headers);

function redirect(location: string): WebResponse {
  return { status: 303, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

const runPath = (orderId: string) => `/ops/runs/${encodeURIComponent(orderId)}`;

/** The ops view, a Hono app the local server hands every /ops request to (trailing slashes dropped). */
export const opsApp = new Hono({
  getPath: (request) => new URL(request.url).pathname.replace(/(.)\/+$/, '$1'),
});

opsApp.get('/ops', async (c) => {
  const query = listQuerySchema.parse(c.req.query());
  const list = await listRuns({ search: query.q, status: query.status });
  return send(c, renderRunsPage(list, { search: query.q, status: query.status }, new Date()));
});

opsApp.get('/ops/events', async (c) => {
  const query = eventsQuerySchema.parse(c.req.query());
  const records = (await busEvents(query.orderId))?.filter(
    (r) => !query.direction || r.direction === query.direction,
  );
  const url = process.env.EVENTS_ENDPOINT;
  return send(c, renderEventsPage(records, query, url && !query.orderId ? await deadLetters(url) : []));
});

opsApp.get('/ops/runs/:orderId', async (c) => {
  const orderId = orderIdFrom(c.req.param('orderId'));
  if (!orderId) return send(c, notFound());
  const [detail, events] = await Promise.all([loadRun(orderId), busEvents(orderId)]);
  if (!detail) return send(c, notFound(orderId));
  const existing = getCookie(c, CSRF_COOKIE);
  const secret = existing && /^[A-Za-z0-9_-]{32}$/.test(existing) ? existing : newCsrfSecret();
  if (secret !== existing) setCookie(c, CSRF_COOKIE, secret, CSRF_COOKIE_OPTIONS);
  const { done } = runQuerySchema.parse(c.req.query());
  return send(
    c,
    renderRunPage(detail, {
      csrf: csrfToken(secret),
      now: new Date(),
      events,
      notice: done ? { kind: 'ok', text: DONE_MESSAGES[done] } : undefined,
    }),
  );
});

opsApp.post('/ops/runs/:orderId/:action', async (c) => {
  const orderId = orderIdFrom(c.req.param('orderId'));
  const action = actionSchema.safeParse(c.req.param('action'));
  if (!orderId || !action.success) return send(c, notFound());
  const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
  return send(c, await handleAction(form, getCookie(c, CSRF_COOKIE), orderId, action.data, new Date()));
});

for (const path of ['/ops', '/ops/events', '/ops/runs/:orderId']) {
  opsApp.all(path, (c) => send(c, notAllowed('GET')));
}
opsApp.all('/ops/runs/:orderId/:action', (c) =>
  send(c, /^[a-z]+$/.test(c.req.param('action')) ? notAllowed('POST') : notFound()),
);
opsApp.notFound((c) => send(c, notFound()));

opsApp.onError((error, c) => {
  logger.error('Ops view request failed', { path: c.req.path, error });
  return send(
    c,
    renderMessagePage(
      500,
      'Something went wrong',
      `The ops view could not answer (${error.name}). Nothing was changed by this page; the server log has the details.`,
    ),
  );
});

async function handleAction(
  fields: Record<string, string>,
  csrfSecret: string | undefined,
  orderId: string,
  action: OpsAction,
  now: Date,
): Promise<WebResponse> {
  const form = formSchema.safeParse(fields);
  const back = runPath(orderId);
  if (!form.success || !validCsrf(csrfSecret, form.success ? form.data.csrf : undefined)) {
    const bad = (field: string) => !form.success && form.error.issues.some((i) => i.path[0] === field);
    if (bad('reason'))
      return renderMessagePage(
        400,
        'Reason not accepted',
        'Write the reason in at most 500 characters, without tabs or other control characters. Nothing was done.',
        back,
      );
    return bad('actor')
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

/** The order id in the address (Hono has decoded it). */
function orderIdFrom(segment: string): string | undefined {
  const parsed = orderIdSchema.safeParse(segment);
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
