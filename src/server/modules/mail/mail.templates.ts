/**
 * Email templates: each renders a subject, a plain-text body and an HTML body, in English or French
 * (Canadian French), by the recipient's language. Every value put into HTML is escaped here; operator
 * text (a policy summary) is quoted as plain text, never as markup.
 */
import type { Language } from '../../../contracts/domain.js';
import type { ReminderCategory } from '../../../contracts/reminders.js';

/** A rendered email. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One block of a mail: a paragraph, a link (label + URL), or quoted operator text. */
type Block = { p: string } | { link: string; url: string } | { quote: string } | { rule: true };

function render(language: Language, subject: string, blocks: Block[]): RenderedMail {
  const sign = '— Vetted';
  const text = [
    ...blocks.map((b) => ('p' in b ? b.p : 'link' in b ? `${b.link}: ${b.url}` : 'quote' in b ? b.quote.trim() : '---')),
    sign,
  ].join('\n\n');
  const html = [
    '<!doctype html>',
    `<html lang="${language === 'fr' ? 'fr-CA' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40em">',
    ...blocks.map((b) =>
      'p' in b
        ? `<p>${escapeHtml(b.p)}</p>`
        : 'link' in b
          ? `<p><a href="${escapeHtml(b.url)}">${escapeHtml(b.link)}</a></p>`
          : 'rule' in b
            ? '<hr>'
            : `<blockquote style="white-space: pre-wrap; border-left: 3px solid #ccc; margin: 0; padding-left: 1em">${escapeHtml(b.quote.trim())}</blockquote>`,
    ),
    `<p>${escapeHtml(sign)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export interface PrivacyPolicyNoticeFacts {
  firstName: string;
  institutionName: string;
  versionLabel: string;
  effectiveOn: string;
  summary: string;
  link: string;
}

export interface InvitationFacts {
  firstName: string;
  institutionName: string;
  link: string;
}

/** One item of a reminder digest: the app's name, the days, the date as the reader reads it, and its link. */
export interface DigestLine {
  category: ReminderCategory;
  subject: string;
  days: number;
  date: string;
  url: string;
}

export interface ReminderDigestFacts {
  firstName: string;
  institutionName: string;
  lines: DigestLine[];
  /** The notification centre, where the choices are too. */
  link: string;
}

/** A digest line's sentence, by category and language. */
const DIGEST_SENTENCES: Record<ReminderCategory, Record<Language, (l: DigestLine) => string>> = {
  reviews: {
    en: (l) => (l.days === 0 ? `The review of ${l.subject} is due today (${l.date}).` : `The review of ${l.subject} is due in ${l.days} days (${l.date}).`),
    fr: (l) => (l.days === 0 ? `La révision de ${l.subject} est prévue aujourd’hui (${l.date}).` : `La révision de ${l.subject} est prévue dans ${l.days} jours (${l.date}).`),
  },
  agreements: {
    en: (l) => (l.days === 0 ? `The agreement for ${l.subject} expires today (${l.date}).` : `The agreement for ${l.subject} expires in ${l.days} days (${l.date}).`),
    fr: (l) => (l.days === 0 ? `L’entente pour ${l.subject} expire aujourd’hui (${l.date}).` : `L’entente pour ${l.subject} expire dans ${l.days} jours (${l.date}).`),
  },
  decisions: {
    en: (l) => `The assessment of ${l.subject} has waited ${l.days} days for a decision (submitted ${l.date}).`,
    fr: (l) => `L’évaluation de ${l.subject} attend une décision depuis ${l.days} jours (soumise le ${l.date}).`,
  },
  triage: {
    en: (l) => `A staff request for ${l.subject} has waited ${l.days === 1 ? '1 day' : `${l.days} days`} for triage (requested ${l.date}).`,
    fr: (l) => `Une demande du personnel pour ${l.subject} attend le triage depuis ${l.days} jour${l.days === 1 ? '' : 's'} (faite le ${l.date}).`,
  },
};

const DIGEST_HEADINGS: Record<ReminderCategory, Record<Language, string>> = {
  reviews: { en: 'Reviews due', fr: 'Révisions à faire' },
  agreements: { en: 'Agreements expiring', fr: 'Ententes qui expirent' },
  decisions: { en: 'Assessments waiting for a decision', fr: 'Évaluations en attente d’une décision' },
  triage: { en: 'Staff requests waiting for triage', fr: 'Demandes du personnel en attente de triage' },
};

function digestBlocks(language: Language, lines: DigestLine[]): Block[] {
  const blocks: Block[] = [];
  for (const category of Object.keys(DIGEST_HEADINGS) as ReminderCategory[]) {
    const mine = lines.filter((l) => l.category === category);
    if (!mine.length) continue;
    blocks.push({ p: DIGEST_HEADINGS[category][language] });
    for (const l of mine) blocks.push({ link: DIGEST_SENTENCES[category][language](l), url: l.url });
  }
  return blocks;
}

export interface StaffRequestDecisionFacts {
  institutionName: string;
  appName: string;
  decision: 'approved' | 'approved_with_conditions' | 'not_approved' | 'declined';
  /** The conditions of use for teachers (approved), or the reason (declined). */
  detail: string;
}

const DECISION_WORDS: Record<Language, Record<StaffRequestDecisionFacts['decision'], string>> = {
  en: {
    approved: 'approved',
    approved_with_conditions: 'approved with conditions',
    not_approved: 'not approved',
    declined: 'declined',
  },
  fr: {
    approved: 'approuvée',
    approved_with_conditions: 'approuvée avec conditions',
    not_approved: 'non approuvée',
    declined: 'refusée',
  },
};

export interface VendorInvitationFacts {
  productName: string;
  /** The questionnaire's link (its token in the query string). */
  link: string;
  /** The last day the link serves, as the reader reads it. */
  expiresOn: string;
}

export interface VendorReceivedFacts {
  productName: string;
}

/** The templates, by name, each in both languages. */
export const TEMPLATES = {
  'privacy-policy-notice': (language: Language, f: PrivacyPolicyNoticeFacts): RenderedMail =>
    language === 'fr'
      ? render(language, `Vetted modifie sa politique de confidentialité (version ${f.versionLabel})`, [
          { p: `Bonjour ${f.firstName},` },
          {
            p: `Vous recevez ce courriel parce que vous êtes administrateur ou administratrice de ${f.institutionName} dans Vetted. Nous avons apporté un changement important à notre politique de confidentialité; la version ${f.versionLabel} s’applique à compter du ${f.effectiveOn}.`,
          },
          { p: 'Résumé des changements :' },
          { quote: f.summary || '(aucun résumé)' },
          { link: 'Lire la politique de confidentialité', url: f.link },
        ])
      : render(language, `Vetted is changing its privacy policy (version ${f.versionLabel})`, [
          { p: `Hello ${f.firstName},` },
          {
            p: `You are receiving this email because you administer ${f.institutionName} in Vetted. We made a significant change to our privacy policy; version ${f.versionLabel} applies from ${f.effectiveOn}.`,
          },
          { p: 'Summary of the changes:' },
          { quote: f.summary || '(no summary)' },
          { link: 'Read the privacy policy', url: f.link },
        ]),

  'reminder-digest': (language: Language, f: ReminderDigestFacts): RenderedMail =>
    language === 'fr'
      ? render(language, `Vetted : ${f.lines.length} rappel${f.lines.length > 1 ? 's' : ''} pour ${f.institutionName}`, [
          { p: `Bonjour ${f.firstName},` },
          { p: `Voici vos rappels du jour pour ${f.institutionName}.` },
          ...digestBlocks(language, f.lines),
          { link: 'Vos notifications et vos choix de rappels', url: f.link },
        ])
      : render(language, `Vetted: ${f.lines.length} reminder${f.lines.length > 1 ? 's' : ''} for ${f.institutionName}`, [
          { p: `Hello ${f.firstName},` },
          { p: `Here are today’s reminders for ${f.institutionName}.` },
          ...digestBlocks(language, f.lines),
          { link: 'Your notifications and reminder choices', url: f.link },
        ]),

  /**
   * The invitee has no account yet, so no language of their own: the mail is in both, the
   * institution's language first (French in Quebec).
   */
  invitation: (language: Language, f: InvitationFacts): RenderedMail => {
    const blocks: Record<Language, { subject: string; blocks: Block[] }> = {
      en: {
        subject: `Your Vetted account for ${f.institutionName}`,
        blocks: [
          { p: `Hello ${f.firstName},` },
          { p: `You have been invited to Vetted, where ${f.institutionName} reviews the privacy of the apps its schools use.` },
          { p: 'Choose your password here (the link works once and expires in 7 days):' },
          { link: 'Choose my password', url: f.link },
        ],
      },
      fr: {
        subject: `Votre compte Vetted pour ${f.institutionName}`,
        blocks: [
          { p: `Bonjour ${f.firstName},` },
          { p: `Vous êtes invité·e à Vetted, où ${f.institutionName} évalue la confidentialité des applications utilisées dans ses écoles.` },
          { p: 'Choisissez votre mot de passe ici (lien à usage unique, valable 7 jours) :' },
          { link: 'Choisir mon mot de passe', url: f.link },
        ],
      },
    };
    const first = blocks[language];
    const second = blocks[language === 'fr' ? 'en' : 'fr'];
    return render(language, `${first.subject} / ${second.subject}`, [...first.blocks, { rule: true }, ...second.blocks]);
  },

  /**
   * The decision on a staff member's request for an app. The requester is not a user: no name, no
   * link to sign in; their address is erased once this is sent.
   */
  'vendor-questionnaire-invitation': (language: Language, f: VendorInvitationFacts): RenderedMail =>
    language === 'fr'
      ? render(language, `Questionnaire sur la protection des renseignements personnels : ${f.productName}`, [
          { p: 'Bonjour,' },
          {
            p: `Vetted aide des établissements scolaires à évaluer la protection des renseignements personnels dans les applications qu’ils utilisent. Nous vous invitons à répondre, au nom de votre entreprise, à un questionnaire sur ${f.productName}, en indiquant pour chaque réponse où elle est attestée (un lien ou un extrait) et à quelle date vous l’avez vérifiée.`,
          },
          { p: 'Vos réponses sont enregistrées au fur et à mesure; vous les soumettez une seule fois. Elles seront examinées avant d’être publiées.' },
          { link: 'Répondre au questionnaire', url: f.link },
          { p: `Ce lien est personnel et fonctionne jusqu’au ${f.expiresOn}. Aucun compte n’est créé. Votre adresse courriel sert uniquement à vous joindre pour ce questionnaire; elle est effacée lorsque vous le soumettez ou qu’il prend fin.` },
        ])
      : render(language, `Privacy questionnaire: ${f.productName}`, [
          { p: 'Hello,' },
          {
            p: `Vetted helps schools and districts assess the privacy of the apps they use. We invite you to answer, for your company, a questionnaire about ${f.productName}, saying for each answer where it is stated (a link or a quotation) and the day you checked it.`,
          },
          { p: 'Your answers are saved as you go; you submit them once. They are reviewed before they are published.' },
          { link: 'Answer the questionnaire', url: f.link },
          { p: `This link is personal and works until ${f.expiresOn}. No account is created. Your email address serves only to reach you about this questionnaire; it is erased when you submit it or it ends.` },
        ]),

  'vendor-questionnaire-received': (language: Language, f: VendorReceivedFacts): RenderedMail =>
    language === 'fr'
      ? render(language, `Réponses reçues : ${f.productName}`, [
          { p: 'Bonjour,' },
          { p: `Nous avons bien reçu vos réponses au questionnaire sur ${f.productName}. Elles seront examinées avant d’être publiées; le lien ne permet plus que de les consulter.` },
          { p: 'Votre adresse courriel a servi uniquement à vous écrire au sujet de ce questionnaire; elle est maintenant effacée.' },
        ])
      : render(language, `Answers received: ${f.productName}`, [
          { p: 'Hello,' },
          { p: `We received your answers to the questionnaire about ${f.productName}. They will be reviewed before they are published; the link now only shows them.` },
          { p: 'Your email address served only to write to you about this questionnaire; it is now erased.' },
        ]),

  'staff-request-decision': (language: Language, f: StaffRequestDecisionFacts): RenderedMail => {
    const word = DECISION_WORDS[language][f.decision];
    const approved = f.decision === 'approved' || f.decision === 'approved_with_conditions';
    return language === 'fr'
      ? render(language, `Votre demande pour ${f.appName} : ${word}`, [
          { p: 'Bonjour,' },
          { p: `${f.institutionName} a étudié votre demande pour l’application ${f.appName}. Décision : ${word}.` },
          ...(f.detail.trim() ? [{ p: approved ? 'Consignes pour le personnel enseignant :' : 'Motif :' }, { quote: f.detail }] : []),
          { p: 'Votre adresse courriel a servi uniquement à vous envoyer ce message; elle est maintenant effacée.' },
        ])
      : render(language, `Your request for ${f.appName}: ${word}`, [
          { p: 'Hello,' },
          { p: `${f.institutionName} has looked at your request for the app ${f.appName}. Decision: ${word}.` },
          ...(f.detail.trim() ? [{ p: approved ? 'Guidance for teachers:' : 'Reason:' }, { quote: f.detail }] : []),
          { p: 'Your email address served only to send you this message; it is now erased.' },
        ]);
  },
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateFacts<T extends TemplateName> = Parameters<(typeof TEMPLATES)[T]>[1];

/** Renders a template in a language. */
export function renderMail<T extends TemplateName>(template: T, language: Language, facts: TemplateFacts<T>): RenderedMail {
  return (TEMPLATES[template] as (l: Language, f: TemplateFacts<T>) => RenderedMail)(language, facts);
}

/**
 * A person's language for email: their own choice, else French for institutions in Quebec, else
 * English.
 */
export function mailLanguageOf(chosen: string | null | undefined, institution?: { country: string; subdivision: string } | null): Language {
  if (chosen === 'en' || chosen === 'fr') return chosen;
  return institution?.country === 'CA' && institution.subdivision === 'QC' ? 'fr' : 'en';
}
