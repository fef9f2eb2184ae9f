import type { Catalogs } from './translate';
import { pdfEn, type PdfMessageKey } from './pdf.en';
import { pdfRo } from './pdf.ro';

export type { PdfMessageKey } from './pdf.en';

/** The order summary PDF's message catalogs, one per language. */
export const pdfCatalogs: Catalogs<PdfMessageKey> = { en: pdfEn, ro: pdfRo };
