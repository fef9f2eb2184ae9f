import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { resetClients } from '../../functions/shared/clients';

// For the command-line tools (`npm run orgs`, `npm run ops`): with no AWS table configured
// (TABLE_NAME unset) and an embedded runtime running, use its endpoints. The runtime's file is
// `<DATA_DIR or .local>/runtime.json`, or RUNTIME_FILE.

const runtimeFileSchema = z.object({ env: z.record(z.string(), z.string()).default({}) });

/** Where the CLIs look for a running runtime's file. */
export function runtimeFile(): string {
  return resolve(process.env.RUNTIME_FILE ?? join(process.env.DATA_DIR ?? '.local', 'runtime.json'));
}

/**
 * What a CLI says when it has nowhere to go: no runtime's file and no AWS table. `command` is how
 * the person ran it (`npm run ops -- list`), so the DATA_DIR hint can be copied as it stands.
 */
export function noRuntimeMessage(command: string, aws: string): string {
  return [
    `No runtime is running (${runtimeFile()} is missing), and TABLE_NAME is not set.`,
    '  - Start one with: npm start',
    `  - If one runs with another data directory, point at it: DATA_DIR=<its data directory> ${command}`,
    `  - Against AWS: ${aws}`,
  ].join('\n');
}

export function useEmbeddedRuntimeIfRunning(): void {
  const file = runtimeFile();
  if (process.env.TABLE_NAME || !existsSync(file)) return;
  const runtime = runtimeFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const [k, v] of Object.entries(runtime.env)) process.env[k] ??= v;
  resetClients();
}
