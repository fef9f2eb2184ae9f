import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3 } from '../../functions/shared/clients';
import { presignSummary, storeSummary, summaryKey } from '../../functions/shared/documents/document-store';
import { renderOrderSummary } from '../../functions/shared/documents/order-summary';
import { startLocalS3, type LocalS3 } from './local-s3';
import { summaryInput } from './summary-fixtures';

describe('order summary in S3 (s3rver)', () => {
  let local: LocalS3;

  beforeAll(async () => {
    local = await startLocalS3();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('derives the key from the order id', () => {
    expect(summaryKey('ORD-2026-0042')).toBe('orders/ORD-2026-0042/order-summary.pdf');
  });

  it('stores the PDF as application/pdf and serves the same bytes through a presigned GET', async () => {
    const pdf = await renderOrderSummary(summaryInput(1));

    const key = await storeSummary('ORD-2026-0042', pdf);
    expect(key).toBe(summaryKey('ORD-2026-0042'));
    const head = await s3().send(new HeadObjectCommand({ Bucket: local.bucket, Key: key }));
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ContentDisposition).toBe('attachment; filename="order-summary-ORD-2026-0042.pdf"');

    const before = Date.now();
    const { url, expiresAt } = await presignSummary(key, 300);
    expect(url.startsWith(`${local.endpoint}/${local.bucket}/${key}?`)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
    const expiry = Date.parse(expiresAt);
    expect(expiry).toBeGreaterThanOrEqual(before + 300_000 - 1000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 300_000 + 1000);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('uses SUMMARY_URL_TTL_SECONDS by default', async () => {
    const { url } = await presignSummary(summaryKey('ORD-2026-0042'));
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe(process.env.SUMMARY_URL_TTL_SECONDS);
  });
});
