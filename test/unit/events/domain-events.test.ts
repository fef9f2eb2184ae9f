import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventSchemaFile } from '../../../functions/shared/domain/domain-events.json-schema';
import {
  DOMAIN_EVENTS,
  DOMAIN_EVENT_TYPES,
  WORKFLOW_EVENT_SOURCE,
  domainEventId,
  orderCancelled,
  orderCompleted,
  orderExpired,
  orderFailed,
  orderReceived,
  organizationEvents,
  serviceProvisioned,
} from '../../../functions/shared/domain/domain-events.schema';
import { EVENTS_DOC_DIR, writeEventSchemas } from '../../../scripts/event-schemas';
import { orderDetail } from '../../helpers/workflow';

// The domain events' contract: the committed JSON Schemas are the zod schemas', docs/events.md
// shows a valid example of each, and each fact has one stable id.

describe('docs/events/', () => {
  it('holds the JSON Schema generated from each zod schema (run `npm run event-schemas` after changing one)', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'event-schemas-'));
    await writeEventSchemas(fresh);
    expect(readdirSync(EVENTS_DOC_DIR).sort()).toEqual(DOMAIN_EVENT_TYPES.map(eventSchemaFile).sort());
    for (const type of DOMAIN_EVENT_TYPES) {
      const file = eventSchemaFile(type);
      expect(readFileSync(join(EVENTS_DOC_DIR, file), 'utf8'), `docs/events/${file} is stale`).toBe(
        readFileSync(join(fresh, file), 'utf8'),
      );
    }
  });
});

describe('docs/events.md', () => {
  const doc = readFileSync('docs/events.md', 'utf8');

  it.each(DOMAIN_EVENT_TYPES)('describes "%s" with an example that its schema accepts', (type) => {
    const section = doc.split(/^### /m).find((s) => s.startsWith(`${type}\n`));
    expect(section, `a "### ${type}" section`).toBeDefined();
    expect(section).toContain(`docs/events/${eventSchemaFile(type)}`);
    const example = /```json\n([\s\S]*?)```/.exec(section ?? '')?.[1];
    const event = JSON.parse(example ?? 'null') as Record<string, unknown>;
    expect(event.source).toBe(WORKFLOW_EVENT_SOURCE);
    expect(event['detail-type']).toBe(type);
    expect(DOMAIN_EVENTS[type].safeParse(event.detail).error).toBeUndefined();
  });

  it('tells consumers to dedupe on detail.eventId', () => {
    expect(doc).toMatch(/dedupe on `detail\.eventId`/i);
  });
});

describe('domain events', () => {
  it('give one fact of one order one id, whatever the retry', () => {
    expect(domainEventId('ORD-1', 'Order Completed')).toBe(domainEventId('ORD-1', 'Order Completed'));
    expect(domainEventId('ORD-1', 'Order Completed')).not.toBe(domainEventId('ORD-2', 'Order Completed'));
    expect(domainEventId('ORD-1', 'Order Completed')).not.toBe(domainEventId('ORD-1', 'Order Received'));
    const first = orderReceived(orderDetail({ orderId: 'ORD-1' }));
    const retried = orderReceived(orderDetail({ orderId: 'ORD-1' }));
    expect(retried.detail.eventId).toBe(first.detail.eventId);
  });

  it('are built valid for every fact', () => {
    const events = [
      orderReceived(orderDetail({ orderId: 'ORD-1' })),
      ...organizationEvents('ORD-1', { kind: 'customer', orgId: 'org-1', name: 'Fabrikam' }, true),
      serviceProvisioned('ORD-1', 'calling', { location: 'HQ', licenses: 5 }, { locationId: 'loc-1' }),
      orderCompleted(
        { orderId: 'ORD-1', services: [{ type: 'calling', quantity: 5 }] },
        'summaries/ORD-1.pdf',
      ),
      orderFailed('ORD-1', {
        step: 'Provision Webex Calling',
        error: 'WebexError',
        cause: 'down',
        attempt: 1,
      }),
      orderExpired('ORD-1', 'Who is this order for'),
      orderCancelled('ORD-1', 'The customer withdrew'),
    ];
    expect(events.map((e) => e.detailType)).toEqual([
      'Order Received',
      'Organization Created',
      'Organization Mapped',
      'Service Provisioned',
      'Order Completed',
      'Order Failed',
      'Order Expired',
      'Order Cancelled',
    ]);
    for (const e of events) expect(DOMAIN_EVENTS[e.detailType].safeParse(e.detail).error).toBeUndefined();
    expect(new Set(events.map((e) => e.detail.eventId)).size).toBe(events.length);
    expect(events[3]?.detail).toMatchObject({
      service: 'calling',
      quantity: 5,
      webex: { locationId: 'loc-1' },
    });
  });

  it('gives each redrive’s failure its own id', () => {
    const step = { step: 'S', error: 'E', cause: 'C' };
    expect(orderFailed('ORD-1', { ...step, attempt: 0 }).detail.eventId).not.toBe(
      orderFailed('ORD-1', { ...step, attempt: 1 }).detail.eventId,
    );
  });
});
