// The part of ICU MessageFormat the catalogs use, as formatjs's intl-messageformat reads and
// formats it: text with ICU's apostrophe quoting, `{name}` arguments, and
// `{count, plural, offset:n =0 {…} one {# …} other {…}}` with the language's plural rules
// (Intl.PluralRules) and `#` as the count in the language's number format (Intl.NumberFormat).
// intl-messageformat and its parsers were 32 KB of every bundle that renders a message (the email
// senders, the setup pages, the PDF) for this much; select, number, date and tag arguments are not
// used by any catalog, and a message with one is refused with a clear error rather than misread.
// test/unit/i18n/message-format.test.ts formats every catalog message with both and compares.

export type MessageElement =
  | { kind: 'text'; value: string }
  | { kind: 'argument'; name: string }
  | { kind: 'pound' }
  | { kind: 'plural'; name: string; offset: number; options: Readonly<Record<string, MessageElement[]>> };

export class MessageSyntaxError extends Error {
  override name = 'MessageSyntaxError';
}

/** A value of `vars` is missing: `name` is the argument. */
export class MissingArgumentError extends Error {
  override name = 'MissingArgumentError';
  constructor(readonly argument: string) {
    super(`No value for {${argument}}`);
  }
}

const QUOTABLE = new Set(['{', '}', '<', '>']);

/** Parses a message (throws MessageSyntaxError where it is malformed or uses an unsupported argument type). */
export function parseMessage(message: string): MessageElement[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new MessageSyntaxError(`${what} at offset ${i} of "${message}"`);
  };
  const skipSpace = () => {
    while (i < message.length && /\s/.test(message[i] ?? '')) i++;
  };
  const token = (pattern: RegExp): string => {
    const match = pattern.exec(message.slice(i))?.[0] ?? '';
    i += match.length;
    return match;
  };
  const expect = (ch: string) => {
    if (message[i] !== ch) fail(`expected "${ch}"`);
    i++;
  };

  function parseElements(depth: number, inPlural: boolean): MessageElement[] {
    const out: MessageElement[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push({ kind: 'text', value: text });
      text = '';
    };
    while (i < message.length) {
      const ch = message[i] ?? '';
      if (ch === "'") {
        const next = message[i + 1] ?? '';
        if (next === "'") {
          text += "'";
          i += 2;
        } else if (QUOTABLE.has(next) || (next === '#' && inPlural)) {
          // Quoted text runs to the next lone apostrophe; '' inside it is one apostrophe.
          text += next;
          i += 2;
          while (i < message.length) {
            if (message[i] === "'") {
              if (message[i + 1] !== "'") {
                i++;
                break;
              }
              i++;
            }
            text += message[i] ?? '';
            i++;
          }
        } else {
          text += "'";
          i++;
        }
      } else if (ch === '{') {
        flush();
        out.push(parseArgument(depth));
      } else if (ch === '}' && depth > 0) {
        break;
      } else if (ch === '#' && inPlural) {
        flush();
        out.push({ kind: 'pound' });
        i++;
      } else {
        text += ch;
        i++;
      }
    }
    flush();
    return out;
  }

  function parseArgument(depth: number): MessageElement {
    expect('{');
    skipSpace();
    const name = token(/^[^\s{}#,'<>]+/) || fail('expected an argument name');
    skipSpace();
    if (message[i] === '}') {
      i++;
      return { kind: 'argument', name };
    }
    expect(',');
    skipSpace();
    const type = token(/^\w+/);
    if (type !== 'plural') fail(`unsupported argument type "${type}" (only plural is supported)`);
    skipSpace();
    expect(',');
    skipSpace();
    let offset = 0;
    if (message.startsWith('offset:', i)) {
      i += 'offset:'.length;
      skipSpace();
      offset = Number(token(/^-?\d+/) || fail('expected an offset'));
      skipSpace();
    }
    const options: Record<string, MessageElement[]> = {};
    while (message[i] !== '}') {
      const selector = token(/^(=-?\d+(\.\d+)?|[^\s{}=]+)/) || fail('expected a plural selector');
      if (selector in options) fail(`duplicate plural selector "${selector}"`);
      skipSpace();
      expect('{');
      options[selector] = parseElements(depth + 1, true);
      expect('}');
      skipSpace();
      if (i >= message.length) fail('unclosed plural argument');
    }
    i++;
    if (!('other' in options)) fail('a plural argument needs an "other" option');
    return { kind: 'plural', name, offset, options };
  }

  // At the top level a "}" is text, as in ICU, so this reads the whole message.
  return parseElements(0, false);
}

export type MessageValues = Readonly<Record<string, string | number>>;

const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormat = (locale: string) =>
  numberFormats.get(locale) ?? numberFormats.set(locale, new Intl.NumberFormat(locale)).get(locale)!;
const pluralRule = (locale: string) =>
  pluralRules.get(locale) ?? pluralRules.set(locale, new Intl.PluralRules(locale)).get(locale)!;

/** Formats parsed elements for `locale` (a missing value throws MissingArgumentError). */
export function formatMessage(
  elements: readonly MessageElement[],
  locale: string,
  values: MessageValues,
  count?: number,
): string {
  let out = '';
  for (const el of elements) {
    if (el.kind === 'text') {
      out += el.value;
    } else if (el.kind === 'pound') {
      if (count !== undefined) out += numberFormat(locale).format(count);
    } else {
      if (!Object.hasOwn(values, el.name)) throw new MissingArgumentError(el.name);
      const value = values[el.name];
      if (el.kind === 'argument') {
        // As intl-messageformat: a string or number as text, anything else (undefined, null) as nothing.
        out += typeof value === 'string' || typeof value === 'number' ? String(value) : '';
      } else {
        const n = Number(value) - el.offset;
        const option =
          el.options[`=${value}`] ??
          el.options[pluralRule(locale).select(n)] ??
          // parseMessage refuses a plural without "other"
          el.options.other!;
        out += formatMessage(option, locale, values, n);
      }
    }
  }
  return out;
}

/** The argument names a message uses (`{name}`, `{count, plural, …}` and those inside its options). */
export function argumentNames(elements: readonly MessageElement[]): string[] {
  const names = new Set<string>();
  const walk = (els: readonly MessageElement[]) => {
    for (const el of els) {
      if (el.kind === 'argument' || el.kind === 'plural') names.add(el.name);
      if (el.kind === 'plural') for (const option of Object.values(el.options)) walk(option);
    }
  };
  walk(elements);
  return [...names].sort();
}
