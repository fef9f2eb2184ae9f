// The CDK app's entry point (cdk.json: `npx tsx infra/app.ts`).
import { resolve } from 'node:path';
import { ALL_FUNCTIONS } from '../functions/registry';
import { disposeLambdaBundles, prepareLambdaBundles } from './bundling';

// The Lambda bundles are built first, in esbuild's own process, while this one loads aws-cdk-lib,
// cdk-nag and the stacks' modules (2-4 s); the functions' bundling hooks then copy them, and the
// scratch directory goes after synth.
const bundles = prepareLambdaBundles(ALL_FUNCTIONS, resolve(import.meta.dirname, '..'));
const { createApp } = await import('./create-app');
await bundles;
try {
  // CDK's built-in CloudFormation validation (a 9 MB WebAssembly engine, most of a synth's time)
  // runs once per `npm test` instead (test/infra/cfn-validation.test.ts); CDK_VALIDATION=true
  // runs it in this synth too (docs/deploy.md, "Offline synth").
  createApp({ builtinCloudFormationValidation: process.env.CDK_VALIDATION === 'true' }).app.synth();
} finally {
  disposeLambdaBundles();
}
