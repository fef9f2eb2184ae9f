// `npm run event-schemas`: writes the JSON Schema of every domain event to docs/events/, generated
// from the zod schemas in functions/shared/domain/domain-events.schema.ts (z.toJSONSchema). A test
// (test/unit/events/domain-events.test.ts) fails when a schema changes and these files do not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { DOMAIN_EVENT_TYPES } from '../functions/shared/domain/domain-events.schema';
import { eventSchemaFile, eventJsonSchema } from '../functions/shared/domain/domain-events.json-schema';

export const EVENTS_DOC_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../docs/events');

export async function writeEventSchemas(dir = EVENTS_DOC_DIR): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const type of DOMAIN_EVENT_TYPES) {
    const path = join(dir, eventSchemaFile(type));
    // Formatted as the repository formats JSON, so `prettier --check` passes on the output.
    const options = (await resolveConfig(join(EVENTS_DOC_DIR, 'x.json'))) ?? {};
    writeFileSync(path, await format(JSON.stringify(eventJsonSchema(type)), { ...options, parser: 'json' }));
    paths.push(path);
  }
  return paths;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  for (const path of await writeEventSchemas()) console.log(`wrote ${path}`);
}
