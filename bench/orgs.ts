import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { dynamoOrgDirectory } from '../functions/shared/adapters/org-directory';
import { validateOrgFile, writeOrgFile } from '../functions/shared/adapters/org-import';
import { mb, ms, num, percentile } from './stats';

// `--orgs N`: before the orders, the private runtime's directory gets N generated organizations,
// imported the way `npm run orgs -- import` does (a file streamed twice: validate, then write in
// parallel batches). Printed: the import's rate and memory, and lookups by user and by domain at
// that size (each one Query).

const LOOKUPS = 200;

export interface DirectoryReport {
  lines: string[];
}

/** One generated organization per line: a customer or partner, one domain, two users. */
function generatedLine(i: number): string {
  return JSON.stringify({
    orgId: `gen-${i}`,
    kind: i % 5 === 0 ? 'partner' : 'customer',
    name: `Generated Org ${i}`,
    businessVertical: 'technology',
    country: 'US',
    domains: [{ domain: `gen${i}.example`, status: i % 3 === 0 ? 'claimed' : 'verified' }],
    users: [
      { email: `admin@gen${i}.example`, active: true, lastActivityAt: '2026-11-01T00:00:00Z' },
      { email: `user@gen${i}.example`, active: i % 2 === 0 },
    ],
  });
}

async function writeFile(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i += 1) {
    if (!out.write(`${generatedLine(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function seedDirectory(n: number): Promise<DirectoryReport> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-orgs-'));
  const file = join(dir, 'orgs.jsonl');
  try {
    await writeFile(file, n);
    const size = statSync(file).size;
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const checked = await validateOrgFile(file, size);
    const validated = performance.now();
    const written = await writeOrgFile(file, size);
    const finished = performance.now();
    clearInterval(sampler);
    if (checked.errorCount > 0) throw new Error(`generated directory refused: ${checked.errors[0]?.message}`);

    const byUser: number[] = [];
    const byDomain: number[] = [];
    for (let k = 0; k < LOOKUPS; k += 1) {
      const i = Math.floor(Math.random() * n);
      const kind = i % 5 === 0 ? 'partner' : 'customer';
      let t = performance.now();
      const users = await dynamoOrgDirectory.findOrgsByUserEmail(kind, `admin@gen${i}.example`);
      byUser.push(performance.now() - t);
      t = performance.now();
      const domains = await dynamoOrgDirectory.findOrgsByDomain(kind, `gen${i}.example`);
      byDomain.push(performance.now() - t);
      if (users[0]?.orgId !== `gen-${i}` || domains[0]?.orgId !== `gen-${i}`)
        throw new Error(`lookup of gen-${i} found ${users[0]?.orgId ?? 'nothing'}`);
    }
    const seconds = (finished - started) / 1000;
    return {
      lines: [
        `Org directory: ${num(n, 0)} generated orgs (${written.items} items, file ${mb(size)})`,
        `  Import (validate + write)   ${num(seconds, 1)} s, ${num(n / Math.max(seconds, 0.001), 0)} orgs/s ` +
          `(validate ${ms(validated - started)}, write ${ms(finished - validated)}); ` +
          `RSS ${mb(rssBefore)} → peak ${mb(peak)}`,
        `  Lookup by user email        p50 ${ms(percentile(byUser, 50))}, p95 ${ms(percentile(byUser, 95))} (${LOOKUPS}, one Query each)`,
        `  Lookup by domain            p50 ${ms(percentile(byDomain, 50))}, p95 ${ms(percentile(byDomain, 95))} (${LOOKUPS}, one Query each)`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
