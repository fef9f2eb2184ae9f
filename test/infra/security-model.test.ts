import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/create-app';
import { CAPABILITIES } from '../../infra/workflow.stack';
import { Match } from 'aws-cdk-lib/assertions';
import { RETENTION_DAYS } from '../../functions/shared/adapters/keys';
import { ALL_FUNCTIONS } from '../../functions/registry';
import { defaultApp } from './synth-app.fixture';

// The security model of docs/deploy.md, read from both synthesized templates.

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const app = defaultApp();
const templates = { stateful: app.statefulTemplate, workflow: app.workflowTemplate };

function functionsOf(template: (typeof templates)['workflow']) {
  const resources = template.toJSON().Resources as Resources;
  return Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
}

function environmentOf(fn: Resources[string]): Record<string, unknown> {
  return (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
}

describe('X-Ray traces hold no setup link and no personal data', () => {
  it('turns off response capture in every function of both stacks', () => {
    let count = 0;
    for (const template of Object.values(templates)) {
      for (const [id, fn] of functionsOf(template)) {
        expect(environmentOf(fn).POWERTOOLS_TRACER_CAPTURE_RESPONSE, id).toBe('false');
        count++;
      }
    }
    expect(count).toBe(ALL_FUNCTIONS.length);
  });

  it('records error text only for functions whose errors hold no link, address or name', () => {
    const capturing: string[] = [];
    for (const template of Object.values(templates)) {
      for (const [id, fn] of functionsOf(template)) {
        const value = environmentOf(fn).POWERTOOLS_TRACER_CAPTURE_ERROR;
        expect(['true', 'false'], id).toContain(value);
        if (value === 'true') capturing.push(id.replace(/[0-9A-F]{8}$/, ''));
      }
    }
    // The public function, the email senders and the Webex callers are not among them.
    expect(capturing.sort()).toEqual(['Intake', 'ReceiveOrder', 'RenderSummary']);
  });
});

describe('what is kept, and for how long', () => {
  it('lets DynamoDB expire items by their ttl attribute', () => {
    templates.stateful.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('expires order summaries with their order, and their old versions after 30 days', () => {
    templates.stateful.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            ExpirationInDays: RETENTION_DAYS.order,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            Status: 'Enabled',
          }),
        ]),
      },
    });
  });

  it('keeps events with the contact in the bus archive 14 days by default, 30 at most, never forever', () => {
    const parameters = templates.workflow.toJSON().Parameters as Record<string, Record<string, unknown>>;
    expect(parameters.EventArchiveRetentionDays).toMatchObject({ Default: 14, MinValue: 1, MaxValue: 30 });
    templates.workflow.hasResourceProperties('AWS::Events::Archive', {
      RetentionDays: { Ref: 'EventArchiveRetentionDays' },
    });
  });

  it('keeps every log group for a bounded time', () => {
    for (const template of Object.values(templates)) {
      const resources = template.toJSON().Resources as Resources;
      for (const [id, group] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Logs::LogGroup'))
        expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
  });
});

describe('docs/deploy.md, "Security model"', () => {
  const doc = readFileSync(join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8');
  const section = doc.slice(
    doc.indexOf('## Security model'),
    doc.indexOf('\n## ', doc.indexOf('## Security model') + 1),
  );

  it('lists what each function may touch, as infra/workflow.stack.ts grants it', () => {
    const rows = [...section.matchAll(/^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|$/gm)];
    const table = Object.fromEntries(
      rows.map((m) => [
        m[1],
        { dynamodb: [...(m[2] ?? '').matchAll(/`(\w+)`/g)].map((a) => a[1]), also: m[3] ?? '' },
      ]),
    );
    expect(Object.keys(table).sort()).toEqual(Object.keys(CAPABILITIES).sort());
    for (const [id, caps] of Object.entries(CAPABILITIES)) {
      const row = table[id];
      expect(row?.dynamodb, id).toEqual([...caps.table]);
      const also = row?.also ?? '';
      expect(/\bemail\b/.test(also), `${id} email`).toBe(caps.email === true);
      expect(/\bevents\b/.test(also), `${id} events`).toBe(caps.events === true);
      expect(/\bWebex\b/.test(also), `${id} Webex`).toBe(caps.webex === true);
      expect(/\bsigning\b/.test(also), `${id} signing`).toBe(caps.signing === true);
      expect(/\bPDF\b/.test(also), `${id} PDF`).toBe(caps.bucket !== undefined);
    }
  });

  it('states the retention the code sets', () => {
    expect(section).toContain(`${RETENTION_DAYS.order} days after each item's last write`);
    expect(section).toContain(`${RETENTION_DAYS.linkAfterExpiry} days after it expires`);
    expect(section).toMatch(
      new RegExp(`rejected event[^\\n]*\\| DynamoDB \\| ${RETENTION_DAYS.rejectedEvent} days`),
    );
    expect(section).toContain('14 days by default');
    expect(section).toContain('30 at most');
  });
});
