import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { resetClients } from '../../functions/shared/clients';

// For the command-line tools (`npm run orgs`, `npm run ops`): with no AWS table configured
// (TABLE_NAME unset) and an embedded runtime running, use its endpoints. The runtime's file is
// `<DATA_DIR or .local>/runtime.json`, or RUNTIME_FILE.

const runtimeFileSchema = z.object({ env: z.record(z.string(), z.string()).default({}) });

export function useEmbeddedRuntimeIfRunning(): void {
  const file = process.env.RUNTIME_FILE ?? join(process.env.DATA_DIR ?? '.local', 'runtime.json');
  if (process.env.TABLE_NAME || !existsSync(file)) return;
  const runtime = runtimeFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const [k, v] of Object.entries(runtime.env)) process.env[k] ??= v;
  resetClients();
}
