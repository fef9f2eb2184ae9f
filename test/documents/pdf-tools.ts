import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's poppler-utils (pdftotext, pdfinfo, pdffonts) and qpdf, as the PDF tests use them.
// .ci/run installs them; on a developer machine without them the tests skip, saying why.

const TOOLS = ['pdftotext', 'pdfinfo', 'pdffonts', 'qpdf'] as const;

function installed(tool: string): boolean {
  return !spawnSync(tool, ['-v'], { encoding: 'utf8' }).error;
}

export const missingPdfTools = TOOLS.filter((tool) => !installed(tool));

/** In CI the tools are mandatory: a missing one fails the suite instead of skipping it. */
export function pdfToolsRequired(): boolean {
  return Boolean(process.env.CI) || missingPdfTools.length === 0;
}

export const SKIP_MESSAGE = `PDF checks skipped: ${missingPdfTools.join(', ')} not installed (apt-get install poppler-utils qpdf)`;

function run(tool: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(tool, args, { encoding: 'utf8' });
  if (res.error)
    throw new Error(`${tool} could not run: ${res.error.message}. Install poppler-utils and qpdf.`);
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Runs `fn` with the PDF written to a temporary file. */
function withFile<T>(pdf: Buffer, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'summary-pdf-'));
  const path = join(dir, 'summary.pdf');
  try {
    writeFileSync(path, pdf);
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Buffer, layout = false): string {
  return withFile(
    pdf,
    (path) => run('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', path, '-']).stdout,
  );
}

export function qpdfCheck(pdf: Buffer): { status: number | null; output: string } {
  return withFile(pdf, (path) => {
    const res = run('qpdf', ['--check', path]);
    return { status: res.status, output: `${res.stdout}${res.stderr}` };
  });
}

export function pdfInfo(pdf: Buffer): Record<string, string> {
  return withFile(pdf, (path) => {
    const out: Record<string, string> = {};
    for (const line of run('pdfinfo', ['-isodates', path]).stdout.split('\n')) {
      const match = /^([^:]+):\s*(.*)$/.exec(line);
      if (match?.[1]) out[match[1].trim()] = match[2] ?? '';
    }
    return out;
  });
}

export function pdfFonts(pdf: Buffer): string {
  return withFile(pdf, (path) => run('pdffonts', [path]).stdout);
}

export interface WordBox {
  page: number;
  text: string;
  yMin: number;
  yMax: number;
}

/** Every word with its page and vertical position (points from the top), from `pdftotext -bbox`. */
export function wordBoxes(pdf: Buffer): { pageHeight: number; words: WordBox[] } {
  const html = withFile(pdf, (path) => run('pdftotext', ['-bbox', '-enc', 'UTF-8', path, '-']).stdout);
  const words: WordBox[] = [];
  let page = 0;
  let pageHeight = 0;
  for (const line of html.split('\n')) {
    const pageMatch = /<page width="[\d.]+" height="([\d.]+)">/.exec(line);
    if (pageMatch) {
      page += 1;
      pageHeight = Number(pageMatch[1]);
      continue;
    }
    const word = /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (word) words.push({ page, yMin: Number(word[1]), yMax: Number(word[2]), text: word[3] ?? '' });
  }
  return { pageHeight, words };
}
