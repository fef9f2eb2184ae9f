import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEventSchema } from '../../functions/shared/domain/order.schema';
import { DEFAULT_PORTS, SERVICES, type Service } from '../../infra/local/ports';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { waitFor } from '../helpers/wait';
import { codeBlocks, ROOT, type CodeBlock } from './markdown';
import { BASH_SPECIAL, shellVariables } from './shell';

// Every command block of the README, the runbook, the deploy guide and the demo page either runs
// here or says why not, with a marker on the line before it:
//   <!-- docs-test: local -->            runs, with bash, against one embedded runtime started
//                                         for this file (the docs' default ports are rewritten to
//                                         its free ports; DATA_DIR points the CLIs at it);
//   <!-- docs-test: aws-only -->         needs an AWS account: parsed with `bash -n`, and every
//                                         variable it expands is set in it (or in the file's
//                                         `aws-only setup` block, which the runbook asks to paste
//                                         first);
//   <!-- docs-test: not-run (why) -->    starts something that serves until Ctrl-C, or is CI's
//                                         own job: parsed, and its npm scripts and npx tools exist.
// The local blocks run in the order of DOCS, on one runtime, as a reader follows the pages: the
// README's `npm run order` places ORD-DEMO-1001, which the runbook's `npm run ops -- show` reads.
// JSON blocks may be `file <name>` (written next to the local blocks, e.g. entries.json) or
// `order-event` (must pass the order event schema). Blocks of other languages are prose.

const DOCS = ['README.md', 'docs/runbook.md', 'docs/deploy.md', 'docs/demo.md'];
const SHELL = new Set(['sh', 'bash', 'shell']);
/** Set by the shell or the login, not by a snippet. */
const ENVIRONMENT = new Set(['USER', 'HOME', 'PATH', 'PWD']);

const execFileAsync = promisify(execFile);
const blocks = DOCS.flatMap((file) => codeBlocks(file));
const where = (b: CodeBlock) => `${b.file}:${b.line}`;
const shellBlocks = blocks.filter((b) => SHELL.has(b.lang));
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

function bashParses(script: string): string {
  const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return result.status === 0 ? '' : result.stderr;
}

function setupOf(file: string): string {
  return codeBlocks(file)
    .filter((b) => b.marker === 'aws-only setup')
    .map((b) => b.body)
    .join('\n');
}

