import { createHash } from 'node:crypto';
import * as z from 'zod';
import { orderIdSchema, serviceTypeSchema, type OrderPlacedDetail, type ServiceType } from './order.schema';
import { orgKindSchema, type OrgKind } from './org.schema';

// The workflow's domain events: what billing, CRM and the order system learn about an order. Each
// is published on the workflow's bus with source `provisioning.workflow`, one detail type per
// fact, and a detail validated by the schema below (the JSON Schema in docs/events/ is generated
// from these). `eventId` is derived from the order and the fact, so a retried step publishes the
// same id again: consumers dedupe on it.

export const WORKFLOW_EVENT_SOURCE = 'provisioning.workflow';

/** A stable id for one fact about one order: the same inputs give the same id on every retry. */
export function domainEventId(orderId: string, fact: string): string {
  const hex = createHash('sha256').update(`${orderId}\n${fact}`).digest('hex');
  // Shaped like a UUID (version 8, custom) so it fits id columns consumers already have.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const eventIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  .describe('Stable id of this fact about this order: a retried step publishes the same id. Dedupe on it.');

const base = {
  eventId: eventIdSchema,
  orderId: orderIdSchema.describe('The order system’s order id (also the name of the run).'),
  occurredAt: z.iso.datetime({ offset: true }).describe('When the workflow recorded the fact.'),
};

const serviceSchema = z.object({ type: serviceTypeSchema, quantity: z.number().int().min(1) });

export const orderReceivedDetailSchema = z
  .object({
    ...base,
    subscriptionId: z.string().min(1),
    partnerName: z.string().min(1).optional(),
    services: z.array(serviceSchema).min(1),
  })
  .describe('The order was received and stored; its run has started.');

const organizationFields = {
  ...base,
  kind: orgKindSchema.describe('partner: the partner’s own organization; customer: the end customer’s.'),
  orgId: z.string().min(1),
  name: z.string().min(1),
};

export const organizationMappedDetailSchema = z
  .object({
    ...organizationFields,
    created: z.boolean().describe('true when the organization was created for this order.'),
  })
  .describe('The order was mapped to an organization (an existing one, or one created for it).');

export const organizationCreatedDetailSchema = z
  .object(organizationFields)
  .describe('A new organization was created for the order.');

export const serviceProvisionedDetailSchema = z
  .object({
    ...base,
    service: serviceTypeSchema,
    quantity: z.number().int().min(1).optional().describe('Licences on the order for this service.'),
    provisioned: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .describe('What was set up, as recorded on the order (site URLs, location, licences).'),
    webex: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('What Webex returned for this service (ids, URLs, states), where the step has it.'),
  })
  .describe('One service of the order was provisioned.');

export const orderCompletedDetailSchema = z
  .object({
    ...base,
    services: z.array(serviceSchema).min(1),
    summaryKey: z.string().min(1).describe('S3 key of the order summary PDF in the documents bucket.'),
  })
  .describe('Every service is provisioned and the people were sent the summary.');

export const orderFailedDetailSchema = z
  .object({
    ...base,
    step: z.string().min(1).describe('The state whose failure ended the run.'),
    error: z.string().min(1),
    cause: z.string(),
    attempt: z.number().int().min(0).describe('0 for the first run, n after the n-th redrive.'),
  })
  .describe('The run ended without success; ops were told and may redrive it.');

export const orderExpiredDetailSchema = z
  .object({ ...base, step: z.string().optional().describe('The step that waited in vain.') })
  .describe('The last reminder went unanswered; the order expired.');

export const orderCancelledDetailSchema = z
  .object({ ...base, reason: z.string().optional() })
  .describe('The order system cancelled the order; its run was stopped.');

/** Every domain event: its detail type and its detail's schema. */
export const DOMAIN_EVENTS = {
  'Order Received': orderReceivedDetailSchema,
  'Organization Mapped': organizationMappedDetailSchema,
  'Organization Created': organizationCreatedDetailSchema,
  'Service Provisioned': serviceProvisionedDetailSchema,
  'Order Completed': orderCompletedDetailSchema,
  'Order Failed': orderFailedDetailSchema,
  'Order Expired': orderExpiredDetailSchema,
  'Order Cancelled': orderCancelledDetailSchema,
} as const;

export type DomainEventType = keyof typeof DOMAIN_EVENTS;
export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENTS) as DomainEventType[];
export type DomainEventDetail<T extends DomainEventType> = z.infer<(typeof DOMAIN_EVENTS)[T]>;

/** One event to publish: its detail type and its detail. */
export type DomainEvent = {
  [T in DomainEventType]: { detailType: T; detail: DomainEventDetail<T> };
}[DomainEventType];

// ---- the events, built from what the steps have at hand --------------------------------------

const now = () => new Date().toISOString();
const fields = (orderId: string, fact: string) => ({
  eventId: domainEventId(orderId, fact),
  orderId,
  occurredAt: now(),
});

export function orderReceived(order: OrderPlacedDetail): DomainEvent {
  return {
    detailType: 'Order Received',
    detail: {
      ...fields(order.orderId, 'Order Received'),
      subscriptionId: order.subscriptionId,
      ...(order.partnerName ? { partnerName: order.partnerName } : {}),
      services: order.services.map((s) => ({ type: s.type, quantity: s.quantity })),
    },
  };
}

/** Organization Mapped, preceded by Organization Created when the step created it. */
export function organizationEvents(
  orderId: string,
  org: { kind: OrgKind; orgId: string; name: string },
  created: boolean,
): DomainEvent[] {
  const about = { kind: org.kind, orgId: org.orgId, name: org.name };
  const mapped: DomainEvent = {
    detailType: 'Organization Mapped',
    detail: { ...fields(orderId, `Organization Mapped#${org.kind}`), ...about, created },
  };
  if (!created) return [mapped];
  return [
    {
      detailType: 'Organization Created',
      detail: { ...fields(orderId, `Organization Created#${org.kind}#${org.orgId}`), ...about },
    },
    mapped,
  ];
}

export function serviceProvisioned(
  orderId: string,
  service: ServiceType,
  provisioned: Record<string, string | number | boolean>,
  webex?: Record<string, unknown>,
): DomainEvent {
  const quantity = provisioned.licenses;
  return {
    detailType: 'Service Provisioned',
    detail: {
      ...fields(orderId, `Service Provisioned#${service}`),
      service,
      ...(typeof quantity === 'number' ? { quantity } : {}),
      provisioned,
      ...(webex ? { webex } : {}),
    },
  };
}

export function orderCompleted(
  order: { orderId: string; services: { type: ServiceType; quantity: number }[] },
  summaryKey: string,
): DomainEvent {
  return {
    detailType: 'Order Completed',
    detail: {
      ...fields(order.orderId, 'Order Completed'),
      services: order.services.map((s) => ({ type: s.type, quantity: s.quantity })),
      summaryKey,
    },
  };
}

export function orderFailed(
  orderId: string,
  failure: { step: string; error: string; cause: string; attempt: number },
): DomainEvent {
  return {
    detailType: 'Order Failed',
    detail: { ...fields(orderId, `Order Failed#${failure.attempt}`), ...failure },
  };
}

export function orderExpired(orderId: string, step?: string): DomainEvent {
  return {
    detailType: 'Order Expired',
    detail: { ...fields(orderId, 'Order Expired'), ...(step ? { step } : {}) },
  };
}

export function orderCancelled(orderId: string, reason?: string): DomainEvent {
  return {
    detailType: 'Order Cancelled',
    detail: { ...fields(orderId, 'Order Cancelled'), ...(reason ? { reason } : {}) },
  };
}
