import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { EventsApiError, type LocalEventBus } from './event-bus';

// The EventBridge API over HTTP, as the AWS SDKs and CLI speak it (AWS JSON 1.1): `POST /` with
// `X-Amz-Target: AWSEvents.<Operation>`. Errors are HTTP 400 with `__type`, which the SDKs turn
// into the typed exception of that name. Beside it, read-only JSON for the local tools (the order
// CLI waits on what its event did; `npm run ops -- events` lists them): `GET /local/events`.

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSEvents.';
const MAX_BODY_BYTES = 1024 * 1024;

function awsJson(c: Context, status: 200 | 400 | 413 | 500, body: unknown, errorType?: string) {
  return c.body(JSON.stringify(body), status, {
    'content-type': CONTENT_TYPE,
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
}

function awsError(c: Context, type: string, message: string, status: 400 | 413 | 500 = 400) {
  return awsJson(c, status, { __type: type, message }, type);
}

export function createEventsApp(bus: LocalEventBus): Hono {
  const app = new Hono();

  app.get('/', (c) =>
    c.json({
      service: 'local EventBridge',
      buses: [bus.workflowBusArn, bus.defaultBusArn],
      counts: bus.counts,
    }),
  );

  app.get('/local/events', (c) => {
    const orderId = c.req.query('orderId') || undefined;
    const limit = Number(c.req.query('limit') ?? '') || undefined;
    return c.json({ events: bus.log.list({ orderId, limit }) });
  });
  app.get('/local/events/:eventId', (c) => {
    const record = bus.log.get(c.req.param('eventId'));
    return record ? c.json(record) : c.json({ message: 'No such event' }, 404);
  });
  app.get('/local/dead-letters', (c) => c.json({ deadLetters: bus.log.listDeadLetters() }));

  app.post(
    '/',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => awsError(c, 'ValidationException', 'Request body too large', 413),
    }),
    async (c) => {
      const target = c.req.header('x-amz-target') ?? '';
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      if (operation !== 'PutEvents')
        return awsError(
          c,
          'UnknownOperationException',
          `The local EventBridge serves PutEvents only, not ${operation || target || 'this request'}`,
        );
      let body: unknown;
      try {
        const text = await c.req.text();
        body = text ? JSON.parse(text) : {};
      } catch {
        return awsError(c, 'SerializationException', 'The request body is not valid JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body))
        return awsError(c, 'SerializationException', 'The request body must be a JSON object');
      try {
        return awsJson(c, 200, bus.putEvents(body as Record<string, unknown>));
      } catch (error) {
        if (error instanceof EventsApiError) return awsError(c, error.type, error.message);
        return awsError(c, 'InternalException', (error as Error).message, 500);
      }
    },
  );

  app.notFound((c) => awsError(c, 'UnknownOperationException', `No route for ${c.req.method} ${c.req.path}`));
  return app;
}

/** An http.Server for the app (the runtime listens on it like on its other servers). */
export function createEventsServer(bus: LocalEventBus): Server {
  return createAdaptorServer({ fetch: createEventsApp(bus).fetch }) as Server;
}
