import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { PROJECT_ROOT, createApp, type ProvisioningApp } from '../../infra/create-app';

export interface SynthesizedApp extends ProvisioningApp {
  assembly: CloudAssembly;
  outdir: string;
  statefulTemplate: Template;
  workflowTemplate: Template;
}

/**
 * The real app, with cdk.json's context (the feature flags the CLI would pass) and bundling
 * turned off: the tests check the templates, not the bundles, and stay fast. `app.synth()` runs
 * cdk-nag and throws on any unacknowledged finding. CDK's built-in CloudFormation validation
 * (3-4 s to load its engine) runs only when asked for: test/infra/cfn-validation.test.ts.
 */
export function synthApp(
  context: Record<string, unknown> = {},
  { validate = false }: { validate?: boolean } = {},
): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'provisioning-cdk-'));
  const built = createApp({
    outdir,
    context: testContext(context),
    builtinCloudFormationValidation: validate,
  });
  const assembly = built.app.synth();
  return {
    ...built,
    assembly,
    outdir,
    statefulTemplate: Template.fromStack(built.stateful),
    workflowTemplate: Template.fromStack(built.workflow),
  };
}

/** cdk.json's context (what the CLI passes), bundling off, then the test's own values. */
export function testContext(context: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context };
}

// Synthesized templates are small (bundling is off); the OS cleans the temp directory.
let shared: SynthesizedApp | undefined;

/** One synthesis per test file with the default context. */
export function defaultApp(): SynthesizedApp {
  shared ??= synthApp();
  return shared;
}
