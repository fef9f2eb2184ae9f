import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Just enough Markdown for the doc tests: fenced code blocks and pipe tables, each with the
// `<!-- docs-test: … -->` marker written right before it (blank lines between are allowed).

export const ROOT = join(import.meta.dirname, '../..');

export function readDoc(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string (`sh`, `json`, `text`, …); empty when none. */
  lang: string;
  body: string;
  /** What the `<!-- docs-test: … -->` before it says, if anything. */
  marker?: string;
}

export interface Table {
  file: string;
  line: number;
  header: string[];
  rows: string[][];
  marker?: string;
}

const MARKER = /^\s*<!--\s*docs-test:\s*(.+?)\s*-->\s*$/;

/** The marker on the last non-blank line before `index` (0-based), if it is one. */
function markerBefore(lines: string[], index: number): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    return MARKER.exec(line)?.[1];
  }
  return undefined;
}

export function codeBlocks(file: string, markdown = readDoc(file)): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ''); j++)
      body.push((lines[j] ?? '').slice(indent));
    blocks.push({
      file,
      line: i + 1,
      lang: open[2] ?? '',
      body: body.join('\n'),
      marker: markerBefore(lines, i),
    });
    i = j;
  }
  return blocks;
}

/** Cells of a table row, with `\|` kept inside a cell. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

export function tables(file: string, markdown = readDoc(file)): Table[] {
  const lines = markdown.split('\n');
  const out: Table[] = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence || !line.trim().startsWith('|')) continue;
    const separator = lines[i + 1] ?? '';
    if (!/^\s*\|[\s|:-]+\|\s*$/.test(separator)) continue;
    const table: Table = { file, line: i + 1, header: cells(line), rows: [], marker: markerBefore(lines, i) };
    let j = i + 2;
    for (; j < lines.length && (lines[j] ?? '').trim().startsWith('|'); j++)
      table.rows.push(cells(lines[j] ?? ''));
    out.push(table);
    i = j - 1;
  }
  return out;
}

/** The table whose header is exactly these columns; throws when there is not exactly one. */
export function tableWithHeader(file: string, header: string[], marker?: string): Table {
  const found = tables(file).filter(
    (t) => t.header.join('|') === header.join('|') && (marker === undefined || t.marker === marker),
  );
  if (found.length !== 1)
    throw new Error(`${file}: expected one table with columns ${header.join(', ')}, found ${found.length}`);
  return found[0] as Table;
}

/** The backticked names in a cell: "`A`, `B` (x)" gives ["A", "B"]. */
export function ticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
}
