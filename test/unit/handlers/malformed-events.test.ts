import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as cancelHandler } from '../../../functions/cancel-order/handler';
import { handler as intakeHandler } from '../../../functions/intake/handler';
import { cancelledEvent, placedEvent, uniqueOrderId } from '../../fixtures/orders';
import { lambdaContext } from '../support/lambda-context';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { allItems } from '../support/table-items';

// A malformed event is always recorded as rejected, whatever its shape or size (issue 13, hole 4):
// deeply nested values and megabyte strings are cut to what a DynamoDB item can hold, and the
// record says it was cut. The handler returns normally (EventBridge does not retry it).

let table: LocalTable;
const sfn = mockClient(SFNClient);
beforeAll(async () => {
  table = await startLocalTable();
});
afterEach(() => {
  sfn.reset();
});
afterAll(async () => {
  sfn.restore();
  await table.stop();
});

function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

async function rejectedRecord(rejectionId: string) {
  return (await allItems()).find((i) => i.type === 'rejected-event' && i.id === rejectionId);
}

const MB = 'x'.repeat(1024 * 1024);
/** DynamoDB's item size limit. */
const ITEM_LIMIT = 400 * 1024;

type Rejected = { status: 'rejected'; rejectionId: string; issues: { path: string; message: string }[] };

describe('malformed events, however deep or large', () => {
  it('records an order event nested 10,000 deep as rejected, saying it was too deep to measure', async () => {
    const event = placedEvent({ orderId: uniqueOrderId() }) as Record<string, unknown>;
    event.detail = { ...(event.detail as object), services: nested(10_000) };

    const result = (await intakeHandler(event, lambdaContext())) as Rejected;

    expect(result.status).toBe('rejected');
    expect(result.issues).toContainEqual(
      expect.objectContaining({ path: expect.stringMatching(/^detail\.services/) }),
    );
    const record = await rejectedRecord(result.rejectionId);
    expect(record).toMatchObject({ reason: 'invalid order event', nestedTooDeep: true });
    expect(record?.fields).toContain('services');
    expect(record?.eventBytes).toBeUndefined();
    expect(JSON.stringify(record).length).toBeLessThan(ITEM_LIMIT);
    expect(sfn.commandCalls(StartExecutionCommand)).toEqual([]);
  });

  it('records an order event with 1 MB strings (the item would pass 400 KB): its size and hash, not its content', async () => {
    const orderId = uniqueOrderId();
    const event = placedEvent({ orderId }) as Record<string, unknown>;
    const detail = event.detail as Record<string, unknown>;
    event.detail = {
      ...detail,
      partnerName: MB,
      contact: { email: `${MB}@example.com`, name: MB, language: 'en' },
      services: Array.from({ length: 2000 }, () => ({ type: MB.slice(0, 1000), quantity: -1 })),
    };

    const result = (await intakeHandler(event, lambdaContext())) as Rejected;

    expect(result.status).toBe('rejected');
    const record = await rejectedRecord(result.rejectionId);
    expect(record).toMatchObject({ orderId, eventSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Number(record?.eventBytes)).toBeGreaterThan(3 * 1024 * 1024);
    expect(JSON.stringify(record)).not.toContain(MB.slice(0, 100));
    expect(JSON.stringify(record).length).toBeLessThan(ITEM_LIMIT);
    // The issues are kept too, with how many there were.
    expect(record?.issues).toEqual(result.issues);
    expect(Number(record?.issueCount)).toBe(result.issues.length);
    expect(result.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['detail.contact.email', 'detail.contact.name', 'detail.partnerName']),
    );
  });

  it('records a cancellation nested 10,000 deep or with a 1 MB order id, and the handler returns', async () => {
    const deep = cancelledEvent('ORD-1') as Record<string, unknown>;
    deep.detail = { orderId: 'ORD-1', cancelledAt: nested(10_000) };
    const huge = cancelledEvent(MB);

    const a = (await cancelHandler(deep, lambdaContext())) as Rejected;
    const b = (await cancelHandler(huge, lambdaContext())) as Rejected;

    expect([a.status, b.status]).toEqual(['rejected', 'rejected']);
    for (const r of [a, b]) {
      const record = await rejectedRecord(r.rejectionId);
      expect(record).toMatchObject({ reason: 'invalid cancellation event' });
      expect(record?.eventSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(record).length).toBeLessThan(ITEM_LIMIT);
    }
  });
});
