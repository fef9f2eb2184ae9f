import type { Language } from '../domain/order.schema';
import { translator, type Catalogs } from './translate';
import { wizardEn, type WizardKey } from './wizard.en';
import { wizardRo } from './wizard.ro';

export type { WizardKey } from './wizard.en';

export const wizardCatalogs: Catalogs<WizardKey> = { en: wizardEn, ro: wizardRo };

export type WizardT = (key: WizardKey, vars?: Readonly<Record<string, string | number>>) => string;

export function wizardTranslator(language: Language): WizardT {
  return translator(wizardCatalogs, language);
}
