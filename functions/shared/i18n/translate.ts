import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from '../domain/order.schema';

// Message catalogs: one flat object of ICU MessageFormat strings per language and area (wizard,
// emails, pdf). `{name}` placeholders are filled from `vars`; counts use ICU plural rules
// (`{count, plural, one {# licență} few {# licențe} other {# de licențe}}`), so Romanian says
// "50 de licențe" without plural code of our own. A key missing in a language is a bug: it
// throws, and the catalog tests compare the key sets of every language.

export type Catalog = Readonly<Record<string, string>>;
export type Catalogs<K extends string = string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;
export type Vars = Readonly<Record<string, string | number>>;

export class MissingMessageError extends Error {
  override name = 'MissingMessageError';
}

const LOCALES: Record<Language, string> = { en: 'en-GB', ro: 'ro-RO' };

// Compiled messages, per language: parsing is the expensive part and the catalogs are fixed.
const compiled = new Map<string, IntlMessageFormat>();

function compile(template: string, language: Language): IntlMessageFormat {
  const cacheKey = `${language}\u0000${template}`;
  let message = compiled.get(cacheKey);
  if (!message) {
    // ignoreTag: catalog text may contain "<" (it is plain text; escaping happens where it is shown).
    message = new IntlMessageFormat(template, LOCALES[language], undefined, { ignoreTag: true });
    compiled.set(cacheKey, message);
  }
  return message;
}

/** Formats one ICU message; a placeholder without a value throws, naming it. */
export function format(template: string, vars: Vars = {}, language: Language = 'en'): string {
  try {
    const out = compile(template, language).format(vars);
    return Array.isArray(out) ? out.join('') : String(out);
  } catch (error) {
    const variable = /variable "(\w+)" was not provided/.exec(String((error as Error).message))?.[1];
    if (variable) throw new MissingMessageError(`No value for {${variable}} in "${template}"`);
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

type Ast = ReturnType<IntlMessageFormat['getAst']>;

/** The argument names a message uses (`{name}`, `{count, plural, …}` and those inside its branches). */
export function messageArguments(template: string): string[] {
  const names = new Set<string>();
  const walk = (elements: Ast) => {
    for (const el of elements) {
      if ('value' in el && typeof el.value === 'string' && el.type !== 0) names.add(el.value);
      if ('options' in el) for (const option of Object.values(el.options)) walk(option.value);
      if ('children' in el) walk(el.children);
    }
  };
  walk(compile(template, 'en').getAst());
  return [...names].sort();
}

/** Keys present in one language and not in another: used by the catalog tests. */
export function catalogDifferences(catalogs: Catalogs): string[] {
  const langs = Object.keys(catalogs) as Language[];
  const all = new Set(langs.flatMap((l) => Object.keys(catalogs[l])));
  const out: string[] = [];
  for (const key of all) for (const l of langs) if (!(key in catalogs[l])) out.push(`${l}: ${key}`);
  return out;
}