describe('command blocks in the docs', () => {
  it('are all labelled with their language, and each shell block says whether it runs', () => {
    const unlabelled = blocks.filter((b) => b.lang === '').map(where);
    expect(unlabelled, 'label each fence: ```sh, ```json, ```text …').toEqual([]);
    const unmarked = shellBlocks
      .filter((b) => !/^(local|aws-only|aws-only setup|not-run \(.+\))$/.test(b.marker ?? ''))
      .map((b) => `${where(b)}: ${b.marker ?? 'no marker'}`);
    expect(unmarked).toEqual([]);
    expect(shellBlocks.filter((b) => b.marker === 'local').length).toBeGreaterThan(0);
  });

  it('all parse with bash -n', () => {
    const broken = shellBlocks
      .map((b) => [
        where(b),
        bashParses(b.marker?.startsWith('aws-only') ? `${setupOf(b.file)}\n${b.body}` : b.body),
      ])
      .filter(([, error]) => error);
    expect(broken).toEqual([]);
  });

  it('assign no bash special variable (GROUPS=… does nothing)', () => {
    const bad = shellBlocks.flatMap((b) =>
      [...shellVariables(b.body).assigned].filter((v) => BASH_SPECIAL.has(v)).map((v) => `${where(b)}: ${v}`),
    );
    expect(bad).toEqual([]);
  });

  it('aws-only: every variable a snippet expands is set in it or in its file’s setup block', () => {
    const unset = shellBlocks
      .filter((b) => b.marker === 'aws-only' || b.marker === 'aws-only setup')
      .flatMap((b) => {
        const setup = shellVariables(setupOf(b.file));
        const own = shellVariables(b.body);
        return [...own.used]
          .filter((v) => !own.assigned.has(v) && !setup.assigned.has(v) && !ENVIRONMENT.has(v))
          .map((v) => `${where(b)}: $${v}`);
      });
    expect(unset).toEqual([]);
  });

  it('not-run: the npm scripts and npx tools they name exist', () => {
    const missing = shellBlocks
      .filter((b) => b.marker?.startsWith('not-run'))
      .flatMap((b) => [
        ...[...b.body.matchAll(/\bnpm (?:run )?([a-z][\w:-]*)/g)]
          .map((m) => m[1] ?? '')
          .filter((s) => !['ci', 'install', 'run'].includes(s) && !(s in scripts))
          .map((s) => `${where(b)}: npm script ${s}`),
        ...[...b.body.matchAll(/\bnpx ([a-z][\w-]*)/g)]
          .map((m) => m[1] ?? '')
          .filter((tool) => spawnSync('test', ['-x', join(ROOT, 'node_modules/.bin', tool)]).status !== 0)
          .map((tool) => `${where(b)}: npx ${tool}`),
      ]);
    expect(missing).toEqual([]);
  });

  it('JSON examples parse, and an order event passes the schema', () => {
    for (const b of blocks.filter((x) => x.lang === 'json')) {
      const value: unknown = JSON.parse(b.body);
      if (b.marker === 'order-event') {
        const parsed = orderEventSchema.safeParse(value);
        expect(parsed.success, `${where(b)}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
  });
});

describe('local command blocks, run against an embedded runtime', () => {
  let rt: TestRuntime;
  let scratch: string;
  let awsCli = false;

  beforeAll(async () => {
    rt = await startTestRuntime();
    scratch = mkdtempSync(join(tmpdir(), 'docs-blocks-'));
    symlinkSync(join(ROOT, 'examples'), join(scratch, 'examples'));
    for (const b of blocks) {
      const name = /^file (\S+)$/.exec(b.marker ?? '')?.[1];
      if (name) writeFileSync(join(scratch, name), b.body);
    }
    awsCli = await execFileAsync('aws', ['--version']).then(
      () => true,
      () => false,
    );
  });

  afterAll(async () => {
    await rt?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** The docs write the default ports; this runtime listens on free ones. */
  function onThisRuntime(script: string): string {
    const url: Record<Service, string> = {
      web: rt.urls.web,
      dynamodb: rt.urls.dynamodb,
      s3: rt.urls.s3,
      ses: rt.urls.ses,
      sfn: rt.urls.sfn,
      webex: rt.urls.webex,
      events: rt.urls.events,
    };
    return SERVICES.reduce(
      (text, s) => text.replaceAll(`http://127.0.0.1:${DEFAULT_PORTS[s]}`, url[s].replace(/\/$/, '')),
      script,
    );
  }

  async function run(script: string): Promise<{ code: number; output: string }> {
    // npm runs from the repository, as in a clone; files the docs define (entries.json) sit in
    // the scratch directory the snippet runs in.
    const prelude = `set -euo pipefail\nnpm() { (cd "${ROOT}" && command npm "$@"); }\n`;
    try {
      const { stdout, stderr } = await execFileAsync('bash', ['-c', prelude + script], {
        cwd: scratch,
        // Only what a fresh terminal has, plus where the runtime is: no AWS credentials, no TABLE_NAME.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? scratch,
          DATA_DIR: rt.dataDir,
          npm_config_update_notifier: 'false',
        },
        timeout: 240_000 * (Number(process.env.TEST_TIME_SCALE) || 1),
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }

  it('the mailbox has the button the README tells a newcomer to click to see an email as sent', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const button = /\*\*(Toggle [^*]+)\*\* shows\s+the email as it is sent/.exec(readme)?.[1];
    expect(button, 'the README names the button').toBeDefined();
    const page = await (await fetch(rt.urls.mailbox)).text();
    expect(page).toContain(`>${button ?? ''}</button>`);
  });

  for (const block of shellBlocks.filter((b) => b.marker === 'local'))
    it(`${where(block)} runs: ${block.body.split('\n')[0] ?? ''}`, async (ctx) => {
      if (/\baws /.test(block.body) && !awsCli) {
        // CI installs the AWS CLI (.ci/run): there a missing one is a failure, not a skip.
        expect(process.env.CI, 'the AWS CLI is missing in CI').toBeFalsy();
        ctx.skip();
      }
      const { code, output } = await run(onThisRuntime(block.body));
      expect(code, `${where(block)} exited ${code}:\n${output}`).toBe(0);
      // The AWS CLI exits 0 when EventBridge refused an entry: the answer says so.
      for (const m of output.matchAll(/"FailedEntryCount":\s*(\d+)/g))
        expect(Number(m[1]), `${where(block)}: EventBridge refused an entry:\n${output}`).toBe(0);
    });

  it('every order a local block placed has its run (the rule delivered it)', async (ctx) => {
    const local = shellBlocks.filter((b) => b.marker === 'local');
    const placed = [
      // npm run order -- <file>
      ...local.flatMap((b) =>
        [...b.body.matchAll(/npm run order -- (\S+\.json)/g)].map(
          (m) =>
            (JSON.parse(readFileSync(join(ROOT, m[1] ?? ''), 'utf8')) as { detail: { orderId: string } })
              .detail.orderId,
        ),
      ),
      // aws events put-events --entries file://<a file block>
      ...(awsCli
        ? local.flatMap((b) =>
            [...b.body.matchAll(/--entries file:\/\/(\S+)/g)].flatMap((m) => {
              const file = blocks.find((x) => x.marker === `file ${m[1] ?? ''}`);
              const entries = JSON.parse(file?.body ?? '[]') as { Detail: string }[];
              return entries.map((e) => (JSON.parse(e.Detail) as { orderId: string }).orderId);
            }),
          )
        : []),
    ];
    if (placed.length === 0) ctx.skip();
    for (const orderId of placed)
      await waitFor(`the run of ${orderId}`, async () => {
        const { status } = await rt.sfnClient.send(
          new DescribeExecutionCommand({
            executionArn: `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`,
          }),
        );
        return status;
      });
    if (awsCli) expect(placed).toContain('ORD-CLI-0001');
  });
});
