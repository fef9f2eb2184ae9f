import type { Catalogs } from './translate';
import { emailsEn, type EmailMessageKey } from './emails.en';
import { emailsRo } from './emails.ro';

export type { EmailMessageKey } from './emails.en';

/** The email message catalogs, one per language. */
export const emailCatalogs: Catalogs<EmailMessageKey> = { en: emailsEn, ro: emailsRo };
