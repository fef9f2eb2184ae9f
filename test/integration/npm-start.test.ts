import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type RuntimeInfo } from '../../infra/local/runtime';
import { attachToRuntime, type AttachedRuntime } from '../helpers/test-runtime';
import { waitFor } from '../helpers/wait';
import {
  callingSetup,
  describeRun,
  mailbox,
  meetingsSetup,
  submitStep,
  waitForPendingStep,
  waitForRunStatus,
} from '../helpers/workflow';

// `npm start` and `npm run order` as a person runs them, in their own processes; and a crash
// (`kill -9`) while an order waits loses nothing.

const dir = mkdtempSync(join(tmpdir(), 'provisioning-npm-start-'));
const children: ChildProcess[] = [];
let attached: AttachedRuntime | undefined;

afterAll(() => {
  attached?.close();
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function run(
  script: string,
  args: string[],
  extraEnv: Record<string, string | undefined> = {},
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dir, POWERTOOLS_LOG_LEVEL: 'ERROR', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return Object.assign(child, { output: () => out });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function npmStart(): Promise<ChildProcess & { output: () => string }> {
  const ports = ['web', 'dynamodb', 's3', 'ses', 'sfn', 'webex', 'events'].flatMap((s) => [
    `--port-${s}`,
    '0',
  ]);
  const child = run('infra/local/start.ts', ['--step-timeout', '600', ...ports]);
  await waitFor(
    'npm start to be up',
    () => {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${child.output()}`);
      const path = join(dir, 'runtime.json');
      if (!existsSync(path)) return undefined;
      const info = JSON.parse(readFileSync(path, 'utf8')) as RuntimeInfo;
      return info.pid === child.pid && child.output().includes('Ctrl-C stops everything');
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  return child;
}

describe('npm start and npm run order', () => {
  it('runs an example order, survives kill -9 while it waits, and stops cleanly on Ctrl-C', async () => {
    const first = await npmStart();
    expect(first.output()).toContain('/ops');

    // Two order systems' sends at once: each CLI is its own process.
    const order = run('infra/local/order-cli.ts', ['examples/order-partner-associated.json']);
    const bad = run('infra/local/order-cli.ts', ['examples/order-malformed.json']);
    expect(await exited(order)).toBe(0);
    expect(order.output()).toContain('Started the run for order ORD-DEMO-1001');

    expect(await exited(bad)).toBe(1);
    expect(bad.output()).toContain('detail.contact.email');
    expect(bad.output()).toContain('No run was started');

    attached = attachToRuntime(dir);
    const orderId = 'ORD-DEMO-1001';
    await submitStep(attached, orderId, 'order-for', { choice: 'customer' });
    const waiting = await waitForPendingStep(orderId, 'partner-org');
    const emailsBefore = await mailbox(attached);
    expect(emailsBefore.length).toBeGreaterThanOrEqual(1);

    first.kill('SIGKILL');
    await exited(first);
    attached.close();

    const second = await npmStart();
    attached = attachToRuntime(dir);
    await waitForPendingStep(orderId, 'partner-org', { notTokenHash: waiting.tokenHash });
    expect((await describeRun(attached, orderId)).status).toBe('RUNNING');
    expect(await mailbox(attached)).toHaveLength(emailsBefore.length);

    await submitStep(attached, orderId, 'partner-org', {
      action: 'map',
      orgId: 'org-partner-northwind',
      outcome: 'associated',
    });
    await submitStep(attached, orderId, 'customer-org', {
      action: 'map',
      orgId: 'org-customer-fabrikam',
      outcome: 'associated',
      adminEmail: 'it.admin@fabrikam.com',
    });
    await submitStep(attached, orderId, 'customer-review', { selfSetup: false });
    await submitStep(attached, orderId, 'service-meetings', meetingsSetup(orderId, 50));
    await submitStep(attached, orderId, 'service-calling', callingSetup());
    await waitForRunStatus(attached, orderId, 'SUCCEEDED');

    // `npm run ops -- list` / `show`, as the README has them, against the running runtime (the
    // test process's own TABLE_NAME would point the CLI at AWS: a person's shell has none).
    const localOnly = { TABLE_NAME: undefined, STATE_MACHINE_ARN: undefined };
    const list = run('infra/local/ops-cli.ts', ['list'], localOnly);
    const show = run('infra/local/ops-cli.ts', ['show', orderId], localOnly);
    expect(await exited(list)).toBe(0);
    expect(list.output()).toMatch(/ORD-DEMO-1001\s.*completed/);
    expect(await exited(show)).toBe(0);
    expect(show.output()).toContain('Order provisioned');

    second.kill('SIGINT');
    expect(await exited(second)).toBe(0);
    expect(second.output()).toContain('Stopped.');
    expect(existsSync(join(dir, 'runtime.json'))).toBe(false);
  }, 240_000);
});
