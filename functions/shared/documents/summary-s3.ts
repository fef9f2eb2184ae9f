// What document-store.ts uses of S3, in one module it imports on first use: a dynamic import of
// '@aws-sdk/client-s3' itself would keep every command of the package.
export { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
export { getSignedUrl } from '@aws-sdk/s3-request-presigner';
export { s3 } from '../clients/s3';
