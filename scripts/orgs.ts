// `npm run orgs -- import <file.jsonl>`: loads organizations into the directory table, on AWS
// (TABLE_NAME and AWS credentials from the environment) or on the embedded runtime (when
// .local/runtime.json exists and TABLE_NAME is not set, its endpoints are used; see runtime-env.ts).
import { readFileSync } from 'node:fs';
import { importOrganizations, parseOrgLines } from '../functions/shared/adapters/org-import';
import { useEmbeddedRuntimeIfRunning } from '../infra/local/runtime-env';

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
