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
  createApp().app.synth();
} finally {
  disposeLambdaBundles();
}
