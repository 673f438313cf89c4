import PDFDocument from 'pdfkit';

export interface FrenchPdf {
  readonly doc: PDFKit.PDFDocument;
  /** The whole file, once `doc.end()` was called. */
  readonly done: Promise<Buffer>;
}

/** An A4 document in French (Belgium) that Relais writes, collected in memory as it is written. */
export function frenchPdf(info: { readonly title: string; readonly subject: string }): FrenchPdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: info.title, Author: 'Relais', Subject: info.subject },
    lang: 'fr-BE',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}
