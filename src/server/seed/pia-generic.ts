/**
 * The generic edtech PIA of the master bank, following sections A–K of PRODUCT.md. Questions carry
 * guidance for Canadian public bodies (BC FIPPA, Ontario MFIPPA, Nova Scotia PIIDPA) and US districts
 * (FERPA, COPPA, state student-privacy laws) where the law differs; jurisdiction tags say which.
 * Guidance summarises the law to orient the assessor; it is not legal advice, and the current text of
 * each act and direction prevails. Pure data: the bank seeder turns it into a published version.
 */
import type { BankQuestionInput, BankSectionInput, QuestionKind } from '../../contracts/assessments.js';
import { GRADE_LEVELS } from '../../contracts/domain.js';
import { GENERIC_QUESTIONS_FR, GENERIC_SECTIONS_FR, GENERIC_TEMPLATE_FR } from './pia-generic-fr.js';

type Extra = Partial<Omit<BankQuestionInput, 'key' | 'kind' | 'prompt' | 'guidance'>>;

/** One question with defaults (editable, optional, no pre-answer). */
function q(key: string, kind: QuestionKind, prompt: string, guidance: string, extra: Extra = {}): BankQuestionInput {
  return { key, kind, prompt, guidance, options: {}, required: false, locked: false, condition: null, jurisdictions: [], ...extra };
}
const choices = (...pairs: [string, string][]) => ({ choices: pairs.map(([value, label]) => ({ value, label })) });
const when = (questionKey: string, ...anyOf: string[]) => ({ condition: { questionKey, anyOf } });

export const GENERIC_TEMPLATE = {
  slug: 'generic-edtech-pia',
  title: 'Privacy impact assessment — educational technology (generic)',
  description:
    'The full assessment for any app used with students or staff: screening, purpose, data flows, legal authority and consent, use and disclosure, storage and residency, security, retention, agreements, risks and the decision. Canadian and US questions are tagged; hide the ones that do not apply to you.',
  jurisdictions: ['CA-generic', 'BC', 'ON', 'NS', 'US-generic', 'NY', 'CA'],
  fr: GENERIC_TEMPLATE_FR,
} as const;

/** The sections with their French (pia-generic-fr.ts) beside the English, by section and question key. */
function withFrench(sections: BankSectionInput[]): BankSectionInput[] {
  return sections.map((s) => {
    const sectionFr = GENERIC_SECTIONS_FR[s.key];
    return {
      ...s,
      ...(sectionFr ? { fr: sectionFr } : {}),
      questions: s.questions.map((question) => {
        const fr = GENERIC_QUESTIONS_FR[question.key];
        return fr ? { ...question, fr: { ...fr, choices: fr.choices ?? {}, columns: fr.columns ?? {} } } : question;
      }),
    };
  });
}

