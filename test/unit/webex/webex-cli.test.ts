import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../infra/local/webex/webex-cli';
import { startTestWebex, type TestWebex } from '../support/local-webex';

// `npm run webex -- check`: read-only calls against whatever base URL it is given, here the local
// Webex (CI runs this), saying plainly what works.

let webex: TestWebex;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'webex-cli-'));
  webex = await startTestWebex({ dataDir });
});
afterAll(async () => {
  await webex.stop();
});

describe('npm run webex -- check', () => {
  it('against the local Webex with its state file: the token, the org and a page of locations work', async () => {
    const lines: string[] = [];
    const before = { ...webex.stats.calls };

    const code = await main(
      ['check', '--base-url', webex.apiUrl, '--credentials', join(dataDir, 'state.json')],
      (l) => lines.push(l),
    );

    expect(code).toBe(0);
    expect(lines).toEqual([
      `Webex at ${webex.apiUrl} (read-only checks):`,
      expect.stringMatching(/^ {2}ok {4}token refresh: /),
      expect.stringMatching(
        /^ {2}ok {4}organization: Local Webex Partner \(\S+\), \d+ organization\(s\) visible$/,
      ),
      expect.stringMatching(/^ {2}ok {4}locations \(one page\): \d+ location\(s\) on the first page/),
      'Every check passed.',
    ]);
    // Read-only: no POST, PUT or DELETE reached Webex.
    const writes = Object.entries(webex.stats.calls).filter(
      ([route, n]) => !route.startsWith('GET ') && n !== before[route],
    );
    expect(writes).toEqual([]);
  });

  it('a refresh token Webex refuses fails plainly, and the rest is skipped', async () => {
    const bad = join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...webex.credentials, refreshToken: 'revoked' }));
    const lines: string[] = [];

    const code = await main(['check', '--base-url', webex.apiUrl, '--credentials', bad], (l) =>
      lines.push(l),
    );

    expect(code).toBe(1);
    expect(lines[1]).toMatch(
      /^ {2}FAIL {2}token refresh: Webex refused the integration's refresh token \(400/,
    );
    expect(lines.at(-1)).toBe('1 check(s) failed.');
  });

  it('without a base URL it says what it needs', async () => {
    const lines: string[] = [];
    const saved = process.env.WEBEX_API_URL;
    delete process.env.WEBEX_API_URL;
    try {
      expect(await main(['check'], (l) => lines.push(l))).toBe(2);
    } finally {
      process.env.WEBEX_API_URL = saved;
    }
    expect(lines.join('\n')).toMatch(/A base URL is needed \(--base-url or WEBEX_API_URL\)/);
  });

  it('runs as `npm run webex -- check`', async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      [
        'run',
        '--silent',
        'webex',
        '--',
        'check',
        '--base-url',
        webex.apiUrl,
        '--credentials',
        join(dataDir, 'state.json'),
      ],
      { env: { ...process.env, WEBEX_CREDENTIALS: '' } },
    );
    expect(stdout).toContain('Every check passed.');
  }, 60_000);
});
