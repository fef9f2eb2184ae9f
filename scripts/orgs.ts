// `npm run orgs -- import <file.jsonl>`: loads organizations into the directory table, on AWS
// (TABLE_NAME and AWS credentials from the environment) or on the embedded runtime (when
// .local/runtime.json exists and TABLE_NAME is not set, its endpoints are used).
import { existsSync, readFileSync } from 'node:fs';
import { resetClients } from '../functions/shared/clients';
import { importOrganizations, parseOrgLines } from '../functions/shared/adapters/org-import';

function useEmbeddedRuntimeIfRunning(): void {
  const file = '.local/runtime.json';
  if (process.env.TABLE_NAME || !existsSync(file)) return;
  const runtime = JSON.parse(readFileSync(file, 'utf8')) as { env?: Record<string, string> };
  for (const [k, v] of Object.entries(runtime.env ?? {})) process.env[k] ??= v;
  resetClients();
}

async function main(argv: string[]): Promise<number> {
  const [command, file] = argv;
  if (command !== 'import' || !file) {
    console.error('Usage: npm run orgs -- import <organizations.jsonl>');
    return 2;
  }
  const { lines, errors } = parseOrgLines(readFileSync(file, 'utf8'));
  if (errors.length > 0) {
    for (const e of errors) console.error(`${file}:${e.line}: ${e.message}`);
    console.error(`Nothing was imported: ${errors.length} bad line(s).`);
    return 1;
  }
  useEmbeddedRuntimeIfRunning();
  const items = await importOrganizations(lines);
  console.log(`Imported ${lines.length} organization(s) (${items} items).`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