export function genericSections(): BankSectionInput[] {
  return withFrench([
    {
      key: 'a-screening',
      code: 'A',
      title: 'Screening',
      description: 'Decide how much assessment the app needs. A "yes" or "unsure" to any screening question calls for the full assessment.',
      questions: [
        q('a.personal_info', 'yes_no_unsure', 'Will the app collect, use, store or give access to personal information about students, staff, families or volunteers?',
          'Personal information is recorded information about an identifiable individual (BC FIPPA, Ontario MFIPPA). In the US, FERPA protects "education records": records directly related to a student and maintained by the school or by a party acting for it. Usernames, class lists, student work, voice recordings and device identifiers count when they can be linked to a person.',
          { required: true }),
        q('a.under_13', 'yes_no_unsure', 'Will children under 13 use the app, or will information about them be collected?',
          'COPPA applies to online services directed to children under 13 or that knowingly collect their information. In Canada there is no single age of consent; most boards treat students under 13 as needing parent involvement for optional services. Answer "yes" if any grade from JK to grade 7 will use the app.',
          { required: true }),
        q('a.sensitive', 'yes_no_unsure', 'Will the app hold sensitive information: health, special education, behaviour, biometrics, Indigenous identity, precise location, or photos, video or voice?',
          'Sensitive information raises the likely harm of a breach and, in BC, triggers a supplementary assessment before it is stored outside Canada. Special-category data under several US state laws (e.g. biometric data under Illinois BIPA) carries additional duties.'),
        q('a.ai', 'yes_no_unsure', 'Does the app use artificial intelligence on personal information (generative AI, automated scoring or feedback, recommendations)?',
          'Include features a teacher can switch on later. Automated decisions about students need human review and a way for families to ask how a result was produced.'),
        q('a.monitoring', 'yes_no_unsure', 'Does the app monitor students’ activity, messages, browsing or location?',
          'Monitoring tools need a clear, proportionate purpose, a published notice, limits on who sees alerts, and a short retention period. Continuous scanning of private messages is rarely proportionate.'),
        q('a.outcome', 'single_choice', 'Screening outcome',
          'A full assessment is required whenever personal information is involved. A short form suits apps that collect nothing beyond a teacher-created nickname.',
          { options: choices(['full', 'Full assessment required'], ['short', 'Short-form assessment'], ['none', 'No assessment needed: no personal information']) }),
      ],
    },
    {
      key: 'b-initiative',
      code: 'B',
      title: 'The initiative',
      description: 'What the app is for and who will use it.',
      questions: [
        q('b.purpose', 'long_text', 'What educational or operational purpose does the app serve?',
          'Name the learning outcome or business need, not the feature list. Collection must be necessary for this purpose (BC FIPPA s. 26, Ontario MFIPPA s. 28(2)); under FERPA the vendor may use records only for the purpose the district outsourced.',
          { required: true }),
        q('b.grades', 'multiple_choice', 'Which grades will use the app?', 'Choose every grade; the inventory item records the same for reports.', {
          options: choices(...GRADE_LEVELS.map((g): [string, string] => [g.toLowerCase(), g === 'ADULT' ? 'Adult education' : g === 'K' ? 'Kindergarten' : g === 'JK' ? 'Junior kindergarten' : `Grade ${g}`])),
        }),
        q('b.audiences', 'multiple_choice', 'Whose information does the app hold?', '', {
          options: choices(['students', 'Students'], ['employees', 'Employees'], ['parents', 'Parents and guardians'], ['alumni', 'Alumni'], ['volunteers', 'Volunteers']),
        }),
        q('b.account_model', 'single_choice', 'How do people get accounts?',
          'District single sign-on or rostering from the student information system keeps accounts under the institution’s control and ends access when a student leaves. Self sign-up by students with personal emails should be avoided.',
          { options: choices(['sso', 'District single sign-on (SAML, OIDC, Google, Microsoft)'], ['rostered', 'Rostered from the SIS (Clever, ClassLink, OneRoster)'], ['teacher_created', 'Created by the teacher'], ['self_signup', 'Self sign-up'], ['no_accounts', 'No accounts (join code or nickname)']) }),
        q('b.alternatives', 'long_text', 'Which alternatives were considered, including apps the institution already approved?',
          'An approved app that meets the need is usually the lower-risk choice.'),
        q('b.owner', 'short_text', 'Who is accountable for the app in the institution (role or team)?', 'A role, not a person: for example "Director of Learning Technologies".'),
      ],
    },
    {
      key: 'c-data',
      code: 'C',
      title: 'Data elements and flows',
      description: 'What the app collects, from whom, and why.',
      questions: [
        q('c.data_elements', 'data_elements', 'Which data elements does the app collect or generate?',
          'Include what the vendor derives (progress, scores, usage logs) and what users can type or upload (free text, photos). Sensitive elements are flagged in reports.'),
        q('c.flows', 'table_rows', 'For each audience, list the elements, whether each is required, where it comes from and why it is needed',
          'One row per element and audience. "Source" is the SIS sync, the student, the teacher, or the app itself.',
          { options: { columns: [{ key: 'audience', label: 'Audience' }, { key: 'element', label: 'Element' }, { key: 'required', label: 'Required?' }, { key: 'source', label: 'Source' }, { key: 'purpose', label: 'Purpose' }] } }),
        q('c.minimization', 'long_text', 'Which elements can be turned off or avoided?',
          'For example: first name and last initial only, no profile photos, sharing features off, nicknames for live games.'),
        q('c.ai_training', 'yes_no_unsure', 'Does the vendor use student or staff information to train or improve AI models?',
          'Training on student data is a secondary use. Require an opt-out by contract, or de-identification before any training.',
          when('a.ai', 'yes', 'unsure')),
        q('c.ai_detail', 'long_text', 'Describe the AI features, the information they use, and how a person reviews automated results',
          'Say which model provider processes prompts, where, and whether prompts are kept.', when('a.ai', 'yes', 'unsure')),
      ],
    },
    {
      key: 'd-authority',
      code: 'D',
      title: 'Authority, purpose and consent',
      description: 'The legal basis for the collection and what people are told.',
      questions: [
        q('d.authority_ca', 'single_choice', 'Under what authority is the personal information collected?',
          'BC: FIPPA s. 26(c) allows collection that relates directly to and is necessary for a program or activity of the public body. Ontario: MFIPPA s. 28(2) allows collection necessary to the proper administration of a lawfully authorized activity (here, the Education Act). Where neither applies, the feature must be optional and based on consent.',
          { options: choices(['fippa_26c', 'BC FIPPA s. 26(c): necessary for a program or activity'], ['mfippa_28_2', 'Ontario MFIPPA s. 28(2): necessary to a lawfully authorized activity'], ['education_act', 'Provincial Education / School Act'], ['consent', 'Consent of the individual or parent'], ['other', 'Other (explain in notes)']), jurisdictions: ['CA-generic', 'BC', 'ON'] }),
        q('d.ferpa_school_official', 'yes_no_unsure', 'Does the vendor qualify as a "school official" under FERPA?',
          'The vendor must perform a service the district would otherwise perform itself, be under the district’s direct control for the use and maintenance of education records, use them only for the authorized purpose and not re-disclose them (34 CFR 99.31(a)(1)(i)(B)). The district’s annual FERPA notice must describe who counts as a school official.',
          { jurisdictions: ['US-generic'] }),
        q('d.coppa_consent', 'single_choice', 'How is consent under COPPA handled for students under 13?',
          'A school may consent on parents’ behalf only where the vendor uses the information solely for the school’s educational purpose and for no commercial purpose (FTC guidance). Any other use needs verifiable parental consent.',
          { options: choices(['school_educational', 'School authorizes: educational use only, no commercial use'], ['parental', 'Verifiable parental consent is collected'], ['not_applicable', 'Not applicable']), jurisdictions: ['US-generic'], ...when('a.under_13', 'yes', 'unsure') }),
        q('d.notice', 'long_text', 'What notice of collection do students and families receive?',
          'BC FIPPA s. 27(2) and Ontario MFIPPA s. 29(2) require telling individuals the purpose, the legal authority, and the title and contact of an officer who can answer questions. In the US, include the app in the district’s online-services list and, in New York, the Parents’ Bill of Rights supplemental information (Education Law 2-d).'),
        q('d.optional_features', 'long_text', 'Which features are optional and require consent?',
          'Public sharing, social features, and marketing emails to families are typical examples.'),
      ],
    },
    {
      key: 'e-use',
      code: 'E',
      title: 'Use and disclosure',
      description: 'What the vendor does with the information, and who else receives it.',
      questions: [
        q('e.sale', 'yes_no_unsure', 'Does the vendor sell or rent personal information?',
          'Prohibited outright by many US state student-privacy laws (e.g. California SOPIPA, New York Education Law 2-d) and incompatible with the purpose limits of FIPPA/MFIPPA.'),
        q('e.marketing', 'yes_no_unsure', 'Is personal information used for marketing, including to families?', ''),
        q('e.targeted_ads', 'yes_no_unsure', 'Are targeted or behavioural advertisements shown to users?', 'Contextual ads to staff may be acceptable; targeted ads to students are not.'),
        q('e.tracking', 'yes_no_unsure', 'Does the app load third-party trackers or analytics that identify users?', 'Check the vendor’s cookie list or a browser’s network panel.'),
        q('e.profiling', 'yes_no_unsure', 'Does the vendor build profiles of students for purposes other than the school’s?', ''),
        q('e.subprocessors', 'table_rows', 'Which subprocessors receive personal information?',
          'Hosting, email delivery, analytics, captioning, AI model providers. Note each one’s country.',
          { options: { columns: [{ key: 'name', label: 'Subprocessor' }, { key: 'service', label: 'Service' }, { key: 'country', label: 'Country' }] } }),
        q('e.subprocessor_link', 'evidence_link', 'Link to the vendor’s published subprocessor list', ''),
        q('e.foreign_demands', 'long_text', 'How does the vendor respond to demands for data from courts or foreign governments?',
          'For Canadian institutions, a US-controlled vendor may be compelled under US law (e.g. the CLOUD Act) even for data stored in Canada. Look for a commitment to notify the institution and to challenge overbroad demands.',
          { jurisdictions: ['CA-generic', 'BC', 'ON', 'NS'] }),
      ],
    },
    {
      key: 'f-storage',
      code: 'F',
      title: 'Storage and residency',
      description: 'Where the information is stored, processed and accessed from.',
      questions: [
        q('f.storage_countries', 'country_list', 'In which countries is the information stored?', 'Include backups and disaster-recovery copies.'),
        q('f.processing_countries', 'country_list', 'In which countries is it processed?', 'Processing includes AI inference, captioning and email delivery.'),
        q('f.support_countries', 'country_list', 'From which countries can vendor staff access it (support, engineering)?', 'Remote access from another country is a disclosure outside the country of storage.'),
        q('f.outside_canada', 'yes_no_unsure', 'Is personal information stored in, or accessed from, outside Canada?', '', { jurisdictions: ['CA-generic', 'BC', 'ON', 'NS'] }),
        q('f.bc_sensitive_outside', 'yes_no_unsure', 'BC: is sensitive personal information disclosed to be stored outside Canada?',
          'Since the 2021 amendments, FIPPA s. 33.1 allows disclosure outside Canada, but the Minister’s direction requires a supplementary assessment of the risks before sensitive personal information is stored outside Canada. Record the assessment below.',
          { jurisdictions: ['BC'], ...when('f.outside_canada', 'yes', 'unsure') }),
        q('f.bc_supplementary', 'evidence_link', 'BC: link to the supplementary assessment', '', { jurisdictions: ['BC'], ...when('f.bc_sensitive_outside', 'yes', 'unsure') }),
        q('f.ns_approval', 'yes_no_unsure', 'Nova Scotia: has the head of the public body allowed storage or access outside Canada to meet the necessary requirements of its operation (PIIDPA s. 5(2))?',
          'PIIDPA requires personal information to be stored and accessed only in Canada unless the head allows otherwise; the decision must be reported.',
          { jurisdictions: ['NS'], ...when('f.outside_canada', 'yes', 'unsure') }),
        q('f.residency_notes', 'long_text', 'Notes on residency and the safeguards that apply abroad', ''),
      ],
    },
    {
      key: 'g-security',
      code: 'G',
      title: 'Security',
      description: 'Reasonable security arrangements (FIPPA s. 30, MFIPPA and Reg. 823; FERPA reasonable methods; state laws).',
      questions: [
        q('g.encryption_transit', 'yes_no_unsure', 'Is information encrypted in transit (TLS 1.2 or later)?', ''),
        q('g.encryption_rest', 'yes_no_unsure', 'Is information encrypted at rest?', ''),
        q('g.sign_in', 'multiple_choice', 'Which sign-in options will the institution use?', 'Prefer district single sign-on; disable local passwords where possible.', {
          options: choices(['saml', 'SAML 2.0'], ['oidc', 'OpenID Connect'], ['google', 'Google'], ['microsoft', 'Microsoft'], ['clever', 'Clever'], ['classlink', 'ClassLink'], ['local', 'Local passwords']),
        }),
        q('g.mfa', 'yes_no_unsure', 'Is multi-factor authentication available (and enforced) for staff and administrator accounts?', ''),
        q('g.audit_logs', 'yes_no_unsure', 'Can the institution see who accessed or exported personal information?', ''),
        q('g.certifications', 'multiple_choice', 'Which independent security attestations does the vendor hold?', 'Ask for the report, not the badge.', {
          options: choices(['soc2', 'SOC 2 Type II'], ['iso27001', 'ISO/IEC 27001'], ['iso27701', 'ISO/IEC 27701'], ['stateramp', 'StateRAMP'], ['none', 'None']),
        }),
        q('g.breach_window', 'single_choice', 'How quickly does the vendor notify the institution of a breach?',
          'The institution must in turn notify affected people and the commissioner (e.g. BC FIPPA s. 36.3 "without unreasonable delay"; many US state laws set fixed deadlines). A vendor commitment of 72 hours or less is common.',
          { options: choices(['24h', 'Within 24 hours'], ['72h', 'Within 72 hours'], ['7d', 'Within 7 days'], ['unspecified', 'Not specified']) }),
        q('g.security_link', 'evidence_link', 'Link to the vendor’s security documentation', ''),
        q('g.pentest_date', 'date', 'Date of the latest independent penetration test', ''),
      ],
    },
    {
      key: 'h-retention',
      code: 'H',
      title: 'Retention and individual rights',
      description: 'How long information is kept and how people exercise their rights.',
      questions: [
        q('h.retention', 'long_text', 'How long is information kept while the app is in use?', 'Voice, video and monitoring data should have the shortest periods.'),
        q('h.deletion', 'single_choice', 'What happens to the information at the end of the contract?', '', {
          options: choices(['auto_30d', 'Deleted automatically within 30 days'], ['request_30d', 'Deleted within 30 days of the institution’s request'], ['request_90d', 'Deleted within 90 days of a request'], ['not_committed', 'No commitment']),
        }),
        q('h.deletion_certificate', 'yes_no_unsure', 'Will the vendor certify the deletion in writing?', ''),
        q('h.backups', 'short_text', 'How long do backups keep deleted information?', ''),
        q('h.access_correction', 'long_text', 'How do students, families and staff see and correct their information?',
          'In Canada, access and correction requests go through the institution under FIPPA/MFIPPA; the vendor must help within the statutory time limits. Under FERPA, parents and eligible students may inspect and seek to amend education records, including those held by a school official.'),
      ],
    },
    {
      key: 'i-agreements',
      code: 'I',
      title: 'Agreements',
      description: 'The contract that binds the vendor to what this assessment relies on.',
      questions: [
        q('i.agreement_type', 'single_choice', 'What agreement covers the app?', 'Terms of service alone rarely meet the requirements above.', {
          options: choices(['sdpc_ndpa', 'SDPC National Data Privacy Agreement'], ['vendor_dpa', 'Vendor’s data processing agreement'], ['district_dpa', 'Institution’s own agreement'], ['terms_of_service', 'Terms of service only'], ['none', 'None']),
        }),
        q('i.signed', 'yes_no_unsure', 'Is the agreement signed?', ''),
        q('i.expires', 'date', 'When does the agreement expire?', 'Set the next review before this date.'),
        q('i.link', 'evidence_link', 'Link to the agreement', ''),
        q('i.policies_reviewed', 'date', 'When were the vendor’s privacy policy and terms last reviewed?', ''),
      ],
    },
    {
      key: 'j-risks',
      code: 'J',
      title: 'Risk register',
      description: 'Record each risk in the register of this assessment (likelihood × impact → inherent level; mitigation; residual level).',
      questions: [
        q('j.overall', 'risk', 'Overall privacy risk before mitigation (likelihood × impact, 1–5 each)',
          '1 = rare / negligible, 5 = almost certain / severe. Low ≤ 4, medium ≤ 9, high ≤ 16, critical above.'),
        q('j.summary', 'long_text', 'Summary of the main risks and how they are reduced', ''),
      ],
    },
    {
      key: 'k-decision',
      code: 'K',
      title: 'Decision and sign-off',
      description: 'The recommendation; the decision itself is recorded with the sign-off.',
      questions: [
        q('k.recommendation', 'single_choice', 'Assessor’s recommendation', '', {
          options: choices(['approve', 'Approve'], ['approve_with_conditions', 'Approve with conditions'], ['deny', 'Do not approve']),
        }),
        q('k.teacher_guidance', 'long_text', 'Guidance for teachers (conditions of use)',
          'Write what a teacher must do or avoid, in plain words: it appears in the teacher summary and on the public list.'),
        q('k.parent_notice', 'long_text', 'What families are told', 'Appears in the parent summary.'),
        q('k.next_review', 'date', 'Next review date', 'Review at least every two years, and whenever the vendor changes its terms or subprocessors.'),
      ],
    },
  ]);
}
