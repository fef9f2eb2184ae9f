import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../functions/shared/config';
import { PORT_ENV, SERVICES } from '../../infra/local/ports';
import { formattedReference, REFERENCE_PATH } from '../../scripts/docs-reference';

// docs/reference.md is generated from the code (`npm run docs`). These tests fail when the
// committed page is stale, and when the code reads an environment variable or accepts a flag
// that the page does not name (or the page names one nothing reads any more).

const ROOT = join(import.meta.dirname, '../..');

function files(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...files(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

const isSource = (p: string) => /\.(ts|mts|mjs)$/.test(p);
/** Every file whose code may read the environment: product, runtime, CLIs, bench, test support. */
const SOURCES = [
  ...['functions', 'infra', 'scripts', 'bench', 'test'].flatMap((d) => files(d, isSource)),
  'vitest.config.mts',
].filter((p) => !p.startsWith(join('test', 'docs')) && p !== join('scripts', 'docs-reference.ts'));

/** Variables the code reads that are the platform's, not the project's. */
const PLATFORM = new Set(['PATH', 'HOME', 'USER', 'DEBIAN_FRONTEND']);

function envReadInCode(): Map<string, string> {
  const found = new Map<string, string>();
  for (const path of SOURCES) {
    const text = readFileSync(join(ROOT, path), 'utf8');
    for (const m of text.matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9_]{1,})\b/g))
      if (m[1] && !PLATFORM.has(m[1])) found.set(m[1], path);
  }
  // Read through a schema or a table rather than by name.
  for (const name of Object.keys(configSchema.shape)) found.set(name, 'functions/shared/config.ts');
  for (const name of Object.values(PORT_ENV)) found.set(name, 'infra/local/ports.ts');
  const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
  for (const m of ci.matchAll(/^export ([A-Z][A-Z0-9_]+)=/gm))
    if (m[1] && !PLATFORM.has(m[1])) found.set(m[1], '.ci/run');
  return found;
}

/** The command-line parsers and the flags each accepts, read from their source. */
const CLI_SOURCES = [
  'infra/local/start.ts',
  'infra/local/order-cli.ts',
  'infra/local/ops-cli.ts',
  'scripts/orgs.ts',
  'bench/args.ts',
];

function flagsInCode(): Map<string, string> {
  const found = new Map<string, string>();
  for (const path of CLI_SOURCES) {
    const text = readFileSync(join(ROOT, path), 'utf8');
    // A flag compared or looked up as a string literal: '--data-dir', case '-n':
    for (const m of text.matchAll(/['"`](--?[a-z][a-z0-9-]*)['"`]/g)) if (m[1]) found.set(m[1], path);
    // node:util parseArgs options: { status: { type: 'string' } }
    for (const m of text.matchAll(/(\w+): \{ type: '(?:string|boolean)'/g))
      if (m[1]) found.set(`--${m[1]}`, path);
    // --port-${s} for every service
    if (text.includes('`--port-${s}`')) for (const s of SERVICES) found.set(`--port-${s}`, path);
  }
  return found;
}

const reference = readFileSync(REFERENCE_PATH, 'utf8');

/** The backticked cells of the page's tables, by column header (`variable`, `flag`, `short`, …). */
function columns(markdown: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let header: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const row = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    if (!header) header = row;
    else if (!row.every((c) => /^-+$/.test(c)))
      row.forEach((cell, i) => {
        const name = header?.[i] ?? '';
        const token = /^`([^`]+)`$/.exec(cell)?.[1];
        if (token) out.set(name, [...(out.get(name) ?? []), token]);
      });
  }
  return out;
}
const byColumn = columns(reference);
const namedVariables = new Set(byColumn.get('variable') ?? []);
const namedFlags = new Set([...(byColumn.get('flag') ?? []), ...(byColumn.get('short') ?? [])]);

describe('docs/reference.md', () => {
  it('is what `npm run docs` writes from the code today', async () => {
    expect(reference, 'docs/reference.md is stale: run `npm run docs` and commit it').toBe(
      await formattedReference(),
    );
  });

  it('names every environment variable the code reads', () => {
    const missing = [...envReadInCode()]
      .filter(([name]) => !namedVariables.has(name))
      .map(([name, path]) => `${name} (read in ${relative('.', path)})`);
    expect(missing, 'add them to scripts/docs-reference.ts, then npm run docs').toEqual([]);
  });

  it('names no variable the code no longer reads', () => {
    const read = envReadInCode();
    expect([...namedVariables].filter((name) => !read.has(name))).toEqual([]);
  });

  it('names every flag of npm start, order, ops, orgs and bench', () => {
    const missing = [...flagsInCode()]
      .filter(([flag]) => !namedFlags.has(flag))
      .map(([flag, path]) => `${flag} (${path})`);
    expect(missing, 'add them to scripts/docs-reference.ts, then npm run docs').toEqual([]);
  });

  it('names no flag that no parser accepts', () => {
    const accepted = flagsInCode();
    expect([...namedFlags].filter((flag) => !accepted.has(flag))).toEqual([]);
  });

  it('is linked from the README', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('](docs/reference.md)');
  });
});
