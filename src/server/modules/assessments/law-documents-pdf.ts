/** A document the law asks for, as a PDF (pdfmake, the same engine and fonts as the assessment's PDF). */
import type { Content, createPdf } from 'pdfmake';
import type { LawDocumentBody } from '../../../contracts/assessments.js';
import { LAW_TEXT } from './law-documents-text.js';
import { engine } from './pdf.js';
import { printText } from './print-text.js';

type TDocumentDefinitions = Parameters<typeof createPdf>[0];

export async function renderLawDocumentPdf(d: LawDocumentBody): Promise<Buffer> {
  const body: Content[] = [
    { text: d.title, style: 'title' },
    { text: d.basis, style: 'muted', margin: [0, 0, 0, 8] },
    { text: d.intro, margin: [0, 0, 0, 8] },
  ];
  for (const p of d.parts) body.push({ text: p.heading, style: 'h2' }, { text: p.text, italics: p.missing });
  if (d.rows.length) {
    body.push({
      table: {
        headerRows: 1,
        widths: ['auto', 'auto', '*', '*'],
        body: [
          LAW_TEXT[d.language].il.headers.map((h) => ({ text: h, bold: true })),
          ...d.rows.map((r) => [r.operator, r.app, r.dataElements, r.agreement]),
        ],
      },
      layout: 'lightHorizontalLines',
    });
  }
  const doc: TDocumentDefinitions = {
    info: { title: d.title },
    language: printText(d.language).locale,
    pageSize: 'LETTER',
    pageMargins: [48, 48, 48, 56],
    content: body,
    styles: { title: { fontSize: 16, bold: true, margin: [0, 0, 0, 6] }, h2: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] }, muted: { fontSize: 8, color: '#555555' } },
    defaultStyle: { fontSize: 10 },
  };
  return engine().createPdf(doc).getBuffer();
}
