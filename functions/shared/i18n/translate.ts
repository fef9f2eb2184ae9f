import type { Language } from '../domain/order.schema';

// Message catalogs: one flat object of strings per language and area (wizard, emails, pdf).
// `{name}` placeholders are filled from `vars`. A key missing in a language is a bug: it throws,
// and the catalog tests compare the key sets of every language.

export type Catalog = Readonly<Record<string, string>>;
export type Catalogs<K extends string = string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;
export type Vars = Readonly<Record<string, string | number>>;

export class MissingMessageError extends Error {
  override name = 'MissingMessageError';
}

export function format(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new MissingMessageError(`No value for {${name}} in "${template}"`);
    return String(value);
  });
}

export function translator<K extends string>(catalogs: Catalogs<K>, language: Language) {
  const catalog = catalogs[language];
  return (key: K, vars?: Vars): string => {
    const template = catalog[key];
    if (template === undefined) throw new MissingMessageError(`Missing message "${key}" (${language})`);
    return format(template, vars);
  };
}

/** Keys present in one language and not in another: used by the catalog tests. */
export function catalogDifferences(catalogs: Catalogs): string[] {
  const langs = Object.keys(catalogs) as Language[];
  const all = new Set(langs.flatMap((l) => Object.keys(catalogs[l])));
  const out: string[] = [];
  for (const key of all) for (const l of langs) if (!(key in catalogs[l])) out.push(`${l}: ${key}`);
  return out;
}
