import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogDifferences, messageArguments } from '../../functions/shared/i18n/translate';
import { wizardCatalogs } from '../../functions/shared/i18n/wizard.catalog';
import { wizardEn } from '../../functions/shared/i18n/wizard.en';
import { wizardRo } from '../../functions/shared/i18n/wizard.ro';
import { BUSINESS_VERTICALS } from '../../functions/shared/domain/org.schema';

describe('wizard catalogs', () => {
  it('have the same keys in English and Romanian', () => {
    expect(catalogDifferences(wizardCatalogs)).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const names = messageArguments;
    for (const key of Object.keys(wizardEn) as (keyof typeof wizardEn)[]) {
      expect(names(wizardRo[key]), key).toEqual(names(wizardEn[key]));
    }
  });

  it('have no empty message, and Romanian uses comma-below ș and ț, not the cedilla forms', () => {
    for (const [key, value] of Object.entries(wizardRo)) {
      expect(value.trim(), key).not.toBe('');
      expect(value, key).not.toMatch(/[şţŞŢ]/);
    }
  });

  it('name every business vertical', () => {
    for (const v of BUSINESS_VERTICALS) expect(wizardEn[`vertical.${v}`]).toBeTruthy();
  });

  it('carry the source document’s wording', () => {
    expect(wizardRo['org.associated']).toBe(
      'Pe baza adresei dvs. de e-mail, am asociat comanda dvs. cu organizația dvs.',
    );
    expect(wizardRo['org.matched']).toBe('Am găsit organizații care se potrivesc pe baza adresei de e-mail.');
    expect(wizardRo['org.none']).toBe('Nu s-a găsit nicio organizație care să se potrivească.');
    expect(wizardRo['review.selfSetup']).toBe('Clientul meu își va configura propriile servicii');
    expect(wizardRo['service.now']).toBe('Configurați acum');
    expect(wizardRo['service.later']).toBe('Configurați mai târziu');
    expect(wizardRo['meetings.addSite']).toBe('Am nevoie de adrese URL suplimentare');
    expect(wizardRo['done.download']).toBe('Descărcare rezumat comandă (PDF)');
    expect(wizardEn['done.download']).toBe('Download order summary (PDF)');
    expect(wizardEn['review.provisioningAdmin']).toBe('Provisioning admin');
  });

  it('hold every key the pages use (a key missing from the catalog is a type error and fails here too)', () => {
    const dir = join(process.cwd(), 'functions/resume');
    const files = [...readdirSync(dir), ...readdirSync(join(dir, 'pages')).map((f) => `pages/${f}`)].filter(
      (f) => f.endsWith('.ts'),
    );
    const used = new Set<string>();
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const m of source.matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z.-]+)'/g)) used.add(m[1] ?? '');
    }
    expect(used.size).toBeGreaterThan(50);
    for (const key of used) expect(Object.keys(wizardEn), key).toContain(key);
  });
});
