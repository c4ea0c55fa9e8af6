/**
 * The fixed wording of what the service writes about an assessment for people to read (the PDF,
 * the teacher and parent summaries, update emails), in English and French. Operator bank content
 * (prompts, choice labels) and what an institution typed are printed as written; everything the
 * service generates comes from here.
 */
import type { AssessmentStatus, RiskLevel } from '../../../contracts/assessments.js';
import type { Language } from '../../../contracts/domain.js';

export type SignoffRole = 'site_admin' | 'app_admin_approver' | 'app_admin' | 'operator' | 'system';
type SignoffDecision = 'submitted' | 'returned' | 'approved' | 'approved_with_conditions' | 'rejected' | 'reopened';

const en = {
  locale: 'en-CA',
  status: { draft: 'Draft', in_review: 'In review', approved: 'Approved', approved_with_conditions: 'Approved with conditions', rejected: 'Rejected' } satisfies Record<AssessmentStatus, string>,
  level: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' } satisfies Record<RiskLevel, string>,
  signoff: { submitted: 'submitted', returned: 'returned for changes', approved: 'approved', approved_with_conditions: 'approved with conditions', rejected: 'rejected', reopened: 'reopened' } satisfies Record<SignoffDecision, string>,
  role: { site_admin: 'Site administrator', app_admin_approver: 'App administrator (approver)', app_admin: 'App administrator', operator: 'Operator staff', system: 'System' } satisfies Record<SignoffRole, string>,
  yesNo: { yes: 'Yes', no: 'No', unsure: 'Unsure' } as Record<string, string>,
  operatorName: 'Vetted operator',
  defaultTitle: (app: string) => `Privacy impact assessment: ${app}`,
  pdf: {
    revisionLine: (n: number, status: string) => `Revision ${n} · ${status}`,
    basedOn: (n: number) => `based on master version ${n}`,
    decidedOn: (date: string) => `decided ${date}`,
    conditions: 'Conditions of use',
    preAnswered: 'pre-answered by the operator',
    enteredAtOnboarding: 'entered by the operator during onboarding',
    answeredByVendor: 'answered by the vendor, reviewed before it was published',
    answeredByVendorOn: (answered: string, reviewed: string) => `answered by the vendor on ${answered}, reviewed by the operator on ${reviewed}`,
    answeredBy: (name: string) => `answered by ${name}`,
    notAnswered: 'not answered',
    addedByInstitution: 'Question added by the institution',
    risk: (l: number, i: number, level: string, note: string) => `Likelihood ${l} × impact ${i} = ${level}${note ? ` — ${note}` : ''}`,
    riskRegister: 'Risk register',
    riskHeaders: ['Risk', 'L × I', 'Inherent', 'Mitigation', 'Owner', 'Residual'],
    noRisks: 'No risks recorded.',
    signoffs: 'Sign-offs',
    signoffHeaders: ['When', 'Who', 'Role', 'Decision', 'Comment'],
    noSignoffs: 'No sign-off yet.',
    subject: (n: number, id: string) => `Revision ${n} (${id})`,
    footer: (n: number, id: string, page: number, pages: number) => `Revision ${n} · id ${id} · page ${page} of ${pages}`,
  },
  summary: {
    decisionWords: {
      draft: 'is still being assessed',
      in_review: 'is being reviewed',
      approved: 'is approved',
      approved_with_conditions: 'is approved with conditions',
      rejected: 'is not approved',
    } satisfies Record<AssessmentStatus, string>,
    list: (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`),
    decided: (date: string) => ` (decided ${date})`,
    teacher: {
      headline: (app: string) => `${app}: what teachers need to know`,
      decision: 'Decision',
      decisionText: (app: string, words: string, institution: string, decided: string) => `${app} ${words} for use in ${institution}${decided}.`,
      grades: 'Grades',
      gradesText: (grades: string) => `Approved for grades ${grades}.`,
      conditions: 'Conditions of use',
      guidance: 'Guidance for teachers',
      careful: 'Take care with',
      carefulText: (elements: string) => `This app can hold ${elements}. Enter only what the lesson needs.`,
      before: 'Before you use it',
      beforeText: 'Do not use this app with students until it is approved.',
    },
    parent: {
      headline: (app: string) => `${app}: a summary for families`,
      why: 'Why the school uses it',
      uses: 'Information it uses',
      usesText: (app: string, elements: string) => `${app} uses your child’s ${elements}.`,
      where: 'Where the information is kept',
      whereText: (countries: string) => `It is stored in ${countries}.`,
      selling: 'Selling and advertising',
      sellingText: 'The vendor does not sell student information or use it for advertising.',
      decision: 'Our decision',
      decisionText: (institution: string, words: string, decided: string) => `After a privacy impact assessment, ${institution} decided the app ${words}${decided}.`,
      conditionsNote: ' Teachers follow conditions of use that limit what is shared.',
      questions: 'Questions',
      questionsText: 'Contact your school office to ask about this app or to see what information it holds about your child.',
    },
  },
  elements: {
    name: 'name', email: 'email address', username: 'username', student_id: 'student number', date_of_birth: 'date of birth', grade: 'grade',
    school: 'school', class_roster: 'class list', home_address: 'home address', phone: 'phone number', photo: 'photos', video: 'video',
    voice: 'voice recordings', biometric: 'biometric data', assessment_results: 'marks and assessment results', student_work: 'student work',
    behaviour: 'behaviour records', attendance: 'attendance', health: 'health information', special_education: 'special education information',
    indigenous_identity: 'Indigenous identity', ethnicity: 'ethnicity', gender: 'gender', religion: 'religion', family_information: 'family information',
    financial: 'financial information', government_id: 'government ID numbers', precise_location: 'precise location', device_usage: 'device and usage data',
    ip_address: 'IP address', browsing_history: 'browsing history', messages: 'messages', free_text: 'free-text entries', employment: 'employment information',
  } as Record<string, string>,
  /** Country names that read better with an article in a sentence. */
  countryInSentence: { US: 'the United States', GB: 'the United Kingdom', NL: 'the Netherlands' } as Record<string, string>,
};
export type PrintText = typeof en;

const fr: PrintText = {
  locale: 'fr-CA',
  status: { draft: 'Brouillon', in_review: 'En examen', approved: 'Approuvée', approved_with_conditions: 'Approuvée avec conditions', rejected: 'Refusée' },
  level: { low: 'faible', medium: 'moyen', high: 'élevé', critical: 'critique' },
  signoff: { submitted: 'soumise', returned: 'renvoyée pour modifications', approved: 'approuvée', approved_with_conditions: 'approuvée avec conditions', rejected: 'refusée', reopened: 'rouverte' },
  role: { site_admin: 'Administrateur du site', app_admin_approver: 'Administrateur des applications (approbateur)', app_admin: 'Administrateur des applications', operator: 'Personnel de l’opérateur', system: 'Système' },
  yesNo: { yes: 'Oui', no: 'Non', unsure: 'Incertain' },
  operatorName: 'Opérateur Vetted',
  defaultTitle: (app) => `Évaluation des facteurs relatifs à la vie privée : ${app}`,
  pdf: {
    revisionLine: (n, status) => `Révision ${n} · ${status}`,
    basedOn: (n) => `fondée sur la version maîtresse ${n}`,
    decidedOn: (date) => `décision du ${date}`,
    conditions: 'Conditions d’utilisation',
    preAnswered: 'réponse fournie par l’opérateur',
    enteredAtOnboarding: 'saisie par l’opérateur pendant l’intégration',
    answeredByVendor: 'réponse du fournisseur, examinée avant sa publication',
    answeredByVendorOn: (answered, reviewed) => `réponse du fournisseur du ${answered}, examinée par l’opérateur le ${reviewed}`,
    answeredBy: (name) => `réponse de ${name}`,
    notAnswered: 'sans réponse',
    addedByInstitution: 'Question ajoutée par l’établissement',
    risk: (l, i, level, note) => `Probabilité ${l} × impact ${i} = ${level}${note ? ` — ${note}` : ''}`,
    riskRegister: 'Registre des risques',
    riskHeaders: ['Risque', 'P × I', 'Inhérent', 'Atténuation', 'Responsable', 'Résiduel'],
    noRisks: 'Aucun risque consigné.',
    signoffs: 'Signatures',
    signoffHeaders: ['Quand', 'Qui', 'Rôle', 'Décision', 'Commentaire'],
    noSignoffs: 'Aucune signature pour l’instant.',
    subject: (n, id) => `Révision ${n} (${id})`,
    footer: (n, id, page, pages) => `Révision ${n} · id ${id} · page ${page} de ${pages}`,
  },
  summary: {
    decisionWords: {
      draft: 'est encore en cours d’évaluation',
      in_review: 'est en cours d’examen',
      approved: 'est approuvée',
      approved_with_conditions: 'est approuvée avec conditions',
      rejected: 'n’est pas approuvée',
    },
    list: (items) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`),
    decided: (date) => ` (décision du ${date})`,
    teacher: {
      headline: (app) => `${app} : ce que le personnel enseignant doit savoir`,
      decision: 'Décision',
      decisionText: (app, words, institution, decided) => `L’application ${app} ${words} pour utilisation à ${institution}${decided}.`,
      grades: 'Années d’études',
      gradesText: (grades) => `Approuvée pour les années d’études suivantes : ${grades}.`,
      conditions: 'Conditions d’utilisation',
      guidance: 'Conseils pour le personnel enseignant',
      careful: 'Soyez prudent avec',
      carefulText: (elements) => `Cette application peut contenir les renseignements suivants : ${elements}. N’y inscrivez que ce dont la leçon a besoin.`,
      before: 'Avant de l’utiliser',
      beforeText: 'N’utilisez pas cette application avec les élèves avant qu’elle soit approuvée.',
    },
    parent: {
      headline: (app) => `${app} : un résumé pour les familles`,
      why: 'Pourquoi l’école l’utilise',
      uses: 'Renseignements utilisés',
      usesText: (app, elements) => `${app} utilise les renseignements suivants sur votre enfant : ${elements}.`,
      where: 'Où les renseignements sont conservés',
      whereText: (countries) => `Ils sont conservés dans les pays suivants : ${countries}.`,
      selling: 'Vente et publicité',
      sellingText: 'Le fournisseur ne vend pas les renseignements des élèves et ne les utilise pas à des fins publicitaires.',
      decision: 'Notre décision',
      decisionText: (institution, words, decided) => `Après une évaluation des facteurs relatifs à la vie privée, ${institution} a décidé que l’application ${words}${decided}.`,
      conditionsNote: ' Le personnel enseignant respecte des conditions d’utilisation qui limitent ce qui est partagé.',
      questions: 'Questions',
      questionsText: 'Communiquez avec le secrétariat de votre école pour poser une question sur cette application ou pour savoir quels renseignements elle détient sur votre enfant.',
    },
  },
  elements: {
    name: 'nom', email: 'adresse courriel', username: 'nom d’utilisateur', student_id: 'numéro d’élève', date_of_birth: 'date de naissance', grade: 'année d’études',
    school: 'école', class_roster: 'liste de classe', home_address: 'adresse du domicile', phone: 'numéro de téléphone', photo: 'photos', video: 'vidéo',
    voice: 'enregistrements vocaux', biometric: 'données biométriques', assessment_results: 'notes et résultats d’évaluation', student_work: 'travaux d’élèves',
    behaviour: 'dossiers de comportement', attendance: 'assiduité', health: 'renseignements sur la santé', special_education: 'renseignements d’adaptation scolaire',
    indigenous_identity: 'identité autochtone', ethnicity: 'origine ethnique', gender: 'genre', religion: 'religion', family_information: 'renseignements familiaux',
    financial: 'renseignements financiers', government_id: 'numéros d’identité gouvernementaux', precise_location: 'localisation précise', device_usage: 'données d’appareil et d’utilisation',
    ip_address: 'adresse IP', browsing_history: 'historique de navigation', messages: 'messages', free_text: 'textes libres', employment: 'renseignements d’emploi',
  },
  countryInSentence: {},
};

