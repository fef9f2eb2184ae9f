// The CDK app's entry point (cdk.json: `npx tsx infra/app.ts`).
import { resolve } from 'node:path';
import { ALL_FUNCTIONS } from '../functions/registry';
import { prepareLambdaBundles } from './bundling';

// The Lambda bundles are built first, in esbuild's own process, while this one loads aws-cdk-lib,
// cdk-nag and the stacks' modules (about 2 s); the functions' bundling hooks then copy them.
const bundles = prepareLambdaBundles(ALL_FUNCTIONS, resolve(import.meta.dirname, '..'));
const { createApp } = await import('./create-app');
await bundles;
createApp().app.synth();
