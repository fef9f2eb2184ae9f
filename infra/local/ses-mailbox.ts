import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { dirname } from 'node:path';

// aws-ses-v2-local keeps the emails it receives in a module-level array, in memory. The runtime
// keeps its own copy on disk so the mailbox page still shows every email after a restart: each
// new email is appended to `<dataDir>/ses/emails.jsonl`, and loaded back on the next start.

const require = createRequire(import.meta.url);

interface SesStore {
  emails: unknown[];
  templates: Map<string, unknown>;
}
type SesServerFactory = (config: { host: string; port: number }) => Promise<Server>;

const storeModule = require('aws-ses-v2-local/dist/store') as { getStoreReadonly: () => SesStore };
const sesModule = require('aws-ses-v2-local') as { default: SesServerFactory };

let persistTo: string | undefined;

function watch(emails: unknown[]): unknown[] {
  const push = emails.push.bind(emails);
  emails.push = (...items: unknown[]) => {
    if (persistTo) for (const item of items) appendFileSync(persistTo, `${JSON.stringify(item)}\n`);
    return push(...items);
  };
  return emails;
}

const store = storeModule.getStoreReadonly();
let current = watch(store.emails);
// `POST /clear-store` replaces the array: watch the new one and empty the file too.
Object.defineProperty(store, 'emails', {
  configurable: true,
  get: () => current,
  set: (value: unknown[]) => {
    current = watch(value);
    if (persistTo) writeFileSync(persistTo, '');
  },
});

/** Starts the SES emulator in this process, with its mailbox kept in `file`. */
export async function startSesMailbox(host: string, port: number, file: string): Promise<Server> {
  mkdirSync(dirname(file), { recursive: true });
  persistTo = undefined;
  current.length = 0;
  store.templates.clear();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        current.push(JSON.parse(line));
      } catch {
        // A line cut short by a crash: skip it.
      }
    }
  }
  persistTo = file;
  return sesModule.default({ host, port });
}

/** Forgets the mailbox in memory (it stays on disk). */
export function detachSesMailbox(): void {
  persistTo = undefined;
  current.length = 0;
}