const TEXTS: Record<Language, PrintText> = { en, fr };

/** The wording of printed outputs in `language`. */
export function printText(language: Language): PrintText {
  return TEXTS[language];
}

/** The key of a sign-off role label as stored (signoffs keep the English label of the time). */
export function roleKeyOf(stored: string): SignoffRole | null {
  return (Object.entries(en.role).find(([, label]) => label === stored)?.[0] as SignoffRole | undefined) ?? null;
}

/** A calendar day (`YYYY-MM-DD` or a timestamp) written out, e.g. "March 3, 2026" / "3 mars 2026". */
export function longDate(value: Date | string, language: Language): string {
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(TEXTS[language].locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

/** A moment with its time (UTC), for sign-off records. */
export function dateTime(value: Date | string, language: Language): string {
  return `${new Intl.DateTimeFormat(TEXTS[language].locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hour12: false }).format(new Date(value))} UTC`;
}

const regionNames: Partial<Record<Language, Intl.DisplayNames>> = {};
/** A country's name from its ISO code, as it reads in a sentence. */
export function countryName(code: string, language: Language): string {
  const inSentence = TEXTS[language].countryInSentence[code];
  if (inSentence) return inSentence;
  regionNames[language] ??= new Intl.DisplayNames([TEXTS[language].locale], { type: 'region' });
  try {
    return regionNames[language]!.of(code) ?? code;
  } catch {
    return code;
  }
}
