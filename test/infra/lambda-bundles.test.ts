import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../functions/registry';
import { PROJECT_ROOT } from '../../infra/create-app';
import {
  BUNDLE_FORMAT,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  ESM_BANNER,
} from '../../infra/constructs/workflow-function.construct';
import { PDF_BUNDLE_FILES, PDF_PACKAGE_JSON } from '../../infra/workflow.stack';

// The other infra tests skip bundling. These build bundles the way the function construct does
// (ESM, the banner, externals none) and run them in a separate Node process with nothing but
// the bundle directory to read from, the way Lambda loads them from /var/task.

const esbuildOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  // The construct's format ('esm'), so a change there is tested here.
  format: BUNDLE_FORMAT === OutputFormat.ESM ? 'esm' : 'cjs',
  target: BUNDLE_TARGET,
  mainFields: [...BUNDLE_MAIN_FIELDS],
  banner: { js: ESM_BANNER },
  logLevel: 'silent',
};

const configEnv = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-1',
  TABLE_NAME: 'table',
  BUCKET_NAME: 'bucket',
  SENDER_EMAIL: 'provisioning@example.com',
  OPS_EMAIL: 'ops@example.com',
  PUBLIC_BASE_URL: 'https://setup.example.com',
  LINK_TTL_SECONDS: '1209600',
  SUMMARY_URL_TTL_SECONDS: '900',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

const scratch: string[] = [];
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('every function’s bundle loads and exports its handler', async () => {
    const outdir = scratchDir('lambda-bundles-');
    await build({
      ...esbuildOptions,
      entryPoints: Object.fromEntries(
        ALL_FUNCTIONS.map((spec) => [`${spec.id}/index`, join(PROJECT_ROOT, spec.entry)]),
      ),
      outdir,
      outExtension: { '.js': '.mjs' },
    });
    const script = [
      'const ids = JSON.parse(process.argv[1]);',
      'const result = {};',
      'for (const id of ids) {',
      `  try { const m = await import(${JSON.stringify(outdir)} + '/' + id + '/index.mjs'); result[id] = typeof m.handler; }`,
      '  catch (error) { result[id] = String(error); }',
      '}',
      'process.stdout.write(JSON.stringify(result));',
    ].join('\n');
    const ids = ALL_FUNCTIONS.map((spec) => spec.id);
    const output = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, JSON.stringify(ids)],
      {
        cwd: outdir,
        env: configEnv,
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(output)).toEqual(Object.fromEntries(ids.map((id) => [id, 'function'])));
  });

  it('the PDF renderer’s bundle renders an order summary with the bundled DejaVu fonts', async () => {
    const outdir = scratchDir('pdf-bundle-');
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import { renderOrderSummary } from '${join(PROJECT_ROOT, 'functions/shared/documents/order-summary')}';`,
        `import { summaryInput } from '${join(PROJECT_ROOT, 'test/documents/summary-fixtures')}';`,
        'const pdf = await renderOrderSummary(summaryInput(2));',
        "process.stdout.write(pdf.subarray(0, 8).toString('latin1') + ' ' + pdf.length);",
      ].join('\n'),
    );
    const bundleDir = join(outdir, 'task');
    await build({ ...esbuildOptions, entryPoints: [entry], outfile: join(bundleDir, 'index.mjs') });
    for (const file of PDF_BUNDLE_FILES) {
      mkdirSync(dirname(join(bundleDir, file.target)), { recursive: true });
      cpSync(join(PROJECT_ROOT, file.source), join(bundleDir, file.target), { recursive: true });
    }
    writeFileSync(join(bundleDir, 'package.json'), JSON.stringify(PDF_PACKAGE_JSON));

    const output = execFileSync(process.execPath, [join(bundleDir, 'index.mjs')], {
      cwd: bundleDir,
      env: { ...configEnv, FONT_DIR: join(bundleDir, 'fonts') },
      encoding: 'latin1',
    });
    expect(output).toMatch(/^%PDF-1\.\d \d{4,}/);
    expect(readFileSync(join(bundleDir, 'fonts', 'DejaVuSans.ttf')).length).toBeGreaterThan(100_000);
  });
});
