import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import addressFormatter from '@fragaria/address-formatter';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '../../infra/bundling';
import { addressLines } from '../../functions/shared/documents/address';
import { CALLING_COUNTRIES, COUNTRY_RULES } from '../../functions/shared/domain/calling.schema';
import type { Language } from '../../functions/shared/domain/order.schema';

// The Lambda bundles carry the address templates of the countries a Calling location can have
// only (infra/bundling.ts, addressTemplatesPlugin). A bundle must format each of those countries'
// addresses exactly as the whole package does, here in the test process.

const ROOT = resolve(__dirname, '../..');

const STATES: Record<string, string> = {
  US: 'California',
  CA: 'Ontario',
  AU: 'New South Wales',
  IN: 'Maharashtra',
  BR: 'São Paulo',
  MX: 'Jalisco',
  RO: 'Iași',
  IE: 'County Cork',
};

/** One address per country and language, plus the states the templates treat specially. */
function samples() {
  const out: { location: Parameters<typeof addressLines>[0]; language: Language }[] = [];
  for (const country of CALLING_COUNTRIES)
    for (const language of ['en', 'ro'] as const)
      out.push({
        language,
        location: {
          country,
          street: 'Main Street 12',
          city: 'Springfield',
          postalCode: COUNTRY_RULES[country]?.postalCode ? '10118' : undefined,
          state: STATES[country],
        },
      });
  for (const state of ['Curaçao', 'Sint Maarten', 'Aruba', 'Noord-Holland'])
    out.push({
      language: 'en',
      location: { country: 'NL', street: 'Kade 1', city: 'Stad', postalCode: '1011 AB', state },
    });
  out.push({
    language: 'en',
    location: {
      country: 'US',
      street: '1600 Pennsylvania Ave',
      city: 'Washington',
      postalCode: '20500',
      state: 'Washington, D.C.',
    },
  });
  return out;
}

/** The package called directly, with the options addressLines does not use. */
function directInputs() {
  return CALLING_COUNTRIES.map((countryCode) => ({
    input: {
      road: 'North Street',
      houseNumber: '5',
      city: 'Town',
      county: 'Cork',
      state: STATES[countryCode],
      countryCode,
    },
    options: { abbreviate: true, appendCountry: true, output: 'string' as const },
  }));
}

const scratch = mkdtempSync(join(tmpdir(), 'address-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('address templates in a Lambda bundle', () => {
  it('format every supported country’s address as the whole package does', async () => {
    const entry = join(scratch, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import addressFormatter from '@fragaria/address-formatter';`,
        `import { addressLines } from ${JSON.stringify(join(ROOT, 'functions/shared/documents/address'))};`,
        `const samples = ${JSON.stringify(samples())};`,
        `const direct = ${JSON.stringify(directInputs())};`,
        'process.stdout.write(JSON.stringify({',
        '  lines: samples.map((s) => addressLines(s.location, s.language)),',
        '  direct: direct.map((d) => addressFormatter.format(d.input, d.options)),',
        '}));',
      ].join('\n'),
    );
    const result = await build({
      ...lambdaBuildOptions(),
      absWorkingDir: ROOT,
      entryPoints: [entry],
      outfile: join(scratch, 'task', 'index.mjs'),
      metafile: true,
      logLevel: 'silent',
    });
    // The trimmed templates, not the package's dist/ with every country inlined.
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('address-formatter/src/templates/templates.json'))).toBe(true);
    expect(inputs.some((i) => i.includes('address-formatter/dist/'))).toBe(false);

    const res = spawnSync(process.execPath, [join(scratch, 'task', 'index.mjs')], {
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({
      lines: samples().map((s) => addressLines(s.location, s.language)),
      direct: directInputs().map((d) => addressFormatter.format(d.input, d.options)),
    });
  });
});
