import type { Language } from '../domain/order.schema';
import {
  argumentNames,
  formatMessage,
  MissingArgumentError,
  parseMessage,
  type MessageElement,
} from './message-format';

// Message catalogs: one flat object of ICU MessageFormat strings per language and area (wizard,
// emails, pdf). `{name}` placeholders are filled from `vars`; counts use ICU plural rules
// (`{count, plural, one {# licență} few {# licențe} other {# de licențe}}`), so Romanian says
// "50 de licențe" (message-format.ts reads the part of ICU the catalogs use, as formatjs's
// intl-messageformat does, in a fraction of its bytes). A key missing in a language is a bug: it
// throws, and the catalog tests compare the key sets of every language.

export type Catalog = Readonly<Record<string, string>>;
export type Catalogs<K extends string = string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;
export type Vars = Readonly<Record<string, string | number>>;

export class MissingMessageError extends Error {
  override name = 'MissingMessageError';
}

const LOCALES: Record<Language, string> = { en: 'en-GB', ro: 'ro-RO' };

// Parsed messages: parsing is the expensive part and the catalogs are fixed.
const parsed = new Map<string, MessageElement[]>();

function parse(template: string): MessageElement[] {
  let message = parsed.get(template);
  if (!message) {
    message = parseMessage(template);
    parsed.set(template, message);
  }
  return message;
}

/** Formats one ICU message; a placeholder without a value throws, naming it. */
export function format(template: string, vars: Vars = {}, language: Language = 'en'): string {
  try {
    return formatMessage(parse(template), LOCALES[language], vars);
  } catch (error) {
    if (error instanceof MissingArgumentError)
      throw new MissingMessageError(`No value for {${error.argument}} in "${template}"`);
    throw error;
  }
}

export function translator<K extends string>(catalogs: Catalogs<K>, language: Language) {
  const catalog = catalogs[language];
  return (key: K, vars?: Vars): string => {
    const template = catalog[key];
    if (template === undefined) throw new MissingMessageError(`Missing message "${key}" (${language})`);
    return format(template, vars, language);
  };
}

/** The argument names a message uses (`{name}`, `{count, plural, …}` and those inside its branches). */
export function messageArguments(template: string): string[] {
  return argumentNames(parse(template));
}

/** Keys present in one language and not in another: used by the catalog tests. */
export function catalogDifferences(catalogs: Catalogs): string[] {
  const langs = Object.keys(catalogs) as Language[];
  const all = new Set(langs.flatMap((l) => Object.keys(catalogs[l])));
  const out: string[] = [];
  for (const key of all) for (const l of langs) if (!(key in catalogs[l])) out.push(`${l}: ${key}`);
  return out;
}
