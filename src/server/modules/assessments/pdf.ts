/**
 * The printable assessment (pdfmake, pure JS): every shown question with its answer and origin,
 * the risk register, the sign-offs and the revision id in every footer.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Content, createPdf } from 'pdfmake';

type TDocumentDefinitions = Parameters<typeof createPdf>[0];
import { riskLevel, type Condition } from '../../../contracts/assessments.js';
import { iso } from '../../platform/dates.js';
import { isShown } from './answers.js';
import { answersByKey, OPERATOR_NAME } from './assessments.presenter.js';
import type { AssessmentListRow, RevisionContent } from './assessments.repo.js';

const require = createRequire(import.meta.url);
type PdfMake = {
  setFonts(f: unknown): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (p: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
};
let pdfmake: PdfMake | undefined;

/** pdfmake with the bundled Roboto fonts; no URL and no file outside the font folder may be read. */
function engine(): PdfMake {
  if (pdfmake) return pdfmake;
  const lib = require('pdfmake') as PdfMake;
  const fonts = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts/Roboto');
  lib.setFonts({
    Roboto: {
      normal: path.join(fonts, 'Roboto-Regular.ttf'),
      bold: path.join(fonts, 'Roboto-Medium.ttf'),
      italics: path.join(fonts, 'Roboto-Italic.ttf'),
      bolditalics: path.join(fonts, 'Roboto-MediumItalic.ttf'),
    },
  });
  // Security: answers hold user text; nothing in a document may make the server fetch or read.
  lib.setUrlAccessPolicy(() => false);
  lib.setLocalAccessPolicy((p) => path.resolve(p).startsWith(fonts));
  pdfmake = lib;
  return lib;
}

/** An answer as text for print. */
export function answerText(value: unknown, options: { choices?: { value: string; label: string }[]; columns?: { key: string; label: string }[] }): string {
  if (value === null || value === undefined || value === '') return '—';
  const label = (v: string) => options.choices?.find((c) => c.value === v)?.label ?? v;
  if (typeof value === 'string') return options.choices ? label(value) : value;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return value.map((v) => label(v as string)).join(', ') || '—';
    return value.map((row) => (options.columns ?? []).map((c) => `${c.label}: ${(row as Record<string, string>)[c.key] ?? ''}`).join('; ')).join('\n');
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('url' in o) return `${String(o.label || o.url)} (${String(o.url)})`;
    if ('likelihood' in o) return `Likelihood ${String(o.likelihood)} × impact ${String(o.impact)} = ${riskLevel(Number(o.likelihood), Number(o.impact))}${o.note ? ` — ${String(o.note)}` : ''}`;
  }
  return JSON.stringify(value);
}

const STATUS_WORDS: Record<string, string> = { draft: 'Draft', in_review: 'In review', approved: 'Approved', approved_with_conditions: 'Approved with conditions', rejected: 'Rejected' };

export async function renderAssessmentPdf(a: AssessmentListRow, c: RevisionContent, institutionName: string): Promise<Buffer> {
  const answers = answersByKey(c);
  const r = c.revision;
  const body: Content[] = [
    { text: a.title, style: 'title' },
    { text: `${institutionName} · ${a.appName}${a.vendor ? ` (${a.vendor})` : ''}`, margin: [0, 0, 0, 4] },
    {
      text: `Revision ${r.number} · ${STATUS_WORDS[r.status] ?? r.status}${c.templateVersionNumber ? ` · based on master version ${c.templateVersionNumber}` : ''}${r.decidedAt ? ` · decided ${iso(r.decidedAt).slice(0, 10)}` : ''}`,
      style: 'muted',
      margin: [0, 0, 0, 12],
    },
  ];
  if (r.conditions) body.push({ text: 'Conditions of use', style: 'h2' }, { text: r.conditions, margin: [0, 0, 0, 8] });
  for (const s of c.sections) {
    const shown = s.questions.filter((q) => !q.hidden && isShown((q.condition ?? null) as Condition | null, answers));
    if (!shown.length) continue;
    body.push({ text: `${s.code ? `${s.code}. ` : ''}${s.title}`, style: 'h2' });
    for (const q of shown) {
      const who = q.answer ? (q.answer.origin === 'operator' ? 'pre-answered by the operator' : `answered by ${q.answer.updatedByName ?? OPERATOR_NAME}`) : 'not answered';
      body.push({
        stack: [
          { text: q.prompt, bold: true },
          { text: answerText(q.answer?.value ?? null, q.options as never) },
          { text: `${q.origin === 'institution' ? 'Question added by the institution · ' : ''}${who}`, style: 'muted' },
        ],
        margin: [0, 0, 0, 6],
        unbreakable: true,
      });
    }
  }
  body.push({ text: 'Risk register', style: 'h2' });
  if (c.risks.length) {
    body.push({
      table: {
        headerRows: 1,
        widths: ['*', 'auto', 'auto', '*', 'auto', 'auto'],
        body: [
          ['Risk', 'L × I', 'Inherent', 'Mitigation', 'Owner', 'Residual'].map((h) => ({ text: h, bold: true })),
          ...c.risks.map((k) => [
            k.title,
            `${k.likelihood} × ${k.impact}`,
            riskLevel(k.likelihood, k.impact),
            k.mitigation || '—',
            k.owner || '—',
            k.residualLikelihood && k.residualImpact ? riskLevel(k.residualLikelihood, k.residualImpact) : '—',
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
      margin: [0, 0, 0, 8],
    });
  } else body.push({ text: 'No risks recorded.', style: 'muted' });
  body.push({ text: 'Sign-offs', style: 'h2' });
  if (c.signoffs.length) {
    body.push({
      table: {
        headerRows: 1,
        widths: ['auto', '*', 'auto', 'auto', '*'],
        body: [
          ['When', 'Who', 'Role', 'Decision', 'Comment'].map((h) => ({ text: h, bold: true })),
          ...c.signoffs.map((s) => [iso(s.at).slice(0, 16).replace('T', ' '), s.signerName, s.role, s.decision.replace(/_/g, ' '), s.comment || '—']),
        ],
      },
      layout: 'lightHorizontalLines',
    });
  } else body.push({ text: 'No sign-off yet.', style: 'muted' });
  const doc: TDocumentDefinitions = {
    info: { title: a.title, subject: `Revision ${r.number} (${r.id})` },
    pageSize: 'LETTER',
    pageMargins: [48, 48, 48, 56],
    content: body,
    footer: (page: number, pages: number) => ({ text: `Revision ${r.number} · id ${r.id} · page ${page} of ${pages}`, style: 'muted', margin: [48, 16, 48, 0] }),
    styles: { title: { fontSize: 18, bold: true, margin: [0, 0, 0, 6] }, h2: { fontSize: 13, bold: true, margin: [0, 10, 0, 4] }, muted: { fontSize: 8, color: '#555555' } },
    defaultStyle: { fontSize: 10 },
  };
  return engine().createPdf(doc).getBuffer();
}
