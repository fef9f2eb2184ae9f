import * as z from 'zod';

// Names and free text, wherever they come in (order events, wizard forms, org imports). Control
// characters (Unicode Cc: U+0000–U+001F, U+007F–U+009F) and the line and paragraph separators
// (U+2028, U+2029) are refused: a CR/LF in a name can split an email header or a log line, a NUL
// cuts the value short in other systems. Surrounding whitespace (a trailing newline or tab) is
// trimmed first, as before, so only what would be kept is checked.

/** Any Cc character, or U+2028 / U+2029. */
const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029]/u;
/** The same, except CR and LF. */
const CONTROL_CHARACTER_BUT_LINE_BREAK = /(?![\r\n])[\p{Cc}\u2028\u2029]/u;

export const CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters (line breaks, tabs, NUL)';
export const CONTROL_CHARACTERS_MULTILINE_MESSAGE =
  'must not contain control characters other than line breaks (tabs, NUL)';

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

/**
 * A name or single-line free text: trimmed, no control characters. Chain the field's own rules
 * (`.min()`, `.max()`, `.toLowerCase()`, `.regex()`) after it: this check comes first, so a form
 * shows its message rather than a less precise one.
 */
export function singleLineText() {
  return z
    .string()
    .trim()
    .refine((value) => !CONTROL_CHARACTER.test(value), { message: CONTROL_CHARACTERS_MESSAGE });
}

/** Free text that may span lines (a cancellation reason): CR and LF allowed, other control characters not. */
export function multiLineText() {
  return z
    .string()
    .trim()
    .refine((value) => !CONTROL_CHARACTER_BUT_LINE_BREAK.test(value), {
      message: CONTROL_CHARACTERS_MULTILINE_MESSAGE,
    });
}
