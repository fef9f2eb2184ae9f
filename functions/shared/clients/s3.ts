import { S3Client } from '@aws-sdk/client-s3';
import { getConfig } from '../config';
import { traced } from '../observability';
import { clientOptions } from './credentials';

let client: S3Client | undefined;

export function s3(): S3Client {
  const endpoint = getConfig().S3_ENDPOINT;
  client ??= traced(
    new S3Client({
      ...clientOptions(endpoint, 'S3RVER'),
      // s3rver needs path-style URLs, and stores aws-chunked framing inside objects unless
      // checksums are only computed when an operation requires them.
      ...(endpoint ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' as const } : {}),
    }),
  );
  return client;
}

export function resetS3(): void {
  client = undefined;
}
