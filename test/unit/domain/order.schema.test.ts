import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  executionInputSchema,
  orderCancelledEventSchema,
  orderEventSchema,
  orderIdSchema,
  orderPlacedEventSchema,
} from '../../../functions/shared/domain/order.schema';
import { cancelledEvent, executionInput, placedEvent } from '../../fixtures/orders';

function issuePaths(result: z.ZodSafeParseResult<unknown>): string[] {
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

describe('order placed event', () => {
  it('accepts the example event and normalises the contact email', () => {
    // Prepare
    const event = placedEvent({
      contact: { email: '  Ana.Popescu@Partner.EXAMPLE ', name: 'Ana Popescu', language: 'ro' },
    });

    // Act
    const parsed = orderPlacedEventSchema.parse(event);

    // Assess
    expect(parsed.detail.contact.email).toBe('ana.popescu@partner.example');
    expect(parsed.detail.services).toHaveLength(2);
  });

  it.each([
    ['a missing contact email', { contact: { name: 'Ana', language: 'en' } }, 'detail.contact.email'],
    [
      'a malformed contact email',
      { contact: { email: 'not-an-email', name: 'Ana', language: 'en' } },
      'detail.contact.email',
    ],
    [
      'an unsupported language',
      { contact: { email: 'a@b.example', name: 'Ana', language: 'de' } },
      'detail.contact.language',
    ],
    ['no services', { services: [] }, 'detail.services'],
    ['an unknown service', { services: [{ type: 'webinars', quantity: 1 }] }, 'detail.services.0.type'],
    ['a zero quantity', { services: [{ type: 'meetings', quantity: 0 }] }, 'detail.services.0.quantity'],
    [
      'a fractional quantity',
      { services: [{ type: 'calling', quantity: 1.5 }] },
      'detail.services.0.quantity',
    ],
    ['a placedAt that is not a date', { placedAt: 'yesterday' }, 'detail.placedAt'],
    ['an empty subscription id', { subscriptionId: ' ' }, 'detail.subscriptionId'],
  ])('rejects %s, naming the field', (_what, detail, path) => {
    // Prepare
    const event = { ...placedEvent(), detail: { ...placedEvent().detail, ...detail } };

    // Act
    const result = orderPlacedEventSchema.safeParse(event);

    // Assess
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toContain(path);
  });

  it('rejects a service bought twice', () => {
    const event = placedEvent({
      services: [
        { type: 'meetings', quantity: 5 },
        { type: 'meetings', quantity: 7 },
      ],
    });

    const result = orderPlacedEventSchema.safeParse(event);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['detail', 'services'],
      message: 'each service may appear once',
    });
  });

  it('rejects an event from another source or of another type', () => {
    const otherSource = { ...placedEvent(), source: 'orders.other' };
    const otherType = { ...placedEvent(), 'detail-type': 'Subscription Order Shipped' };

    expect(issuePaths(orderPlacedEventSchema.safeParse(otherSource))).toEqual(['source']);
    expect(issuePaths(orderPlacedEventSchema.safeParse(otherType))).toEqual(['detail-type']);
  });

  it('rejects an event without detail', () => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { detail, ...envelope } = placedEvent();

    expect(issuePaths(orderPlacedEventSchema.safeParse(envelope))).toEqual(['detail']);
  });
});

describe('order id', () => {
  it.each(['ORD-1', 'a', 'order_2026_11-25', 'A'.repeat(80)])('accepts %s', (id) => {
    expect(orderIdSchema.safeParse(id).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['longer than an execution name (81 characters)', 'A'.repeat(81)],
    ['with a slash', 'ORD/1'],
    ['with a space', 'ORD 1'],
    ['starting with a hyphen', '-ORD'],
    ['with a colon (breaks the execution ARN)', 'ORD:1'],
    ['with non-ASCII letters', 'ORDĂ'],
  ])('rejects an id %s', (_what, id) => {
    expect(orderIdSchema.safeParse(id).success).toBe(false);
  });
});

describe('order cancelled event', () => {
  it('accepts a cancellation with and without a reason', () => {
    expect(orderCancelledEventSchema.parse(cancelledEvent('ORD-9')).detail.reason).toBe('Customer withdrew');
    expect(orderCancelledEventSchema.parse(cancelledEvent('ORD-9', null)).detail.reason).toBeUndefined();
  });

  it('rejects a cancellation without cancelledAt, naming it', () => {
    const event = cancelledEvent();
    const bad = { ...event, detail: { orderId: event.detail.orderId } };

    expect(issuePaths(orderCancelledEventSchema.safeParse(bad))).toEqual(['detail.cancelledAt']);
  });

  it('tells placed and cancelled apart by detail-type', () => {
    expect(orderEventSchema.parse(placedEvent())['detail-type']).toBe('Subscription Order Placed');
    expect(orderEventSchema.parse(cancelledEvent())['detail-type']).toBe('Subscription Order Cancelled');
  });
});

describe('execution input', () => {
  it('accepts the order with its run settings', () => {
    expect(executionInputSchema.safeParse(executionInput()).success).toBe(true);
  });

  it.each([
    ['a zero step timeout', { stepTimeoutSeconds: 0, maxReminders: 3 }, 'settings.stepTimeoutSeconds'],
    ['negative reminders', { stepTimeoutSeconds: 60, maxReminders: -1 }, 'settings.maxReminders'],
    ['more than ten reminders', { stepTimeoutSeconds: 60, maxReminders: 11 }, 'settings.maxReminders'],
  ])('rejects %s', (_what, settings, path) => {
    const input = { ...executionInput(), settings };

    expect(issuePaths(executionInputSchema.safeParse(input))).toEqual([path]);
  });
});
