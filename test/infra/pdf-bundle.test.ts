import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/create-app';
import {
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  ESM_BANNER,
} from '../../infra/constructs/workflow-function.construct';
import { PDF_BUNDLE_FILES, PDF_PACKAGE_JSON } from '../../infra/workflow.stack';

// The infra tests skip bundling; this one builds the PDF renderer the way the function
// construct does (ESM, banner, the copied fonts and package.json) and renders a summary with
// it in a separate Node process, with nothing but the bundle directory to read from.
describe('the PDF renderer’s Lambda bundle', () => {
  it('renders an order summary with the bundled DejaVu fonts', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'pdf-bundle-'));
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
    await build({
      entryPoints: [entry],
      outfile: join(bundleDir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: BUNDLE_TARGET,
      mainFields: [...BUNDLE_MAIN_FIELDS],
      banner: { js: ESM_BANNER },
      logLevel: 'silent',
    });
    for (const file of PDF_BUNDLE_FILES) {
      mkdirSync(dirname(join(bundleDir, file.target)), { recursive: true });
      cpSync(join(PROJECT_ROOT, file.source), join(bundleDir, file.target), { recursive: true });
    }
    writeFileSync(join(bundleDir, 'package.json'), JSON.stringify(PDF_PACKAGE_JSON));

    const output = execFileSync(process.execPath, [join(bundleDir, 'index.mjs')], {
      cwd: bundleDir,
      env: { PATH: process.env.PATH, FONT_DIR: join(bundleDir, 'fonts'), AWS_REGION: 'eu-west-1' },
      encoding: 'latin1',
    });
    expect(output).toMatch(/^%PDF-1\.\d \d{4,}/);
    expect(readFileSync(join(bundleDir, 'fonts', 'DejaVuSans.ttf')).length).toBeGreaterThan(100_000);
  });
});
