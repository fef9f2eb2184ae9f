import { describe, expect, it } from 'vitest';
import { emailCatalogs } from '../../../functions/shared/i18n/emails.catalog';
import { pdfCatalogs } from '../../../functions/shared/i18n/pdf.catalog';
import { stepLabels } from '../../../functions/shared/i18n/steps';
import { wizardCatalogs } from '../../../functions/shared/i18n/wizard.catalog';
import {
  MissingMessageError,
  catalogDifferences,
  format,
  messageArguments,
  translator,
  type Catalogs,
} from '../../../functions/shared/i18n/translate';

const catalogs: Catalogs<'hello' | 'licenses'> = {
  en: { hello: 'Hello, {name}!', licenses: '{count} licenses' },
  ro: { hello: 'Bună ziua, {name}!', licenses: '{count} licențe' },
};

describe('translator', () => {
  it('fills placeholders in the chosen language, diacritics intact', () => {
    expect(translator(catalogs, 'ro')('hello', { name: 'Ștefan' })).toBe('Bună ziua, Ștefan!');
    expect(translator(catalogs, 'en')('licenses', { count: 3 })).toBe('3 licenses');
  });

  it('throws for a key missing in the language', () => {
    const partial = { en: { hello: 'Hi' }, ro: {} } as unknown as Catalogs<'hello'>;

    expect(() => translator(partial, 'ro')('hello')).toThrow(MissingMessageError);
    expect(() => translator(partial, 'ro')('hello')).toThrow('Missing message "hello" (ro)');
  });

  it('throws for a placeholder without a value, naming it', () => {
    expect(() => format('Order {orderId} for {name}', { name: 'Ana' })).toThrow('No value for {orderId}');
  });

  it('leaves text without placeholders as it is', () => {
    expect(format('No braces here')).toBe('No braces here');
  });

  it('uses the language’s plural rules: Romanian counts from 20 take "de"', () => {
    const licenses = '{count, plural, one {# licență} few {# licențe} other {# de licențe}}';
    expect([1, 2, 19, 20, 50, 101].map((count) => format(licenses, { count }, 'ro'))).toEqual([
      '1 licență',
      '2 licențe',
      '19 licențe',
      '20 de licențe',
      '50 de licențe',
      '101 licențe',
    ]);
  });

  it('keeps "<" and apostrophes as text', () => {
    expect(format("it's <b>{name}</b>", { name: 'Ana' })).toBe("it's <b>Ana</b>");
  });
});

describe('catalogDifferences', () => {
  it('lists keys present in one language and not in another', () => {
    const uneven = { en: { a: 'A', b: 'B' }, ro: { a: 'A', c: 'C' } } as unknown as Catalogs;

    expect(catalogDifferences(uneven).sort()).toEqual(['en: c', 'ro: b']);
  });

  it('finds none in the step labels', () => {
    expect(catalogDifferences(stepLabels)).toEqual([]);
  });
});

describe('the project’s catalogs', () => {
  const all = {
    steps: stepLabels,
    emails: emailCatalogs,
    pdf: pdfCatalogs,
    wizard: wizardCatalogs,
  } as Record<string, Catalogs>;
  const placeholders = messageArguments;

  it.each(Object.keys(all))('%s: every key exists in English and Romanian', (name) => {
    expect(catalogDifferences(all[name] as Catalogs)).toEqual([]);
  });

  it.each(Object.keys(all))('%s: both languages use the same placeholders in each message', (name) => {
    const catalog = all[name] as Catalogs;
    const mismatched = Object.keys(catalog.en).filter(
      (key) =>
        JSON.stringify(placeholders(catalog.en[key] ?? '')) !==
        JSON.stringify(placeholders(catalog.ro[key] ?? '')),
    );

    expect(mismatched).toEqual([]);
  });
});
