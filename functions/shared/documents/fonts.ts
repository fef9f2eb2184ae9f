import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';
import { ConfigurationError } from '../errors';

// The PDF embeds DejaVu Sans (the standard PDF fonts cannot draw ș and ț). In a Lambda bundle
// the TTF files are copied next to the code and FONT_DIR points at them (infra/workflow.stack.ts);
// everywhere else they are read from the dejavu-fonts-ttf package.

export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

export interface SummaryFonts {
  regular: string;
  bold: string;
}

function packageFontDir(): string {
  // A CommonJS bundle has no import.meta.url; it must set FONT_DIR (and does).
  const base = typeof import.meta.url === 'string' ? import.meta.url : join(process.cwd(), 'index.js');
  const require = createRequire(base);
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

/** Keyed by the FONT_DIR it was resolved for (tests change it). */
let cached: { env: string | undefined; fonts: SummaryFonts } | undefined;

/** Paths of the TrueType fonts; throws ConfigurationError naming the directory when one is missing. */
export function summaryFonts(): SummaryFonts {
  const fromEnv = process.env.FONT_DIR;
  if (cached && cached.env === fromEnv) return cached.fonts;
  let dir: string;
  try {
    dir = fromEnv ?? packageFontDir();
  } catch (error) {
    throw new ConfigurationError(
      'Cannot find the dejavu-fonts-ttf package; set FONT_DIR to a directory with the fonts',
      {
        cause: error,
      },
    );
  }
  const fonts = { regular: join(dir, FONT_FILES.regular), bold: join(dir, FONT_FILES.bold) };
  for (const path of Object.values(fonts)) {
    if (!existsSync(path))
      throw new ConfigurationError(`Font file ${path} is missing (FONT_DIR=${fromEnv ?? 'unset'})`);
  }
  cached = { env: fromEnv, fonts };
  return fonts;
}

/** A parsed TrueType font, as pdfkit takes it instead of a path. */
export type ParsedFont = fontkit.Font;

let parsed: { fonts: SummaryFonts; parsed: Record<keyof SummaryFonts, ParsedFont> } | undefined;

/**
 * The fonts parsed once per process (per FONT_DIR) and shared by every render: pdfkit given a
 * path parses the TTF again for each document, which was most of a render's CPU. pdfkit only
 * reads a parsed font (each document subsets it on its own), so sharing it keeps the bytes.
 */
export function parsedSummaryFonts(): Record<keyof SummaryFonts, ParsedFont> {
  const fonts = summaryFonts();
  if (parsed?.fonts === fonts) return parsed.parsed;
  const parse = (path: string): ParsedFont => {
    const font = fontkit.create(readFileSync(path));
    // A .ttc holds several fonts; FONT_FILES are single TrueType fonts.
    if (!('layout' in font)) throw new ConfigurationError(`Font file ${path} is a collection, not one font`);
    return font;
  };
  parsed = {
    fonts,
    parsed: { regular: shareLayouts(parse(fonts.regular)), bold: shareLayouts(parse(fonts.bold)) },
  };
  return parsed.parsed;
}

/** Words kept shaped per font; past this the cache starts over (a summary uses a few hundred). */
const LAYOUT_CACHE_SIZE = 20_000;

/**
 * Shapes each word once per process instead of once per document. pdfkit lays text out word by
 * word through `font.layout(word)` and caches the runs per document only, so every summary ran
 * OpenType shaping (GSUB/GPOS) again for the same words: the largest part of a render's CPU.
 * The run is a pure function of the font and the text; pdfkit scales the positions of the run
 * it gets in place, so each call gets its own copy of the positions. The output is the same,
 * byte for byte (test/documents/order-summary.test.ts).
 */
export function shareLayouts(font: ParsedFont): ParsedFont {
  const layout = font.layout.bind(font);
  const runs = new Map<string, fontkit.GlyphRun>();
  const copy = (run: fontkit.GlyphRun): fontkit.GlyphRun =>
    Object.assign(Object.create(Object.getPrototypeOf(run) as object) as fontkit.GlyphRun, run, {
      positions: run.positions.map((p) => ({ ...p })),
    });
  font.layout = (text: string, ...rest: unknown[]): fontkit.GlyphRun => {
    // Features, script, language or direction asked for: not what pdfkit's word cache asks.
    if (rest.some((r) => r !== undefined))
      return (layout as (...a: unknown[]) => fontkit.GlyphRun)(text, ...rest);
    let run = runs.get(text);
    if (!run) {
      if (runs.size >= LAYOUT_CACHE_SIZE) runs.clear();
      run = layout(text);
      runs.set(text, run);
    }
    return copy(run);
  };
  return font;
}
