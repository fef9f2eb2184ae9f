import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnResource } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/create-app';
import { synthApp, testContext } from './synth-app.fixture';

// CDK's built-in CloudFormation validation (the CloudFormation schemas and default rules, in a
// WebAssembly engine that takes 3-4 s to load) runs here, once per `npm test`, instead of in every
// `cdk synth` (infra/app.ts). cdk.json's `@aws-cdk/core:validateAgainstDefaultRules` makes its
// findings errors.

interface ValidationReport {
  pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
}

describe('CloudFormation validation', () => {
  it('finds nothing in either stack', () => {
    // Findings are errors (the synth throws); a warning would still be written to the report.
    const { outdir } = synthApp({}, { validate: true });

    const report = JSON.parse(
      readFileSync(join(outdir, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
    expect(report.pluginReports.filter((plugin) => plugin.pluginName === 'CloudFormation Validate')).toEqual(
      [],
    );
  });

  it('is wired in: a resource CloudFormation would refuse fails the synth', () => {
    const { app, stateful } = createApp({
      outdir: mkdtempSync(join(tmpdir(), 'provisioning-cfn-validation-')),
      context: testContext(),
      builtinCloudFormationValidation: true,
    });
    new CfnResource(stateful, 'MisspeltQueue', {
      type: 'AWS::SQS::Queue',
      properties: { VisibilityTimeout: 'a while', RetentionPeriod: 60 },
    });

    expect(() => app.synth()).toThrow(/MisspeltQueue/);
  });
});
