// `npm run webex -- check --base-url <url> [--credentials <file>]`: read-only calls against a
// Webex (the real one at https://webexapis.com/v1, or the local one), through the same adapter the
// workflow uses, saying plainly what works: the token refresh, the token's organization, and one
// page of its locations. Credentials come from --credentials (a JSON file with clientId,
// clientSecret and refreshToken, or the local Webex's state.json), else from WEBEX_CREDENTIALS or
// WEBEX_SECRET_ARN (Secrets Manager, with AWS credentials in the environment). It changes nothing
// in Webex. Exit code 0 when every check passed, 1 when one failed, 2 on bad usage.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { resetConfig } from '../../../functions/shared/config';
import {
  refreshAccessToken,
  resetWebexClient,
  webexRequire,
} from '../../../functions/shared/webex/webex-client';
import {
  listSchema,
  locationSchema,
  organizationListSchema,
} from '../../../functions/shared/webex/webex.schema';

const USAGE = `Usage:
  npm run webex -- check --base-url <https://webexapis.com/v1> [--credentials <file.json>]
    Credentials: --credentials (clientId, clientSecret, refreshToken; or the local Webex's
    .local/webex/state.json), else WEBEX_CREDENTIALS (JSON) or WEBEX_SECRET_ARN (Secrets Manager).`;

const fileCredentialsSchema = z.union([
  z.object({ clientId: z.string(), clientSecret: z.string(), refreshToken: z.string() }),
  z
    .object({
      integration: z.object({ clientId: z.string(), clientSecret: z.string(), refreshToken: z.string() }),
    })
    .transform((s) => s.integration),
]);

interface Check {
  name: string;
  run: () => Promise<string>;
}

export async function main(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'check') {
    print(USAGE);
    return 2;
  }
  let values: { 'base-url'?: string; credentials?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { 'base-url': { type: 'string' }, credentials: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    print(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const baseUrl = values['base-url'] ?? process.env.WEBEX_API_URL;
  if (!baseUrl || !URL.canParse(baseUrl)) {
    print(`A base URL is needed (--base-url or WEBEX_API_URL), e.g. https://webexapis.com/v1\n${USAGE}`);
    return 2;
  }
  process.env.WEBEX_API_URL = baseUrl;
  if (values.credentials) {
    let parsed: z.infer<typeof fileCredentialsSchema>;
    try {
      parsed = fileCredentialsSchema.parse(JSON.parse(readFileSync(values.credentials, 'utf8')));
    } catch (error) {
      print(
        `Cannot read credentials from ${values.credentials}: ${(error as Error).message.split('\n')[0] ?? ''}`,
      );
      return 2;
    }
    process.env.WEBEX_CREDENTIALS = JSON.stringify(parsed);
  }
  resetConfig();
  resetWebexClient();

  print(`Webex at ${baseUrl} (read-only checks):`);
  const checks: Check[] = [
    {
      name: 'token refresh',
      run: async () => {
        await refreshAccessToken();
        return 'the integration’s refresh token gives an access token';
      },
    },
    {
      name: 'organization',
      run: async () => {
        const res = await webexRequire({
          method: 'GET',
          path: '/organizations',
          schema: organizationListSchema,
        });
        const first = res.data.items[0];
        if (!first) throw new Error('the token sees no organization');
        return `${first.displayName} (${first.id}), ${res.data.items.length} organization(s) visible`;
      },
    },
    {
      name: 'locations (one page)',
      run: async () => {
        const res = await webexRequire({
          method: 'GET',
          path: '/locations',
          query: { max: '10' },
          schema: listSchema(locationSchema),
        });
        return `${res.data.items.length} location(s) on the first page${res.next ? ', more pages linked' : ''}`;
      },
    },
  ];
  let failed = 0;
  for (const check of checks) {
    try {
      print(`  ok    ${check.name}: ${await check.run()}`);
    } catch (error) {
      failed++;
      print(`  FAIL  ${check.name}: ${(error as Error).message}`);
      if (check.name === 'token refresh') {
        print('  (the other checks need a token: skipped)');
        break;
      }
    }
  }
  print(failed === 0 ? 'Every check passed.' : `${failed} check(s) failed.`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
