/**
 * The printable assessment (pdfmake, pure JS): every shown question with its answer and origin,
 * the risk register, the sign-offs and the revision id in every footer.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Content, createPdf } from 'pdfmake';

type TDocumentDefinitions = Parameters<typeof createPdf>[0];
import { riskLevel, type AssessmentStatus, type Condition, type QuestionKind } from '../../../contracts/assessments.js';
import type { Language } from '../../../contracts/domain.js';
import { isShown } from './answers.js';
import { answersByKey } from './assessments.presenter.js';
import type { AssessmentListRow, RevisionContent } from './assessments.repo.js';
import { countryName, dateTime, longDate, printText, roleKeyOf } from './print-text.js';

const require = createRequire(import.meta.url);
type PdfMake = {
  setFonts(f: unknown): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (p: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
};
let pdfmake: PdfMake | undefined;

/** pdfmake with the bundled Roboto fonts; no URL and no file outside the font folder may be read. */
export function engine(): PdfMake {
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

/** An answer as text for print: operator choice labels as written, generated words in `language`. */
export function answerText(
  value: unknown,
  kind: QuestionKind,
  options: { choices?: { value: string; label: string }[]; columns?: { key: string; label: string }[] },
  language: Language,
): string {
  const text = printText(language);
  if (value === null || value === undefined || value === '') return '—';
  const label = (v: string) => options.choices?.find((c) => c.value === v)?.label ?? v;
  if (typeof value === 'string') {
    if (kind === 'yes_no_unsure') return text.yesNo[value] ?? value;
    if (kind === 'date') return longDate(value, language);
    return options.choices ? label(value) : value;
  }
  if (Array.isArray(value)) {
    if (kind === 'country_list') return value.map((v) => countryName(String(v), language)).join(', ') || '—';
    if (kind === 'data_elements') return value.map((v) => text.elements[String(v)] ?? String(v)).join(', ') || '—';
    if (value.every((v) => typeof v === 'string')) return value.map((v) => label(v as string)).join(', ') || '—';
    return value
      .map((row) => (options.columns ?? []).map((c) => `${c.label}: ${(row as Record<string, string>)[c.key] ?? ''}`).join('; '))
      .join('\n');
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('url' in o) return `${String(o.label || o.url)} (${String(o.url)})`;
    if ('likelihood' in o) {
      const level = text.level[riskLevel(Number(o.likelihood), Number(o.impact))];
      return text.pdf.risk(Number(o.likelihood), Number(o.impact), level, o.note ? String(o.note) : '');
    }
  }
  return JSON.stringify(value);
}

/** The assessment's title; the default one the service wrote at creation reads in `language`. */
export function displayTitle(a: Pick<AssessmentListRow, 'title' | 'appName'>, language: Language): string {
  return a.title === printText('en').defaultTitle(a.appName) ? printText(language).defaultTitle(a.appName) : a.title;
}

/** A sign-off role as stored (the English label of the time) in `language`. */
function roleText(stored: string, language: Language): string {
  const key = roleKeyOf(stored);
  return key ? printText(language).role[key] : stored;
}

export async function renderAssessmentPdf(
  a: AssessmentListRow,
  c: RevisionContent,
  institutionName: string,
  language: Language,
): Promise<Buffer> {
  const text = printText(language);
  const w = text.pdf;
  const answers = answersByKey(c);
  const r = c.revision;
  const title = displayTitle(a, language);
  const facts = [w.revisionLine(r.number, text.status[r.status as AssessmentStatus] ?? r.status)];
  if (c.templateVersionNumber) facts.push(w.basedOn(c.templateVersionNumber));
  if (r.decidedAt) facts.push(w.decidedOn(longDate(r.decidedAt, language)));
  const body: Content[] = [
    { text: title, style: 'title' },
    { text: `${institutionName} · ${a.appName}${a.vendor ? ` (${a.vendor})` : ''}`, margin: [0, 0, 0, 4] },
    { text: facts.join(' · '), style: 'muted', margin: [0, 0, 0, 12] },
  ];
  if (r.conditions) body.push({ text: w.conditions, style: 'h2' }, { text: r.conditions, margin: [0, 0, 0, 8] });
  for (const s of c.sections) {
    const shown = s.questions.filter((q) => !q.hidden && isShown((q.condition ?? null) as Condition | null, answers));
    if (!shown.length) continue;
    body.push({ text: `${s.code ? `${s.code}. ` : ''}${s.title}`, style: 'h2' });
    for (const q of shown) {
      const who = q.answer
        ? q.answer.origin === 'operator'
          ? w.preAnswered
          : q.answer.origin === 'onboarding'
            ? w.enteredAtOnboarding
            : q.answer.origin === 'vendor'
              ? q.answer.vendorAnsweredOn && q.answer.reviewedOn
                ? w.answeredByVendorOn(longDate(q.answer.vendorAnsweredOn, language), longDate(q.answer.reviewedOn, language))
                : w.answeredByVendor
              : w.answeredBy(q.answer.updatedByName ?? text.operatorName)
        : w.notAnswered;
      body.push({
        stack: [
          { text: q.prompt, bold: true },
          { text: answerText(q.answer?.value ?? null, q.kind as QuestionKind, q.options as never, language) },
          { text: `${q.origin === 'institution' ? `${w.addedByInstitution} · ` : ''}${who}`, style: 'muted' },
        ],
        margin: [0, 0, 0, 6],
        unbreakable: true,
      });
    }
  }
  body.push({ text: w.riskRegister, style: 'h2' });
  if (c.risks.length) {
    body.push({
      table: {
        headerRows: 1,
        widths: ['*', 'auto', 'auto', '*', 'auto', 'auto'],
        body: [
          w.riskHeaders.map((h) => ({ text: h, bold: true })),
          ...c.risks.map((k) => [
            k.title,
            `${k.likelihood} × ${k.impact}`,
            text.level[riskLevel(k.likelihood, k.impact)],
            k.mitigation || '—',
            k.owner || '—',
            k.residualLikelihood && k.residualImpact ? text.level[riskLevel(k.residualLikelihood, k.residualImpact)] : '—',
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
      margin: [0, 0, 0, 8],
    });
  } else body.push({ text: w.noRisks, style: 'muted' });
  body.push({ text: w.signoffs, style: 'h2' });
  if (c.signoffs.length) {
    body.push({
      table: {
        headerRows: 1,
        widths: ['auto', '*', 'auto', 'auto', '*'],
        body: [
          w.signoffHeaders.map((h) => ({ text: h, bold: true })),
          ...c.signoffs.map((s) => [
            dateTime(s.at, language),
            s.signerName,
            roleText(s.role, language),
            text.signoff[s.decision as keyof typeof text.signoff] ?? s.decision,
            s.comment || '—',
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
    });
  } else body.push({ text: w.noSignoffs, style: 'muted' });
  const doc: TDocumentDefinitions = {
    info: { title, subject: w.subject(r.number, r.id) },
    language: text.locale,
    pageSize: 'LETTER',
    pageMargins: [48, 48, 48, 56],
    content: body,
    footer: (page: number, pages: number) => ({ text: w.footer(r.number, r.id, page, pages), style: 'muted', margin: [48, 16, 48, 0] }),
    styles: {
      title: { fontSize: 18, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 13, bold: true, margin: [0, 10, 0, 4] },
      muted: { fontSize: 8, color: '#555555' },
    },
    defaultStyle: { fontSize: 10 },
  };
  return engine().createPdf(doc).getBuffer();
}
