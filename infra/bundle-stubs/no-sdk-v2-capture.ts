// Stands in for `semver` (29 KB), which aws-xray-sdk-core (under the Powertools tracer) requires
// only to check the AWS SDK v2's version in `captureAWS` (infra/bundling.ts). These functions
// use SDK v3 clients, traced with captureAWSv3Client; nothing else in a bundle imports semver.
export function gte(): never {
  throw new Error('AWS SDK v2 tracing (captureAWS) is not supported in this bundle; use SDK v3 clients');
}
