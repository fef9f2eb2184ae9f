import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSummary } from '../../functions/render-summary/handler';
import { addAudit, createOrder, getOrder } from '../../functions/shared/adapters/order-repository';
import { batchPut, organizationItems } from '../../functions/shared/adapters/org-directory';
import { s3 } from '../../functions/shared/clients';
import { summaryKey } from '../../functions/shared/documents/document-store';
import { renderOrderSummary } from '../../functions/shared/documents/order-summary';
import type { Organization } from '../../functions/shared/domain/org.schema';
import { OrderNotFoundError } from '../../functions/shared/errors';
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

  it('an unknown order fails with OrderNotFoundError', async () => {
    await expect(renderSummary({ orderId: 'ORD-MISSING' })).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});
