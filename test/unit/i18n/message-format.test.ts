import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { emailCatalogs } from '../../../functions/shared/i18n/emails.catalog';
import {
  argumentNames,
  formatMessage,
  MessageSyntaxError,
  MissingArgumentError,
  parseMessage,
  type MessageValues,
} from '../../../functions/shared/i18n/message-format';
import { pdfCatalogs } from '../../../functions/shared/i18n/pdf.catalog';
import { stepLabels } from '../../../functions/shared/i18n/steps';
import type { Catalogs } from '../../../functions/shared/i18n/translate';
import { wizardCatalogs } from '../../../functions/shared/i18n/wizard.catalog';

// message-format.ts stands in for formatjs's intl-messageformat in the functions: it must read
// and format every message the way intl-messageformat does (with the options translate.ts used:
// ignoreTag), for every catalog message and count, and for ICU's quoting rules.

const LOCALES = { en: 'en-GB', ro: 'ro-RO' } as const;
const COUNTS = [0, 1, 2, 3, 5, 19, 20, 21, 100, 101, 102, 1000, 1234, 1_000_000, 2.5];

function reference(message: string, locale: string, values: MessageValues): string {
  const out = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).format(values);
  return Array.isArray(out) ? out.join('') : String(out);
}

const ours = (message: string, locale: string, values: MessageValues) =>
  formatMessage(parseMessage(message), locale, values);

/** The names intl-messageformat's AST gives a message's arguments. */
function referenceArguments(message: string): string[] {
  type Ast = ReturnType<IntlMessageFormat['getAst']>;
  const names = new Set<string>();
  const walk = (elements: Ast) => {
    for (const el of elements) {
      if ('value' in el && typeof el.value === 'string' && el.type !== 0) names.add(el.value);
      if ('options' in el) for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

describe('message-format, against intl-messageformat', () => {
  const catalogs = {
    steps: stepLabels,
    emails: emailCatalogs,
    pdf: pdfCatalogs,
    wizard: wizardCatalogs,
  } as Record<string, Catalogs>;
  const messages = Object.entries(catalogs).flatMap(([area, catalog]) =>
    (['en', 'ro'] as const).flatMap((language) =>
      Object.entries(catalog[language]).map(([key, message]) => ({ area, language, key, message })),
    ),
  );

  it('formats every catalog message, in both languages, as intl-messageformat does', () => {
    let plurals = 0;
    let compared = 0;
    for (const { area, language, key, message } of messages) {
      const names = referenceArguments(message);
      expect(argumentNames(parseMessage(message)), `${area} ${language} ${key}`).toEqual(names);
      const isPlural = message.includes(', plural,');
      if (isPlural) plurals++;
      for (const count of isPlural ? COUNTS : [7]) {
        // Every argument gets the count, and then each its own text (with ICU's special characters).
        for (const values of [
          Object.fromEntries(names.map((name) => [name, count])),
          Object.fromEntries(names.map((name, i) => [name, i === 0 ? count : `‘${name}’ {#} 'x' ș`])),
        ]) {
          compared++;
          expect(
            ours(message, LOCALES[language], values),
            `${area} ${language} ${key} ${JSON.stringify(values)}`,
          ).toBe(reference(message, LOCALES[language], values));
        }
      }
    }
    expect(messages.length).toBeGreaterThan(400);
    expect(plurals).toBeGreaterThanOrEqual(20);
    expect(compared).toBeGreaterThan(1000);
  });

  it.each([
    ['plain text', 'No braces here', {}],
    ['an apostrophe as text', "it's <b>{name}</b>", { name: 'Ana' }],
    ['a doubled apostrophe', "Ana''s {name}", { name: 'x' }],
    ['quoted braces', "'{literal}' and {name} and '}'", { name: 'x' }],
    ['a quote with a doubled apostrophe inside', "'{it''s}' {name}", { name: 'x' }],
    ['an unclosed quote', "before '{ to the end", {}],
    ['a "}" at the top level', 'a } b {name}', { name: 'x' }],
    ['"#" outside a plural', '# {name} #', { name: 'x' }],
    ['a quoted "#" in a plural', "{n, plural, other {'#' is #}}", { n: 4 }],
    ['a "#" quoted outside a plural', "'#' {n}", { n: 4 }],
    [
      'exact matches before rules',
      '{n, plural, =0 {none} =1 {just one} one {# one} other {# many}}',
      { n: 0 },
    ],
    ['exact one', '{n, plural, =0 {none} =1 {just one} one {# one} other {# many}}', { n: 1 }],
    [
      'an offset',
      '{n, plural, offset:1 =0 {nobody} =1 {you} one {you and # other} other {you and # others}}',
      { n: 3 },
    ],
    [
      'nested plurals',
      '{a, plural, one {# a and {b, plural, one {# b} other {# bs}}} other {# as, {b} b}}',
      { a: 1, b: 5 },
    ],
    [
      'whitespace inside braces',
      '{ name } {  n ,  plural ,  one  { # }  other  { #! } }',
      { name: 'x', n: 2 },
    ],
    ['a string count', '{n, plural, one {# item} other {# items}}', { n: '1' }],
    ['a zero argument', 'count: {n}', { n: 0 }],
    ['an empty argument', 'name: "{n}"', { n: '' }],
    [
      'an argument given as null or undefined',
      '[{a}] [{b}]',
      { a: null, b: undefined } as unknown as MessageValues,
    ],
    ['large numbers in the language’s format', '{n} · {n, plural, other {#}}', { n: 1234567.5 }],
  ] as const)('%s', (_what, message, values) => {
    for (const locale of Object.values(LOCALES))
      expect(ours(message, locale, values)).toBe(reference(message, locale, values));
  });

  it('throws for a missing value, naming it, where intl-messageformat does', () => {
    for (const [message, values] of [
      ['Order {orderId}', {}],
      ['{n, plural, other {# of {total}}}', { n: 2 }],
      ['{n, plural, other {#}}', {}],
    ] as const) {
      expect(() => reference(message, 'en-GB', values)).toThrow();
      expect(() => ours(message, 'en-GB', values)).toThrow(MissingArgumentError);
    }
    expect(() => ours('Order {orderId}', 'en-GB', {})).toThrow('No value for {orderId}');
  });

  it('refuses malformed messages and the argument types no catalog uses, as intl-messageformat refuses the malformed', () => {
    for (const message of [
      '{',
      '{name',
      '{}',
      '{n, plural, one {x}}',
      '{n, plural, other {x}',
      '{n, plural other {x}}',
    ])
      expect(() => reference(message, 'en-GB', { n: 1, name: 'x' }), message).toThrow();
    for (const message of [
      '{',
      '{name',
      '{}',
      '{n, plural, one {x}}',
      '{n, plural, other {x}',
      '{n, plural other {x}}',
      '{n, select, a {x} other {y}}',
      '{n, number}',
      '{d, date, short}',
      '{n, selectordinal, one {#st} other {#th}}',
    ])
      expect(() => parseMessage(message), message).toThrow(MessageSyntaxError);
  });
});
