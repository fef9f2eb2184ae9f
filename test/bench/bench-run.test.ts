import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/runtime';

// `npm run bench` as the README has it, on two orders: it must drive them through the setup
// pages to the end and print every figure it promises. No timing is asserted.

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bench.ts', ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TABLE_NAME: undefined,
        STATE_MACHINE_ARN: undefined,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

// The two runs are separate processes on their own runtimes: they run side by side.
describe('npm run bench', { concurrent: true }, () => {
  it('drives orders through the setup pages and prints throughput, latency, counts and cost', async () => {
    const { code, output } = await runBench(['--orders', '2', '--concurrency', '2']);

    expect(code, output).toBe(0);
    expect(output).toContain('Results (2 of 2 orders succeeded)');
    expect(output).toMatch(/Orders per second, end to end\s+\d/);
    expect(output).toMatch(/Submit → next step rendered\s+p50 \d+ ms, p95 \d+ ms/);
    expect(output).toContain('AWS cost per 1,000 orders');
    expect(output).toMatch(/Total\s+\$\d/);
    expect(output).not.toContain('Faults (');
    // Every DynamoDB request the handlers sent, under the adapter operation that sent it: the
    // lines add up to the requests by DynamoDB operation (one decimal each, hence the tolerance).
    const byOperation = /DynamoDB by operation: (.*)$/m.exec(output)?.[1] ?? '';
    const total = [...byOperation.matchAll(/\w+ ([\d.]+)/g)].reduce((acc, m) => acc + Number(m[1]), 0);
    expect(total, output).toBeGreaterThan(0);
    // The client-side counter misses none: the runtime's DynamoDB answered as many (no faults).
    const atServer = Number(/DynamoDB at its server\s+([\d.]+) requests/.exec(output)?.[1]);
    expect(Math.abs(atServer - total), output).toBeLessThanOrEqual(0.3);
    const block = output.split('DynamoDB requests per order by adapter operation:\n')[1] ?? '';
    const lines = [...block.matchAll(/^ {4}(\S+) (\w+)\s+([\d.]+)$/gm)];
    expect(lines.length, output).toBeGreaterThan(3);
    // Every setup page reads its link, order and steps in one Query.
    expect(lines.map((m) => m[1])).toContain('link-store.findLinkWithOrder');
    expect(
      lines.every((m) => m[1] !== 'other'),
      output,
    ).toBe(true);
    const sum = lines.reduce((acc, m) => acc + Number(m[3]), 0);
    expect(Math.abs(sum - total), output).toBeLessThanOrEqual(0.05 * lines.length);
    // Webex calls, by route, at the local Webex's own count.
    expect(output).toMatch(/Webex calls\s+[1-9]/);
    expect(output).toMatch(/Webex calls by route: (GET|POST|PUT) \/v1\/\S+ \d/);
  }, 180_000);

  it('with --faults, prints the completion rate, the faults injected by service and the retries per order', async () => {
    const { code, output } = await runBench([
      '--orders',
      '2',
      '--concurrency',
      '2',
      '--faults',
      'dynamodb=0.1,ses=0.05,s3=0.05,webex=0.1',
    ]);

    // Whether every order completes is the integration suite's to assert (faults-full-path); here
    // the lines are printed either way.
    expect(output).toContain('faults dynamodb 10%, ses 5%, s3 5%, webex 10%');
    expect(output).toContain('Faults (dynamodb 10%, ses 5%, s3 5%, webex 10%)');
    expect(output).toMatch(/Orders completed \/ started\s+[0-2] \/ 2 \(\d+(\.\d)?% completion\)/);
    expect(output).toMatch(/Faults injected\s+dynamodb [1-9]\d*, s3 \d+, ses \d+, webex \d+ \(\d+ in all\)/);
    expect(output).toMatch(/Retries per order \(faults ÷ orders\)\s+\d+\.\d \(/);
    const allCompleted = /Orders completed \/ started\s+2 \/ 2 /.test(output);
    expect(code, output).toBe(allCompleted ? 0 : 1);
  }, 240_000);
});
