/** Test helpers of this module: a small bank template touching every question kind. */
import type { BankSectionInput } from '../../src/contracts/assessments.js';

let n = 0;
/** A unique template key. */
export const uniqueSlug = (prefix = 'tpl') => `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}`;

/** The French of a test template (every published template holds both languages). */
export const SAMPLE_TEMPLATE_FR = { title: 'EFVP d’essai', description: '' };

/** The French of the sample's sections and questions, by key (the bank publishes nothing untranslated). */
const SAMPLE_FR: Record<string, { prompt?: string; title?: string; guidance?: string; choices?: Record<string, string>; columns?: Record<string, string> }> = {
  screening: { title: 'Examen préliminaire' },
  storage: { title: 'Stockage et lieu d’hébergement' },
  'screen.personal': { prompt: 'L’application recueille-t-elle des renseignements personnels?', guidance: 'Les noms comptent.' },
  'screen.under13': { prompt: 'Des élèves de moins de 13 ans l’utiliseront-ils?' },
  'screen.under13_detail': { prompt: 'Comment le consentement parental est-il obtenu?', guidance: 'COPPA : l’école peut consentir pour un usage éducatif seulement.' },
  'storage.countries': { prompt: 'Où les données sont-elles stockées?' },
  'storage.purpose': { prompt: 'À quoi sert l’application?' },
  'storage.encryption': { prompt: 'Les données sont-elles chiffrées au repos?', choices: { aes256: 'AES-256', none: 'Non' } },
  'storage.elements': { prompt: 'Quels éléments de données?' },
  'storage.flows': { prompt: 'Flux de données', columns: { element: 'Élément', purpose: 'Finalité' } },
  'storage.evidence': { prompt: 'Lien vers la page de sécurité du fournisseur' },
  'storage.risk': { prompt: 'Risque de communication à l’extérieur du Canada' },
  'storage.date': { prompt: 'Quand l’examen de sécurité a-t-il été fait?' },
  'storage.multi': { prompt: 'Certifications', choices: { soc2: 'SOC 2', iso27001: 'ISO 27001' } },
  'storage.retired': { prompt: 'Une question que la version 2 retire' },
};

/** Gives each section and question of `sections` its French from SAMPLE_FR (a question it lacks keeps none). */
export function withSampleFrench(sections: BankSectionInput[]): BankSectionInput[] {
  return sections.map((s) => ({
    ...s,
    ...(SAMPLE_FR[s.key]?.title ? { fr: { title: SAMPLE_FR[s.key]!.title!, description: '' } } : {}),
    questions: s.questions.map((q) => {
      const f = SAMPLE_FR[q.key];
      return f?.prompt ? { ...q, fr: { prompt: f.prompt, guidance: f.guidance ?? '', choices: f.choices ?? {}, columns: f.columns ?? {} } } : q;
    }),
  }));
}

/** Two sections; `screen.personal` is required; `screen.under13_detail` shows only when under-13 is "yes". Both languages. */
export function sampleSections(overrides: { storageAnswer?: string[]; purposePrompt?: string } = {}): BankSectionInput[] {
  return withSampleFrench([
    {
      key: 'screening',
      code: 'A',
      title: 'Screening',
      description: '',
      questions: [
        { key: 'screen.personal', kind: 'yes_no_unsure', prompt: 'Does the app collect personal information?', guidance: 'Names count.', options: {}, required: true, locked: true, preAnswer: 'yes', condition: null, jurisdictions: [] },
        { key: 'screen.under13', kind: 'yes_no_unsure', prompt: 'Will students under 13 use it?', guidance: '', options: {}, required: false, locked: false, condition: null, jurisdictions: ['CA-generic', 'US-generic'] },
        {
          key: 'screen.under13_detail',
          kind: 'long_text',
          prompt: 'How is parental consent obtained?',
          guidance: 'COPPA: the school may consent for educational use only.',
          options: {},
          required: false,
          locked: false,
          condition: { questionKey: 'screen.under13', anyOf: ['yes'] },
          jurisdictions: ['CA-generic', 'US-generic'],
        },
      ],
    },
    {
      key: 'storage',
      code: 'F',
      title: 'Storage and residency',
      description: '',
      questions: [
        { key: 'storage.countries', kind: 'country_list', prompt: 'Where is data stored?', guidance: '', options: {}, required: false, locked: false, preAnswer: overrides.storageAnswer ?? ['US'], condition: null, jurisdictions: [] },
        { key: 'storage.purpose', kind: 'short_text', prompt: overrides.purposePrompt ?? 'What is the app for?', guidance: '', options: {}, required: false, locked: false, condition: null, jurisdictions: [] },
        {
          key: 'storage.encryption',
          kind: 'single_choice',
          prompt: 'Is data encrypted at rest?',
          guidance: '',
          options: { choices: [{ value: 'aes256', label: 'AES-256' }, { value: 'none', label: 'No' }] },
          required: false,
          locked: false,
          preAnswer: 'aes256',
          condition: null,
          jurisdictions: [],
        },
        { key: 'storage.elements', kind: 'data_elements', prompt: 'Which data elements?', guidance: '', options: {}, required: false, locked: false, condition: null, jurisdictions: [] },
        { key: 'storage.flows', kind: 'table_rows', prompt: 'Data flows', guidance: '', options: { columns: [{ key: 'element', label: 'Element' }, { key: 'purpose', label: 'Purpose' }] }, required: false, locked: false, condition: null, jurisdictions: [] },
        { key: 'storage.evidence', kind: 'evidence_link', prompt: 'Link to the vendor’s security page', guidance: '', options: {}, required: false, locked: false, condition: null, jurisdictions: [] },
        { key: 'storage.risk', kind: 'risk', prompt: 'Risk of disclosure outside Canada', guidance: '', options: {}, required: false, locked: false, condition: null, jurisdictions: ['BC'] },
        { key: 'storage.date', kind: 'date', prompt: 'When was the security review done?', guidance: '', options: {}, required: false, locked: false, condition: null, jurisdictions: [] },
        { key: 'storage.multi', kind: 'multiple_choice', prompt: 'Certifications', guidance: '', options: { choices: [{ value: 'soc2', label: 'SOC 2' }, { value: 'iso27001', label: 'ISO 27001' }] }, required: false, locked: false, condition: null, jurisdictions: [] },
        { key: 'storage.retired', kind: 'short_text', prompt: 'A question version 2 removes', guidance: '', options: {}, required: false, locked: false, condition: null, jurisdictions: [] },
      ],
    },
  ]);
}
