import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema, resetConfig } from '../../functions/shared/config';
import { main as opsCli } from '../../infra/local/ops-cli';
import { EmailRejectedError } from '../../functions/shared/errors';
import { classifySendError } from '../../functions/shared/documents/mailer';
import { MAX_REJECTED_EVENT_DEPTH } from '../../functions/shared/adapters/org-directory';
import { MAX_ISSUES } from '../../functions/shared/middleware';
import { DEFAULT_PORTS, PORT_ENV, SERVICES } from '../../infra/local/ports';
import { readDoc, ROOT, tables, ticked } from './markdown';

// Single claims of the docs that were once false (issue 21), each held to the code.

const oneLine = (file: string) => readDoc(file).replace(/\s+/g, ' ');

describe('claims in the docs', () => {
  it('every ports table names each service with its default port, variable and flag', () => {
    const portTables = ['README.md', 'docs/demo.md'].flatMap((file) =>
      tables(file).filter(
        (t) => t.header.map((h) => h.toLowerCase()).join('|') === 'service|default|variable|flag',
      ),
    );
    expect(portTables).toHaveLength(2);
    const expected = SERVICES.map((s) => `${DEFAULT_PORTS[s]} ${PORT_ENV[s]} --port-${s}`).sort();
    for (const table of portTables)
      expect(
        table.rows
          .map(([, port, variable, flag]) => `${port} ${ticked(variable ?? '')[0]} ${ticked(flag ?? '')[0]}`)
          .sort(),
        `${table.file}:${table.line}`,
      ).toEqual(expected);
  });

  it('SES refusing an email for good (MessageRejected) is EmailRejectedError, which the state machine does not retry', () => {
    const refused = Object.assign(new Error('Email address is not verified.'), {
      name: 'MessageRejected',
      $fault: 'client' as const,
      $metadata: { httpStatusCode: 400 },
    });
    const classified = classifySendError(refused, { orderId: 'ORD-1', to: 'a@example.com', kind: 'welcome' });
    expect(classified).toBeInstanceOf(EmailRejectedError);
    // Every Retry's ErrorEquals, anywhere in the definition.
    const retried: string[] = [];
    JSON.parse(
      readFileSync(join(ROOT, 'statemachines/provisioning.asl.json'), 'utf8'),
      (key, value: unknown) => {
        if (key === 'Retry' && Array.isArray(value))
          for (const r of value as { ErrorEquals: string[] }[]) retried.push(...r.ErrorEquals);
        return value;
      },
    );
    expect(retried).toContain('TransientError');
    expect(retried).not.toContain(classified.name);
    const deploy = oneLine('docs/deploy.md');
    const claim = `(\`MessageRejected\`); the step turns it into \`${classified.name}\`, which is not retried`;
    expect(deploy.includes(claim), `deploy.md says: ${claim}`).toBe(true);
  });

  it('the runbook says what a rejected event keeps, and where it is cut', () => {
    const runbook = oneLine('docs/runbook.md');
    for (const claim of [
      `\`issues\` — the first ${MAX_ISSUES}, each cut at 300 characters`,
      `deeper than ${MAX_REJECTED_EVENT_DEPTH} levels is hashed`,
      'The event itself is not kept',
    ])
      expect(runbook.includes(claim), `the runbook says: ${claim}`).toBe(true);
  });

  it('the README names every folder of functions/ whose code calls AWS outside the clients and adapters', () => {
    const callers = new Set<string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(join(ROOT, dir))) {
        const path = join(dir, name);
        if (statSync(join(ROOT, path)).isDirectory()) walk(path);
        else if (
          path.endsWith('.ts') &&
          !/shared\/(clients|adapters)\//.test(path) &&
          /from '@aws-sdk\//.test(readFileSync(join(ROOT, path), 'utf8'))
        )
          callers.add(`${dirname(path)}/`);
      }
    };
    walk('functions');
    expect(callers.size).toBeGreaterThan(0);
    const readme = readDoc('README.md');
    expect([...callers].filter((folder) => !readme.includes(`\`${folder}\``))).toEqual([]);
  });

  it('no doc calls the setup links signed: they are random ids stored as a hash', () => {
    const found = ['README.md', 'docs/deploy.md', 'docs/runbook.md', 'docs/demo.md'].filter((file) =>
      /\bsigned (setup )?links?\b/i.test(oneLine(file)),
    );
    expect(found).toEqual([]);
  });

  describe('the ops CLI against AWS', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
      resetConfig();
    });

    it('asks for exactly the variables the runbook says it needs, and names the missing one', async () => {
      const runbook = oneLine('docs/runbook.md');
      const sentence =
        /the CLI reads AWS instead of a local runtime\. It needs only (.*?) and credentials/.exec(
          runbook,
        )?.[1];
      expect(sentence, 'the runbook says what the ops CLI needs against AWS').toBeDefined();
      // The variables the runbook names (the region may come from the SDK's own chain instead).
      const named = ticked(sentence ?? '').filter((key) => key !== 'AWS_REGION');
      expect(named).toEqual(['TABLE_NAME', 'STATE_MACHINE_ARN']);
      // What an ops engineer has: credentials and the runbook's variables. TABLE_NAME is what
      // points the CLI at AWS; without STATE_MACHINE_ARN it must name that one, and nothing else.
      for (const key of Object.keys(configSchema.shape)) delete process.env[key];
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        TABLE_NAME: 'SubscriptionProvisioning-Stateful-DataTable',
      });
      resetConfig();
      const error = await opsCli(['list'], () => undefined).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      const asked = /Invalid configuration: (.*?) (?:is|are) not set/.exec(error?.message ?? '')?.[1];
      expect(asked?.split(', ')).toEqual(['STATE_MACHINE_ARN']);
    });
  });
});
