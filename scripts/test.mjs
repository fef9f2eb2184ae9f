#!/usr/bin/env node
// `npm test`: the typecheck and the lint run beside vitest instead of before it. Vitest's two
// workers leave a core idle whenever their tests wait (on a run, an email, a Webex job), and the
// checks fill those gaps: they run at a lower CPU priority (nice 10), so they take the idle CPU
// and not the tests'. Every check still runs on every `npm test`; the exit code is the first
// failure's (typecheck, lint, then vitest), and a check's output is printed when it fails.
//
//   npm test                      # typecheck, lint and every test
//   npm test -- test/unit/a.test.ts   # extra arguments go to `vitest run`
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = Date.now();
const seconds = (from) => ((Date.now() - from) / 1000).toFixed(1);

/** Runs a command; its output is kept (buffered) or shown as it comes (inherited). */
function run(name, command, args, { buffered, nice }) {
  const from = Date.now();
  const child = spawn(command, args, {
    cwd: root,
    stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    shell: process.platform === 'win32',
  });
  // Before npm has started the check's own process, so that one inherits the priority.
  if (nice && child.pid !== undefined) {
    try {
      setPriority(child.pid, nice);
    } catch {
      // Not allowed here: the check runs at normal priority, still correct.
    }
  }
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ name, code: 1, output: `${output}${error.message}\n`, from }));
    child.once('close', (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0), output, from }));
  }).then((result) => ({ ...result, took: seconds(from) }));
}

const vitest = run(
  'vitest',
  process.execPath,
  [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)],
  { buffered: false },
);
const checks = [
  run('typecheck', npm, ['run', '--silent', 'typecheck'], { buffered: true, nice: 10 }),
  run('lint', npm, ['run', '--silent', 'lint'], { buffered: true, nice: 10 }),
];

const results = [...(await Promise.all(checks)), await vitest];
for (const r of results.slice(0, 2)) {
  if (r.code === 0) console.log(`${r.name}: ok (${r.took} s, beside vitest)`);
  else console.error(`\n${r.name} FAILED (exit ${r.code}, ${r.took} s):\n${r.output.trimEnd()}\n`);
}
console.log(`npm test: ${seconds(started)} s in all`);
process.exitCode = results.find((r) => r.code !== 0)?.code ?? 0;
