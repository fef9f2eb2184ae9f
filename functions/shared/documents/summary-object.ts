// Where the order summary lives in the documents bucket and the name a browser saves it under:
// pure names, apart from the S3 client (document-store.ts), so the CDK app can scope the bucket
// grant to these keys without loading the AWS SDK.

export const SUMMARY_CONTENT_TYPE = 'application/pdf';

/** One object per order under a key derived from the order id (so a re-render overwrites it). */
export function summaryKey(orderId: string): string {
  return `orders/${orderId}/order-summary.pdf`;
}

/** The name a browser saves the download under. Order ids are [A-Za-z0-9_-], safe in a header. */
export function summaryFileName(orderId: string): string {
  return `order-summary-${orderId}.pdf`;
}
