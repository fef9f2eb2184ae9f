import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { LINK_ID_BYTES } from '../../functions/shared/domain/links';
import { createApp } from '../../infra/create-app';
import { defaultApp, testContext } from './synth-app.fixture';

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          // Stored under the validation plugin's namespace, e.g. `Annotation::AwsSolutions-S1`.
          id: id.replace(/^.*?::(?=AwsSolutions-)/, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const { outdir } = defaultApp();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    for (const plugin of report.pluginReports) {
      expect(plugin.violations).toEqual([]);
      expect(plugin.conclusion).toBe('success');
    }
  });

  it('is wired in: an unencrypted, unlogged bucket fails the synth', () => {
    const { app, stateful } = createApp({
      outdir: mkdtempSync(join(tmpdir(), 'provisioning-cdk-nag-')),
      context: testContext(),
      builtinCloudFormationValidation: false,
    });
    new s3.Bucket(stateful, 'CarelessBucket');
    expect(() => app.synth()).toThrow(/CarelessBucket[\s\S]*AwsSolutions-S1/);
  });

  it('acknowledges each finding on the narrowest construct, with a reason', () => {
    const { app } = defaultApp();
    const acks = acknowledgements(app);
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
      // Never on a whole stack or the app.
      expect(ack.path.split('/').length, `${ack.path} ${ack.id}`).toBeGreaterThan(1);
      // IAM5 only per finding (a resource or action), never the whole rule.
      if (ack.id.startsWith('AwsSolutions-IAM5'))
        expect(ack.id).toMatch(/^AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
    }
    const byRule = acks.reduce<Record<string, number>>((counts, ack) => {
      const rule = ack.id.replace(/\[.*$/, '');
      counts[rule] = (counts[rule] ?? 0) + 1;
      return counts;
    }, {});
    // Each rule acknowledged, and why (see the reasons in infra/):
    expect(byRule).toEqual({
      // Bucket for access logs (S1); signing key and Webex refresh token not rotated on a
      // schedule (SMG4, 2 secrets); the DLQ is itself a DLQ (SQS3); the setup pages are
      // authorised by their links (APIG4, 4 routes).
      'AwsSolutions-S1': 1,
      'AwsSolutions-SMG4': 2,
      'AwsSolutions-SQS3': 1,
      'AwsSolutions-APIG4': 4,
      // X-Ray on 17 function roles (WebexPrecheck included) and log delivery + X-Ray on the
      // state machine (Resource::*),
      // 12 state machine functions' ARN:* from grantInvoke, 2 summary-object patterns (render
      // writes, the setup pages presign), the executions (cancel stops them, the failure
      // recorder reads their history).
      'AwsSolutions-IAM5': 17 + 1 + 12 + 2 + 2,
    });
  });

  it('says what the setup links are where it lets the pages go without an authorizer', () => {
    const { app } = defaultApp();
    const reasons = acknowledgements(app).filter((ack) => ack.id === 'AwsSolutions-APIG4');
    expect(reasons.length).toBeGreaterThan(0);
    for (const { reason } of reasons) {
      // Random ids of LINK_ID_BYTES bytes, stored as a SHA-256; the key signs sessions, not links.
      expect(reason).toContain(`${LINK_ID_BYTES * 8}-bit random id`);
      expect(reason).toContain('SHA-256');
      expect(reason).not.toMatch(/signed (setup )?link/);
    }
  });
});
