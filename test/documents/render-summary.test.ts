import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler, renderSummary } from '../../functions/render-summary/handler';
import { addAudit, createOrder, getOrder } from '../../functions/shared/adapters/order-repository';
import { batchPut, organizationItems } from '../../functions/shared/adapters/org-directory';
import { resetClients, s3 } from '../../functions/shared/clients';
import { summaryKey } from '../../functions/shared/documents/document-store';
import { renderOrderSummary } from '../../functions/shared/documents/order-summary';
import type { Organization } from '../../functions/shared/domain/org.schema';
import { OrderNotFoundError } from '../../functions/shared/errors';
import { startFaultFront } from '../../infra/local/faults';
import { lambdaContext } from '../unit/support/lambda-context';
import { startLocalTable, type LocalTable } from '../unit/support/local-table';
import { startLocalS3, type LocalS3 } from './local-s3';
import { summaryInput } from './summary-fixtures';

// The "Render order summary" step against real emulators: DynamoDB (dynalite) and S3 (s3rver).

function importLineOf(org: Organization) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { activeUsers, lastActivityAt, ...rest } = org;
  return { ...rest, users: [] };
}

describe('render-summary step', () => {
  let table: LocalTable;
  let bucket: LocalS3;
  const input = summaryInput(3, 'ro');
  const orderId = input.order.orderId;

  beforeAll(async () => {
    table = await startLocalTable();
    bucket = await startLocalS3();
    await createOrder(input.order);
    for (const [i, entry] of input.audit.entries()) await addAudit(orderId, entry, `fixture#${i}`);
    for (const org of [input.partnerOrg, input.customerOrg]) {
      if (org) await batchPut(organizationItems(importLineOf(org), org.createdAt));
    }
  });

  afterAll(async () => {
    await bucket.stop();
    await table.stop();
  });

  it('renders the stored order into S3, records the key, and a second run writes the same bytes', async () => {
    const first = await renderSummary({ orderId });
    expect(first.summaryKey).toBe(summaryKey(orderId));

    const object = await s3().send(new GetObjectCommand({ Bucket: bucket.bucket, Key: first.summaryKey }));
    expect(object.ContentType).toBe('application/pdf');
    const stored = Buffer.from(await object.Body!.transformToByteArray());
    expect(stored.length).toBe(first.bytes);

    const order = await getOrder(orderId);
    expect(order.summaryKey).toBe(first.summaryKey);
    expect(order.currentStep).toBe('Render order summary');

    const second = await renderSummary({ orderId });
    expect(second).toEqual(first);
    const again = await s3().send(new GetObjectCommand({ Bucket: bucket.bucket, Key: second.summaryKey }));
    expect(Buffer.from(await again.Body!.transformToByteArray()).equals(stored)).toBe(true);

    // What the step loaded is what the fixtures hold: the same PDF as rendering them directly.
    const organizationsAsStored = {
      ...input,
      partnerOrg: input.partnerOrg && { ...input.partnerOrg, activeUsers: 0, lastActivityAt: undefined },
      customerOrg: input.customerOrg && { ...input.customerOrg, activeUsers: 0, lastActivityAt: undefined },
    };
    expect((await renderOrderSummary(organizationsAsStored)).equals(stored)).toBe(true);
  });

  it('when S3 fails, the step fails with TransientError and records no summary; the retry stores it', async () => {
    const outageOrderId = `${orderId}-S3`;
    await createOrder({ ...input.order, orderId: outageOrderId });
    // S3 answers with its own 503s (the runtime's fault front, as FIS would), then comes back.
    const front = await startFaultFront({
      service: 's3',
      target: bucket.endpoint,
      host: '127.0.0.1',
      port: 0,
    });
    const endpoint = process.env.S3_ENDPOINT;
    process.env.S3_ENDPOINT = front.url;
    resetClients();
    try {
      front.outageFor(600_000);
      await expect(handler({ orderId: outageOrderId }, lambdaContext('RenderSummary'))).rejects.toMatchObject(
        {
          name: 'TransientError',
        },
      );
      expect(front.stats().outage).toBeGreaterThan(0);
      expect((await getOrder(outageOrderId)).summaryKey).toBeUndefined();

      front.endOutage();
      const stored = await handler({ orderId: outageOrderId }, lambdaContext('RenderSummary'));

      expect(stored.summaryKey).toBe(summaryKey(outageOrderId));
      expect((await getOrder(outageOrderId)).summaryKey).toBe(stored.summaryKey);
    } finally {
      process.env.S3_ENDPOINT = endpoint;
      resetClients();
      await front.close();
    }
    const object = await s3().send(
      new GetObjectCommand({ Bucket: bucket.bucket, Key: summaryKey(outageOrderId) }),
    );
    expect(
      Buffer.from(await object.Body!.transformToByteArray())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('an unknown order fails with OrderNotFoundError', async () => {
    await expect(renderSummary({ orderId: 'ORD-MISSING' })).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});
