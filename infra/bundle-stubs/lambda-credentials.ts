import { fromEnv } from '@aws-sdk/credential-provider-env';

// Stands in for `@aws-sdk/credential-provider-node` (the default credential chain: SSO, INI
// files, web identity, IMDS, and the STS and SSO clients they use, about 90 KB) in the Lambda
// bundles (infra/bundling.ts). Lambda hands a function its role's credentials in the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the first link of that chain.
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
