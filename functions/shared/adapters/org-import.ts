import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { orgImportLineSchema, type OrgImportLine } from '../domain/org.schema';
import { batchPut, organizationItems } from './org-directory';

// `npm run orgs -- import <file>`: JSON lines, one organization (with its domains and users) per
// line. Every line is validated before anything is written, so a bad file writes nothing. A file
// is read twice as a stream (validate, then write), never whole: memory stays flat at any size.

export interface LineError {
  line: number;
  message: string;
}

export function parseOrgLines(text: string): { lines: OrgImportLine[]; errors: LineError[] } {
  const lines: OrgImportLine[] = [];
  const errors: LineError[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const result = checkOrgLine(raw, index + 1, seen);
    if (result?.error) errors.push(result.error);
    else if (result?.org) lines.push(result.org);
  });
  return { lines, errors };
}

/**
 * One line of the file: undefined for a blank or comment line, else the organization or why it
 * is refused. `seen` (orgId → line) finds an org listed twice; it is all that is kept per line.
 */
export function checkOrgLine(
  raw: string,
  line: number,
  seen: Map<string, number>,
): { org?: OrgImportLine; error?: LineError } | undefined {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed.startsWith('//')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { error: { line, message: `not valid JSON (${(error as Error).message})` } };
  }
  const parsed = orgImportLineSchema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
    return { error: { line, message: detail } };
  }
  // Two items with one key in a BatchWrite fail the whole batch, after earlier batches were written.
  const emails = parsed.data.users.map((u) => u.email);
  const domains = parsed.data.domains.map((d) => d.domain);
  const repeated = [
    ...repeats(emails).map((i) => `users.${i}.email: ${emails[i]} already appears in this organization`),
    ...repeats(domains).map((i) => `domains.${i}.domain: ${domains[i]} already appears in this organization`),
  ];
  if (repeated.length > 0) return { error: { line, message: repeated.join('; ') } };
  const first = seen.get(parsed.data.orgId);
  if (first !== undefined) {
    return { error: { line, message: `orgId ${parsed.data.orgId} already appears on line ${first}` } };
  }
  seen.set(parsed.data.orgId, line);
  return { org: parsed.data };
}

/** Indexes of values that already appeared earlier in the list. */
function repeats(values: string[]): number[] {
  return values.flatMap((v, i) => (values.indexOf(v) < i ? [i] : []));
}

/** Writes validated organizations; returns how many items (orgs, domains, users) were written. */
export async function importOrganizations(
  lines: OrgImportLine[],
  at = new Date().toISOString(),
): Promise<number> {
  const items = lines.flatMap((line) => organizationItems(line, at));
  await batchPut(items);
  return items.length;
}

/** What a pass over the file has done so far, for a progress bar. */
export interface ImportProgress {
  phase: 'validate' | 'write';
  /** Bytes of the file read so far, and its size. */
  bytes: number;
  totalBytes: number;
  orgs: number;
}

async function* fileLines(path: string, onBytes: (bytes: number) => void): AsyncGenerator<string> {
  const stream = createReadStream(path);
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const raw of reader) {
    onBytes(stream.bytesRead);
    yield raw;
  }
}

/** The first pass: every line checked, nothing written. At most `maxErrors` errors are listed. */
export async function validateOrgFile(
  path: string,
  totalBytes: number,
  onProgress: (p: ImportProgress) => void = () => undefined,
  maxErrors = 100,
): Promise<{ orgs: number; errors: LineError[]; errorCount: number }> {
  const seen = new Map<string, number>();
  const errors: LineError[] = [];
  let errorCount = 0;
  let orgs = 0;
  let line = 0;
  let bytes = 0;
  for await (const raw of fileLines(path, (b) => (bytes = b))) {
    line += 1;
    const result = checkOrgLine(raw, line, seen);
    if (result?.error) {
      errorCount += 1;
      if (errors.length < maxErrors) errors.push(result.error);
    } else if (result?.org) orgs += 1;
    if (line % 1000 === 0) onProgress({ phase: 'validate', bytes, totalBytes, orgs });
  }
  onProgress({ phase: 'validate', bytes: totalBytes, totalBytes, orgs });
  return { orgs, errors, errorCount };
}

/**
 * The second pass: writes a file that validated, `concurrency` BatchWrites of 25 items at a time
 * (unprocessed items are retried). Returns how many organizations and items were written.
 */
export async function writeOrgFile(
  path: string,
  totalBytes: number,
  options: { concurrency?: number; onProgress?: (p: ImportProgress) => void; at?: string } = {},
): Promise<{ orgs: number; items: number }> {
  const { concurrency = 8, onProgress = () => undefined, at = new Date().toISOString() } = options;
  const seen = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const buffer: Record<string, unknown>[] = [];
  let orgs = 0;
  let items = 0;
  let line = 0;
  let bytes = 0;
  const flush = async (all: boolean) => {
    while (buffer.length >= 25 || (all && buffer.length > 0)) {
      const batch = buffer.splice(0, 25);
      const write: Promise<void> = batchPut(batch).finally(() => inFlight.delete(write));
      inFlight.add(write);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  };
  for await (const raw of fileLines(path, (b) => (bytes = b))) {
    line += 1;
    const result = checkOrgLine(raw, line, seen);
    if (result?.error)
      throw new Error(`line ${line} changed since it was validated: ${result.error.message}`);
    if (!result?.org) continue;
    const next = organizationItems(result.org, at);
    buffer.push(...next);
    orgs += 1;
    items += next.length;
    await flush(false);
    if (orgs % 500 === 0) onProgress({ phase: 'write', bytes, totalBytes, orgs });
  }
  await flush(true);
  await Promise.all(inFlight);
  onProgress({ phase: 'write', bytes: totalBytes, totalBytes, orgs });
  return { orgs, items };
}
