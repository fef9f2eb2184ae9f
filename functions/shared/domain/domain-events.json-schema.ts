import * as z from 'zod';
import { DOMAIN_EVENTS, WORKFLOW_EVENT_SOURCE, type DomainEventType } from './domain-events.schema';

// The JSON Schema of each domain event as consumers receive it from EventBridge: the envelope
// (source, detail-type) and the detail, generated from the zod schema (z.toJSONSchema).

/** `Order Received` → `order-received.schema.json`. */
export function eventSchemaFile(type: DomainEventType): string {
  return `${type.toLowerCase().replace(/\s+/g, '-')}.schema.json`;
}

export function eventJsonSchema(type: DomainEventType): Record<string, unknown> {
  const detail = z.toJSONSchema(DOMAIN_EVENTS[type], { target: 'draft-2020-12', io: 'output' }) as Record<
    string,
    unknown
  >;
  const { $schema, description, ...detailSchema } = detail;
  return {
    $schema,
    $id: `https://schemas.provisioning.example/events/${eventSchemaFile(type)}`,
    title: type,
    description,
    type: 'object',
    required: ['id', 'source', 'detail-type', 'time', 'detail'],
    properties: {
      id: {
        type: 'string',
        description: 'EventBridge’s id of this delivery (differs on a retry; dedupe on detail.eventId).',
      },
      source: { const: WORKFLOW_EVENT_SOURCE },
      'detail-type': { const: type },
      time: { type: 'string', format: 'date-time' },
      detail: detailSchema,
    },
  };
}
