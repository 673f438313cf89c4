import { join } from 'node:path';
import PDFDocument from 'pdfkit';

export interface FrenchPdf {
  readonly doc: PDFKit.PDFDocument;
  /** The whole file, once `doc.end()` was called. */
  readonly done: Promise<Buffer>;
}

/**
 * DejaVu Sans, embedded (subset) in every document: pdfkit's standard Helvetica is not embedded and
 * its encoding has no arrow, no “œ” beside “€”, no typographic apostrophe in every viewer. The
 * files sit beside `src` here and in `dist` (the build copies them).
 */
const FONTS = join(__dirname, '..', 'fonts');
export const PDF_FONT = 'Relais';
export const PDF_FONT_BOLD = 'Relais-Bold';

/** An A4 document in French (Belgium) that Relais writes, collected in memory as it is written. */
export function frenchPdf(info: { readonly title: string; readonly subject: string }): FrenchPdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: info.title, Author: 'Relais', Subject: info.subject },
    lang: 'fr-BE',
    font: join(FONTS, 'DejaVuSans.ttf'),
  });
  doc.registerFont(PDF_FONT, join(FONTS, 'DejaVuSans.ttf'));
  doc.registerFont(PDF_FONT_BOLD, join(FONTS, 'DejaVuSans-Bold.ttf'));
  doc.font(PDF_FONT);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}
