import { getConfig } from '../config';
import { SUMMARY_CONTENT_TYPE, summaryFileName, summaryKey } from './summary-object';

// The order summary in S3: one object per order under a key derived from the order id (so a
// re-render overwrites it), offered only through short-lived presigned GET URLs.
//
// The S3 client, its commands and the presigner are imported on first use, not with this module:
// the setup pages (Resume) import this for the done page's download link only, and S3's client
// with its XML protocol and checksums is about 75 KB that every other page's cold start would
// load for nothing (infra/bundling.ts writes it to a chunk of its own; docs/performance.md).
const s3Api = () => import('./summary-s3');

export { summaryKey } from './summary-object';

/** Stores (or overwrites with the same bytes) the order's summary; returns its key. */
export async function storeSummary(orderId: string, pdf: Buffer): Promise<string> {
  const key = summaryKey(orderId);
  const { PutObjectCommand, s3 } = await s3Api();
  await s3().send(
    new PutObjectCommand({
      Bucket: getConfig().BUCKET_NAME,
      Key: key,
      Body: pdf,
      ContentType: SUMMARY_CONTENT_TYPE,
      ContentLength: pdf.length,
      ContentDisposition: `attachment; filename="${summaryFileName(orderId)}"`,
    }),
  );
  return key;
}

/** A presigned GET URL for a stored summary, valid for `ttlSeconds` (SUMMARY_URL_TTL_SECONDS by default). */
export async function presignSummary(
  key: string,
  ttlSeconds: number = getConfig().SUMMARY_URL_TTL_SECONDS,
): Promise<{ url: string; expiresAt: string }> {
  const signedAt = Date.now();
  const { GetObjectCommand, getSignedUrl, s3 } = await s3Api();
  const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: getConfig().BUCKET_NAME, Key: key }), {
    expiresIn: ttlSeconds,
  });
  return { url, expiresAt: new Date(signedAt + ttlSeconds * 1000).toISOString() };
}
