import { orgImportLineSchema, type OrgImportLine } from '../domain/org.schema';
import { batchPut, organizationItems } from './org-directory';

// `npm run orgs -- import <file>`: JSON lines, one organization (with its domains and users) per
// line. Every line is validated before anything is written, so a bad file writes nothing.

export interface LineError {
  line: number;
  message: string;
}

export function parseOrgLines(text: string): { lines: OrgImportLine[]; errors: LineError[] } {
  const lines: OrgImportLine[] = [];
  const errors: LineError[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.trim().startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      errors.push({ line, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = orgImportLineSchema.safeParse(value);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`)
        .join('; ');
      errors.push({ line, message: detail });
      return;
    }
    // Two items with one key in a BatchWrite fail the whole batch, after earlier batches were written.
    const emails = parsed.data.users.map((u) => u.email);
    const domains = parsed.data.domains.map((d) => d.domain);
    const repeated = [
      ...repeats(emails).map((i) => `users.${i}.email: ${emails[i]} already appears in this organization`),
      ...repeats(domains).map(
        (i) => `domains.${i}.domain: ${domains[i]} already appears in this organization`,
      ),
    ];
    if (repeated.length > 0) {
      errors.push({ line, message: repeated.join('; ') });
      return;
    }
    const first = seen.get(parsed.data.orgId);
    if (first !== undefined) {
      errors.push({ line, message: `orgId ${parsed.data.orgId} already appears on line ${first}` });
      return;
    }
    seen.set(parsed.data.orgId, line);
    lines.push(parsed.data);
  });
  return { lines, errors };
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
