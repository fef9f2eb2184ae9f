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

describe('npm run bench', () => {
  it('drives orders through the setup pages and prints throughput, latency, counts and cost', async () => {
    const { code, output } = await runBench(['--orders', '2', '--concurrency', '2']);

    expect(code, output).toBe(0);
    expect(output).toContain('Results (2 of 2 orders succeeded)');
    expect(output).toMatch(/Orders per second, end to end\s+\d/);
    expect(output).toMatch(/Submit → next step rendered\s+p50 \d+ ms, p95 \d+ ms/);
    expect(output).toContain('AWS cost per 1,000 orders');
    expect(output).toMatch(/Total\s+\$\d/);
  }, 180_000);
});
