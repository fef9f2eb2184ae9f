import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '../../infra/bundling';
import { FONT_FILES, summaryFonts } from '../../functions/shared/documents/fonts';
import { renderOrderSummary } from '../../functions/shared/documents/order-summary';
import { summaryInput } from './summary-fixtures';

// The render step as Lambda runs it: bundled by esbuild with the settings of the Lambda bundles
// (infra/bundling.ts: ESM, minified, everything bundled, a banner that gives CommonJS packages
// `require` and `__filename`, no WOFF2 decoder), run by a separate
// node process from a directory outside the repository (no node_modules) with only the fonts
// next to it and FONT_DIR pointing at them. It must render the very bytes the source renders.

const ROOT = resolve(__dirname, '../..');
const OPTIONS: BuildOptions = { ...lambdaBuildOptions(), logLevel: 'silent' };

describe('render-summary Lambda bundle', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'render-bundle-'));
    mkdirSync(join(dir, 'fonts'));
    const fonts = summaryFonts();
    copyFileSync(fonts.regular, join(dir, 'fonts', FONT_FILES.regular));
    copyFileSync(fonts.bold, join(dir, 'fonts', FONT_FILES.bold));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the handler bundles and loads', async () => {
    await build({
      ...OPTIONS,
      entryPoints: [join(ROOT, 'functions/render-summary/handler.ts')],
      outfile: join(dir, 'handler/index.mjs'),
    });
    const size = statSync(join(dir, 'handler/index.mjs')).size;
    const res = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('./handler/index.mjs'); process.stdout.write(typeof m.handler)",
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, FONT_DIR: join(dir, 'fonts') } },
    );
    expect(res.stderr).not.toMatch(/Error/);
    expect(res.stdout).toBe('function');
    expect(size).toBeGreaterThan(100_000);
  });

  it('the bundled renderer draws the same PDF from FONT_DIR alone', async () => {
    const entry = join(dir, 'render-entry.ts');
    writeFileSync(
      entry,
      [
        `import { writeFileSync } from 'node:fs';`,
        `import { renderOrderSummary } from ${JSON.stringify(join(ROOT, 'functions/shared/documents/order-summary'))};`,
        `import { summaryInput } from ${JSON.stringify(join(ROOT, 'test/documents/summary-fixtures'))};`,
        `renderOrderSummary(summaryInput(20, 'ro')).then((pdf) => writeFileSync(process.argv[2] as string, pdf));`,
      ].join('\n'),
    );
    await build({ ...OPTIONS, entryPoints: [entry], outfile: join(dir, 'render/index.mjs') });

    const out = join(dir, 'bundled.pdf');
    const res = spawnSync(process.execPath, [join(dir, 'render/index.mjs'), out], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FONT_DIR: join(dir, 'fonts') },
    });
    expect(res.stderr).not.toMatch(/Error/);
    expect(res.status).toBe(0);
    expect(readFileSync(out).equals(await renderOrderSummary(summaryInput(20, 'ro')))).toBe(true);
  });
});
