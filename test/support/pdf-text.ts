import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface PdfText {
  readonly pages: number;
  readonly text: string;
}

/**
 * A PDF's text, read by unpdf in a node process of its own: unpdf loads pdf.js with a dynamic
 * import, which jest's module sandbox refuses. That process runs this file, compiled.
 */
export function readPdf(pdf: Buffer): PdfText {
  const script = join(__dirname, '../../dist/test/support/pdf-text.js');
  return JSON.parse(
    execFileSync(process.execPath, [script], { input: pdf, encoding: 'utf8' }),
  ) as PdfText;
}

async function printPdfText(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { extractText, getDocumentProxy } = await import('unpdf');
  const document = await getDocumentProxy(new Uint8Array(Buffer.concat(chunks)));
  const { totalPages, text } = await extractText(document, { mergePages: true });
  process.stdout.write(JSON.stringify({ pages: totalPages, text } satisfies PdfText));
}

if (require.main === module) void printPdfText();
