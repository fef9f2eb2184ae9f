import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importOrganizations,
  parseOrgLines,
  validateOrgFile,
  writeOrgFile,
} from '../../../functions/shared/adapters/org-import';
import { dynamoOrgDirectory, findOrganization } from '../../../functions/shared/adapters/org-directory';
import { importLine } from '../../fixtures/organizations';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { allItems } from '../support/table-items';

const jsonl = (...lines: unknown[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

describe('parseOrgLines', () => {
  it('parses good lines, skipping blank lines and // comments', () => {
    const text = jsonl(
      '// customers exported 2026-11-25',
      importLine(),
      '',
      importLine({ orgId: 'org-partner', kind: 'partner', name: 'Partner Co' }),
    );

    const { lines, errors } = parseOrgLines(text);

    expect(errors).toEqual([]);
    expect(lines.map((l) => l.orgId)).toEqual(['org-acme', 'org-partner']);
  });

  it('reports bad JSON with its line number and returns nothing for it', () => {
    const text = jsonl(importLine(), '{"orgId": "broken",');

    const { lines, errors } = parseOrgLines(text);

    expect(lines.map((l) => l.orgId)).toEqual(['org-acme']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^not valid JSON/) });
  });

  it('reports a bad field with its line number and the field path', () => {
    const text = jsonl(
      importLine(),
      importLine({ orgId: 'org-2', domains: [{ domain: 'not a domain', status: 'verified' }] }),
      importLine({ orgId: 'org-3', users: [{ email: 'nope', active: true }] }),
    );

    const { errors } = parseOrgLines(text);

    expect(errors).toEqual([
      { line: 2, message: 'domains.0.domain: must be a domain name such as example.com' },
      { line: 3, message: 'users.0.email: must be a valid email address' },
    ]);
  });

  it('reports an orgId that appears twice, pointing at the first line', () => {
    const text = jsonl(importLine(), importLine({ name: 'Another Acme' }));

    const { lines, errors } = parseOrgLines(text);

    expect(lines).toHaveLength(1);
    expect(errors).toEqual([{ line: 2, message: 'orgId org-acme already appears on line 1' }]);
  });

  it('reports a user or domain listed twice in one organization (DynamoDB refuses duplicate keys in a batch)', () => {
    const text = jsonl(
      importLine({
        users: [
          { email: 'admin@acme.example', active: true },
          { email: 'Admin@ACME.example', active: false },
        ],
      }),
      importLine({
        orgId: 'org-2',
        domains: [
          { domain: 'acme.example', status: 'verified' },
          { domain: 'ACME.example', status: 'claimed' },
        ],
      }),
    );

    const { lines, errors } = parseOrgLines(text);

    expect(lines).toEqual([]);
    expect(errors).toEqual([
      { line: 1, message: 'users.1.email: admin@acme.example already appears in this organization' },
      { line: 2, message: 'domains.1.domain: acme.example already appears in this organization' },
    ]);
  });

  it('counts lines across Windows line endings', () => {
    const { errors } = parseOrgLines(`${JSON.stringify(importLine())}\r\nnot json\r\n`);

    expect(errors.map((e) => e.line)).toEqual([2]);
  });
});

describe('importing organizations', () => {
  let table: LocalTable;
  let dir: string;

  beforeAll(async () => {
    table = await startLocalTable();
    dir = mkdtempSync(join(tmpdir(), 'orgs-import-'));
  });

  afterAll(async () => {
    await table.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores each org with its domains and users, findable by user email and by domain', async () => {
    const { lines } = parseOrgLines(jsonl(importLine()));

    const written = await importOrganizations(lines, '2026-11-25T12:00:00.000Z');

    expect(written).toBe(4); // org + 1 domain + 2 users
    expect(await findOrganization('org-acme')).toMatchObject({
      activeUsers: 1,
      lastActivityAt: '2026-11-20T10:00:00Z',
      createdAt: '2026-11-25T12:00:00.000Z',
    });
    const byUser = await dynamoOrgDirectory.findOrgsByUserEmail('customer', 'old@acme.example');
    const byDomain = await dynamoOrgDirectory.findOrgsByDomain('customer', 'acme.example');
    expect(byUser.map((o) => o.orgId)).toEqual(['org-acme']);
    expect(byDomain.map((o) => o.orgId)).toEqual(['org-acme']);
  });

  function runCli(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/orgs.ts', 'import', file], {
        env: { ...process.env, DYNAMODB_ENDPOINT: table.endpoint, TABLE_NAME: table.tableName },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('streams a file in two passes and writes it in parallel batches, reporting progress', async () => {
    const file = join(dir, 'many.jsonl');
    const many = Array.from({ length: 1_200 }, (_, i) =>
      importLine({
        orgId: `many-${i}`,
        name: `Many ${i}`,
        domains: [{ domain: `many${i}.example`, status: 'verified' }],
        users: [{ email: `admin@many${i}.example`, active: true }],
      }),
    );
    writeFileSync(file, jsonl('// generated', ...many));
    const size = statSync(file).size;
    const seen: string[] = [];

    const checked = await validateOrgFile(file, size, (p) => seen.push(p.phase));
    const written = await writeOrgFile(file, size, { concurrency: 4, onProgress: (p) => seen.push(p.phase) });

    expect(checked).toEqual({ orgs: 1_200, errors: [], errorCount: 0 });
    expect(written).toEqual({ orgs: 1_200, items: 3_600 });
    expect(seen).toContain('validate');
    expect(seen.at(-1)).toBe('write');
    expect((await findOrganization('many-1199'))?.name).toBe('Many 1199');
    const found = await dynamoOrgDirectory.findOrgsByUserEmail('customer', 'admin@many600.example');
    expect(found.map((o) => o.orgId)).toEqual(['many-600']);
  });

  it('lists at most the first errors of a bad file and counts the rest', async () => {
    const file = join(dir, 'bad-many.jsonl');
    writeFileSync(file, Array.from({ length: 150 }, () => '{not json').join('\n'));

    const checked = await validateOrgFile(file, statSync(file).size, undefined, 100);

    expect(checked.errors).toHaveLength(100);
    expect(checked.errorCount).toBe(150);
    expect(checked.orgs).toBe(0);
  });

  it('the CLI writes nothing when any line is bad, and says which line', async () => {
    // Prepare: 30 good organizations (more than one batch) and one bad line at the end.
    const good = Array.from({ length: 30 }, (_, i) => importLine({ orgId: `cli-org-${i}`, users: [] }));
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, jsonl(...good, importLine({ orgId: 'cli-bad', country: 'Romania' })));
    const before = (await allItems()).length;

    // Act
    const { code, stderr } = await runCli(file);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:31: country: must be an ISO 3166-1 alpha-2 country code`);
    expect(stderr).toContain('Nothing was imported');
    expect((await allItems()).length).toBe(before);
  });

  it('the CLI imports a good file', async () => {
    const file = join(dir, 'good.jsonl');
    writeFileSync(file, jsonl(importLine({ orgId: 'cli-good', kind: 'partner', name: 'Good Partner' })));

    const { code, stdout } = await runCli(file);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Imported 1 organization\(s\) \(4 items\) in [\d.]+ s \(\d+ orgs\/s\)\.$/m);
    expect(await findOrganization('cli-good')).toMatchObject({ kind: 'partner', name: 'Good Partner' });
  });
});
