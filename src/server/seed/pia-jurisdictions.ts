/**
 * The questions each jurisdiction's law adds to the generic PIA: one section for Canada's provinces
 * and territories, one for US federal and state law. Every question is tagged with the jurisdictions
 * it applies to, so an institution sees only its own country's and its province's or state's. Written
 * in English and Canadian French from the public text of each act and its regulator's guidance (see
 * docs/bank-sources.md). Guidance summarises the law to orient the assessor; it is not legal advice,
 * and the current text of each act prevails. Pure data: the bank seeder appends it to the generic PIA.
 */
import type { BankQuestionInput, BankSectionInput, Condition, Jurisdiction, QuestionKind } from '../../contracts/assessments.js';

/** A choice: its value, its English label, its French label. */
type Choice = [value: string, en: string, fr: string];
interface Extra {
  choices?: Choice[];
  condition?: Condition;
  required?: boolean;
}

/** One question in English and French, tagged with the jurisdictions it applies to. */
function q(key: string, kind: QuestionKind, jurisdictions: Jurisdiction[], en: [prompt: string, guidance: string], fr: [prompt: string, guidance: string], extra: Extra = {}): BankQuestionInput {
  const choices = extra.choices ?? [];
  return {
    key,
    kind,
    prompt: en[0],
    guidance: en[1],
    options: choices.length ? { choices: choices.map(([value, label]) => ({ value, label })) } : {},
    required: extra.required ?? false,
    locked: false,
    condition: extra.condition ?? null,
    jurisdictions,
    fr: { prompt: fr[0], guidance: fr[1], choices: Object.fromEntries(choices.map(([value, , label]) => [value, label])), columns: {} },
  };
}
const when = (questionKey: string, ...anyOf: string[]): Extra => ({ condition: { questionKey, anyOf } });

const NOT_ADVICE_EN = 'A summary of the law to orient the assessment, not legal advice; the current text of the act prevails.';
const NOT_ADVICE_FR = 'Résumé de la loi pour orienter l’évaluation; ce n’est pas un avis juridique et le texte en vigueur de la loi prévaut.';

/**
 * A province's or territory's two common questions: the authority to collect under its public-sector
 * privacy act, and the vendor's part in the act's safeguards and breach duties.
 */
function provincial(code: Jurisdiction, place: [en: string, fr: string], act: [en: string, fr: string], authority: [en: string, fr: string], breach: [en: string, fr: string]): BankQuestionInput[] {
  const k = code.toLowerCase();
  return [
    q(`l.${k}.authority`, 'yes_no_unsure', [code],
      [`${place[0]}: is each element collected necessary for a program or activity of the school body, as the ${act[0]} requires?`, `${authority[0]} ${NOT_ADVICE_EN}`],
      [`${place[1]} : chaque élément recueilli est-il nécessaire à un programme ou à une activité de l’organisme scolaire, comme l’exige la ${act[1]}?`, `${authority[1]} ${NOT_ADVICE_FR}`]),
    q(`l.${k}.safeguards`, 'yes_no_unsure', [code],
      [`${place[0]}: does the agreement bind the vendor to the security and breach duties the ${act[0]} places on the school body?`, `${breach[0]} ${NOT_ADVICE_EN}`],
      [`${place[1]} : l’entente oblige-t-elle le fournisseur à respecter les obligations de sécurité et d’atteinte à la vie privée que la ${act[1]} impose à l’organisme scolaire?`, `${breach[1]} ${NOT_ADVICE_FR}`]),
  ];
}

/** Canada: the public-sector privacy law of every province and territory, as it applies to school bodies. */
function canadaSection(): BankSectionInput {
  return {
    key: 'l-provinces',
    code: 'L',
    title: 'Provincial and territorial law',
    description: `What the privacy law of your province or territory adds to the assessment. Only your own jurisdiction’s questions are shown. ${NOT_ADVICE_EN}`,
    fr: {
      title: 'Lois provinciales et territoriales',
      description: `Ce que la loi sur la protection de la vie privée de votre province ou territoire ajoute à l’évaluation. Seules les questions de votre administration sont affichées. ${NOT_ADVICE_FR}`,
    },
    questions: [
      // British Columbia
      q('l.bc.pia_directions', 'yes_no_unsure', ['BC'],
        ['BC: is this assessment done in accordance with the minister’s directions on privacy impact assessments (FIPPA s. 69)?',
          `Since the 2021 amendments, FIPPA s. 69 requires every public body, school districts included, to conduct a privacy impact assessment for a new or significantly revised system, project, program or activity, following the directions of the responsible minister. ${NOT_ADVICE_EN}`],
        ['C.-B. : cette évaluation est-elle faite conformément aux directives du ministre sur les évaluations des facteurs relatifs à la vie privée (FIPPA, art. 69)?',
          `Depuis les modifications de 2021, l’article 69 de la FIPPA oblige tout organisme public, y compris les districts scolaires, à effectuer une évaluation des facteurs relatifs à la vie privée pour un système, un projet, un programme ou une activité nouveaux ou modifiés de façon importante, selon les directives du ministre responsable. ${NOT_ADVICE_FR}`]),
      q('l.bc.outside_history', 'long_text', ['BC'],
        ['BC: how was storage of, and access to, personal information outside Canada assessed for this app?',
          `Until November 2021, FIPPA s. 30.1 required personal information to be stored and accessed only in Canada, with narrow exceptions. The 2021 amendments repealed that rule; s. 33.1 now allows disclosure outside Canada in accordance with the regulations, if any. The minister’s direction requires a supplementary assessment before sensitive personal information is disclosed to be stored outside Canada. Describe what is stored or accessed abroad, by whom, and why. ${NOT_ADVICE_EN}`],
        ['C.-B. : comment a-t-on évalué le stockage des renseignements personnels à l’extérieur du Canada, et l’accès à ceux-ci depuis l’étranger, pour cette application?',
          `Jusqu’en novembre 2021, l’article 30.1 de la FIPPA exigeait que les renseignements personnels soient stockés et consultés uniquement au Canada, sauf exceptions limitées. Les modifications de 2021 ont abrogé cette règle; l’article 33.1 permet désormais la communication à l’extérieur du Canada conformément aux règlements, s’il y en a. La directive du ministre exige une évaluation supplémentaire avant que des renseignements personnels sensibles soient communiqués pour être stockés à l’extérieur du Canada. Décrivez ce qui est stocké ou consulté à l’étranger, par qui et pourquoi. ${NOT_ADVICE_FR}`],
        when('f.outside_canada', 'yes', 'unsure')),
      q('l.bc.sensitivity', 'long_text', ['BC'],
        ['BC: which sensitive personal information would be stored outside Canada, and how much of it?',
          `The supplementary assessment weighs the sensitivity of the information (health, special education, behaviour, Indigenous identity, images of children), how many people it concerns and the harm a disclosure could cause. ${NOT_ADVICE_EN}`],
        ['C.-B. : quels renseignements personnels sensibles seraient stockés à l’extérieur du Canada, et en quelle quantité?',
          `L’évaluation supplémentaire pèse la sensibilité des renseignements (santé, adaptation scolaire, comportement, identité autochtone, images d’enfants), le nombre de personnes concernées et le préjudice qu’une communication pourrait causer. ${NOT_ADVICE_FR}`],
        when('f.outside_canada', 'yes', 'unsure')),
      q('l.bc.outside_safeguards', 'long_text', ['BC'],
        ['BC: which contractual, technical and administrative safeguards protect the information abroad?',
          `For example: encryption with keys held in Canada, a contract limiting use and onward disclosure, notice of foreign legal demands, access limited to named support staff, deletion at the end of the contract. ${NOT_ADVICE_EN}`],
        ['C.-B. : quelles mesures contractuelles, techniques et administratives protègent les renseignements à l’étranger?',
          `Par exemple : un chiffrement dont les clés sont gardées au Canada, un contrat qui limite l’utilisation et la communication subséquente, un avis en cas de demande d’une autorité étrangère, un accès réservé à du personnel de soutien désigné, la destruction à la fin du contrat. ${NOT_ADVICE_FR}`],
        when('f.outside_canada', 'yes', 'unsure')),
      q('l.bc.outside_conclusion', 'single_choice', ['BC'],
        ['BC: what does the supplementary assessment conclude about the risk of storage outside Canada?',
          `Record the conclusion signed off by the head of the public body or their delegate. ${NOT_ADVICE_EN}`],
        ['C.-B. : quelle est la conclusion de l’évaluation supplémentaire sur le risque du stockage à l’extérieur du Canada?',
          `Inscrivez la conclusion approuvée par la personne responsable de l’organisme public ou son délégué. ${NOT_ADVICE_FR}`],
        { ...when('f.outside_canada', 'yes', 'unsure'), choices: [
          ['acceptable', 'Risk acceptable with the safeguards described', 'Risque acceptable avec les mesures décrites'],
          ['conditions', 'Acceptable only with further conditions', 'Acceptable seulement à d’autres conditions'],
          ['not_acceptable', 'Risk not acceptable', 'Risque inacceptable'],
        ] }),
      // Alberta
      ...provincial('AB', ['Alberta', 'Alberta'], ['Protection of Privacy Act', 'Protection of Privacy Act (loi albertaine sur la protection de la vie privée)'],
        ['Since June 2025, Alberta’s Protection of Privacy Act governs how public bodies, school boards included, collect, use, disclose and protect personal information; it replaced the privacy provisions of the Freedom of Information and Protection of Privacy Act (FOIP), whose access provisions moved to the Access to Information Act. Collection must be authorized by the Act, typically because the information relates directly to and is necessary for an operating program or activity.',
          'Depuis juin 2025, la Protection of Privacy Act de l’Alberta régit la collecte, l’utilisation, la communication et la protection des renseignements personnels par les organismes publics, y compris les conseils scolaires; elle a remplacé les dispositions sur la vie privée de la Freedom of Information and Protection of Privacy Act (FOIP), dont les dispositions sur l’accès sont passées à l’Access to Information Act. La collecte doit être autorisée par la loi, habituellement parce que les renseignements se rapportent directement à un programme ou à une activité en cours et y sont nécessaires.'],
        ['The Act requires reasonable security arrangements and notice to affected individuals and to the Information and Privacy Commissioner of a privacy breach that creates a real risk of significant harm. Check whether the Act and its regulation require a privacy impact assessment for this activity and a privacy management program.',
          'La loi exige des mesures de sécurité raisonnables et un avis aux personnes touchées et au commissaire à l’information et à la protection de la vie privée en cas d’atteinte qui présente un risque réel de préjudice grave. Vérifiez si la loi et son règlement exigent une évaluation des facteurs relatifs à la vie privée pour cette activité et un programme de gestion de la vie privée.']),
      // Saskatchewan
      ...provincial('SK', ['Saskatchewan', 'Saskatchewan'], ['Local Authority Freedom of Information and Protection of Privacy Act (LA FOIP)', 'Local Authority Freedom of Information and Protection of Privacy Act (LA FOIP)'],
        ['LA FOIP applies to local authorities, school divisions included. Part IV limits collection to information that relates to an existing or proposed program or activity of the local authority.',
          'La LA FOIP s’applique aux autorités locales, y compris les divisions scolaires. Sa partie IV limite la collecte aux renseignements liés à un programme ou à une activité existant ou projeté de l’autorité locale.'],
        ['LA FOIP s. 23.1 requires administrative, technical and physical safeguards; s. 28.1 requires notice to the individual of an unauthorized use or disclosure of their personal information where it is reasonable to believe it creates a real risk of significant harm. The vendor must tell the school division promptly so it can give that notice.',
          'L’article 23.1 de la LA FOIP exige des mesures de protection administratives, techniques et physiques; l’article 28.1 exige d’aviser la personne d’une utilisation ou d’une communication non autorisée de ses renseignements personnels lorsqu’il est raisonnable de croire qu’elle présente un risque réel de préjudice grave. Le fournisseur doit prévenir la division scolaire rapidement pour qu’elle puisse donner cet avis.']),
      // Manitoba
      ...provincial('MB', ['Manitoba', 'Manitoba'], ['Freedom of Information and Protection of Privacy Act (FIPPA)', 'Loi sur l’accès à l’information et la protection de la vie privée (LAIPVP)'],
        ['Manitoba’s FIPPA applies to local public bodies, school divisions included. Its Part 3 allows collection only when authorized by an enactment, for law enforcement, or when the information relates directly to and is necessary for an existing service, program or activity. Health information of students falls under The Personal Health Information Act (PHIA).',
          'La LAIPVP du Manitoba s’applique aux organismes publics locaux, y compris les divisions scolaires. Sa partie 3 ne permet la collecte que si un texte l’autorise, pour l’application de la loi, ou si les renseignements se rapportent directement à un service, un programme ou une activité existants et y sont nécessaires. Les renseignements sur la santé des élèves relèvent de la Loi sur les renseignements médicaux personnels (LRMP).'],
        ['FIPPA requires the head of a public body to protect personal information by making reasonable security arrangements against risks such as unauthorized access, use, disclosure or destruction; an agreement with the vendor carries those arrangements to the information it holds.',
          'La LAIPVP oblige la personne responsable d’un organisme public à protéger les renseignements personnels en prenant des mesures de sécurité raisonnables contre des risques comme l’accès, l’utilisation, la communication ou la destruction non autorisés; l’entente avec le fournisseur étend ces mesures aux renseignements qu’il détient.']),
      // Ontario
      q('l.on.osr', 'yes_no_unsure', ['ON'],
        ['Ontario: does the app hold information that forms part of, or is drawn from, the Ontario Student Record (OSR)?',
          `Education Act s. 266 makes a pupil record privileged: it is for the information of the principal and teachers of the school (and supervisory officers) for the improvement of the pupil’s instruction, and may otherwise be disclosed only as the Act allows or with the written consent of the parent or adult pupil. The Ontario Student Record Guideline describes its content. ${NOT_ADVICE_EN}`],
        ['Ontario : l’application contient-elle des renseignements qui font partie du Dossier scolaire de l’Ontario (DSO) ou en proviennent?',
          `L’article 266 de la Loi sur l’éducation fait du dossier scolaire un document privilégié : il est destiné à la direction et au personnel enseignant de l’école (et aux agents de supervision) en vue d’améliorer l’enseignement donné à l’élève, et ne peut autrement être communiqué que comme la loi le permet ou avec le consentement écrit du parent ou de l’élève adulte. La ligne directrice sur le Dossier scolaire de l’Ontario en décrit le contenu. ${NOT_ADVICE_FR}`]),
      q('l.on.agent', 'yes_no_unsure', ['ON'],
        ['Ontario: does the agreement keep the information under the board’s custody or control, used by the vendor only on the board’s behalf (MFIPPA ss. 31–32)?',
          `Under MFIPPA, a board may use personal information only for the purpose it was collected for or a consistent purpose (s. 31) and disclose it only as s. 32 allows. A vendor acting as the board’s agent must be bound to those limits, to the security measures of Regulation 823, and to return or destroy the information at the end. ${NOT_ADVICE_EN}`],
        ['Ontario : l’entente maintient-elle les renseignements sous la garde ou le contrôle du conseil, le fournisseur ne les utilisant que pour le compte du conseil (LAIMPVP, art. 31 et 32)?',
          `En vertu de la LAIMPVP, un conseil ne peut utiliser les renseignements personnels qu’aux fins pour lesquelles ils ont été recueillis ou à des fins compatibles (art. 31), et ne peut les divulguer que dans les cas prévus à l’article 32. Un fournisseur qui agit pour le conseil doit être lié par ces limites, par les mesures de sécurité du Règlement 823, et par l’obligation de remettre ou de détruire les renseignements à la fin. ${NOT_ADVICE_FR}`]),
      // Québec
      q('l.qc.pia_63_5', 'yes_no_unsure', ['QC'],
        ['Québec: was this privacy impact assessment carried out before acquiring the system, as section 63.5 of the Act respecting access requires?',
          `Since the amendments of Law 25 (2021), s. 63.5 of the Act respecting access to documents held by public bodies and the protection of personal information requires a privacy impact assessment for any project to acquire, develop or overhaul an information system or electronic service delivery involving personal information, proportionate to the sensitivity of the information, the purpose of its use, its quantity, distribution and medium. ${NOT_ADVICE_EN}`],
        ['Québec : cette évaluation des facteurs relatifs à la vie privée a-t-elle été faite avant l’acquisition du système, comme l’exige l’article 63.5 de la Loi sur l’accès?',
          `Depuis les modifications apportées par la Loi 25 (2021), l’article 63.5 de la Loi sur l’accès aux documents des organismes publics et sur la protection des renseignements personnels exige une évaluation des facteurs relatifs à la vie privée pour tout projet d’acquisition, de développement ou de refonte d’un système d’information ou de prestation électronique de services impliquant des renseignements personnels, proportionnée à la sensibilité des renseignements, à la finalité de leur utilisation, à leur quantité, à leur répartition et à leur support. ${NOT_ADVICE_FR}`],
        { required: true }),
      q('l.qc.committee', 'yes_no_unsure', ['QC'],
        ['Québec: was the body’s committee on access to information and the protection of personal information consulted from the start of the project?',
          `Section 63.5 requires the public body to consult its committee on access to information and the protection of personal information from the outset of the project. ${NOT_ADVICE_EN}`],
        ['Québec : le comité sur l’accès à l’information et la protection des renseignements personnels de l’organisme a-t-il été consulté dès le début du projet?',
          `L’article 63.5 oblige l’organisme public à consulter, dès le début du projet, son comité sur l’accès à l’information et la protection des renseignements personnels. ${NOT_ADVICE_FR}`]),
      q('l.qc.outside_quebec', 'yes_no_unsure', ['QC'],
        ['Québec: will personal information be communicated outside Québec (stored, processed or accessed from elsewhere, including elsewhere in Canada)?',
          `Section 70.1 requires a privacy impact assessment before personal information is communicated outside Québec. Storage by a vendor in another province or country counts. ${NOT_ADVICE_EN}`],
        ['Québec : des renseignements personnels seront-ils communiqués à l’extérieur du Québec (stockés, traités ou consultés ailleurs, y compris ailleurs au Canada)?',
          `L’article 70.1 exige une évaluation des facteurs relatifs à la vie privée avant de communiquer des renseignements personnels à l’extérieur du Québec. Le stockage par un fournisseur dans une autre province ou un autre pays compte. ${NOT_ADVICE_FR}`],
        { required: true }),
      q('l.qc.sensitivity', 'long_text', ['QC'],
        ['Québec: how sensitive is the information concerned?',
          `A factor of s. 63.5 and s. 70.1. Information is sensitive when, by its nature (health, biometrics, grades and behaviour of minors) or the context of its use, it gives rise to a high reasonable expectation of privacy. ${NOT_ADVICE_EN}`],
        ['Québec : quelle est la sensibilité des renseignements visés?',
          `Facteur des articles 63.5 et 70.1. Un renseignement est sensible lorsque, par sa nature (santé, biométrie, résultats et comportement de mineurs) ou le contexte de son utilisation, il suscite un haut degré d’attente raisonnable en matière de vie privée. ${NOT_ADVICE_FR}`]),
      q('l.qc.purpose', 'long_text', ['QC'],
        ['Québec: for what purpose will the information be used?',
          `A factor of s. 63.5 and s. 70.1: the purpose must be specific and the information limited to what it needs. ${NOT_ADVICE_EN}`],
        ['Québec : à quelle fin les renseignements seront-ils utilisés?',
          `Facteur des articles 63.5 et 70.1 : la fin doit être précise et les renseignements limités à ce qu’elle exige. ${NOT_ADVICE_FR}`]),
      q('l.qc.protection', 'long_text', ['QC'],
        ['Québec: which protection measures, including contractual ones, will apply to the information?',
          `A factor of s. 70.1. Name the clauses of the agreement (use limited to the mandate, confidentiality, security, notice of confidentiality incidents, destruction at the end) and the technical measures. ${NOT_ADVICE_EN}`],
        ['Québec : quelles mesures de protection, y compris contractuelles, s’appliqueront aux renseignements?',
          `Facteur de l’article 70.1. Nommez les clauses de l’entente (utilisation limitée au mandat, confidentialité, sécurité, avis d’incident de confidentialité, destruction à la fin) et les mesures techniques. ${NOT_ADVICE_FR}`]),
      q('l.qc.legal_framework', 'long_text', ['QC'],
        ['Québec: what is the legal framework of the place where the information will be, including its privacy principles?',
          `A factor of s. 70.1: the law that applies where the information is stored or accessed, and how far its protection principles match those generally recognized (for example, foreign authorities’ powers to compel access). ${NOT_ADVICE_EN}`],
        ['Québec : quel est le régime juridique de l’endroit où se trouveront les renseignements, y compris ses principes de protection?',
          `Facteur de l’article 70.1 : le droit applicable là où les renseignements sont stockés ou consultés, et la mesure dans laquelle ses principes de protection correspondent aux principes généralement reconnus (par exemple, le pouvoir des autorités étrangères d’en exiger l’accès). ${NOT_ADVICE_FR}`],
        when('l.qc.outside_quebec', 'yes', 'unsure')),
      q('l.qc.adequate', 'yes_no_unsure', ['QC'],
        ['Québec: does the assessment conclude that the information would receive adequate protection, and is the communication the subject of a written agreement?',
          `Under s. 70.1, the information may be communicated only if the assessment establishes that it would receive adequate protection, in particular in light of generally recognized principles, and the communication must be the subject of a written agreement that takes the assessment into account. ${NOT_ADVICE_EN}`],
        ['Québec : l’évaluation conclut-elle que les renseignements bénéficieraient d’une protection adéquate, et la communication fait-elle l’objet d’une entente écrite?',
          `Selon l’article 70.1, les renseignements ne peuvent être communiqués que si l’évaluation établit qu’ils bénéficieraient d’une protection adéquate, notamment au regard des principes généralement reconnus, et la communication doit faire l’objet d’une entente écrite qui tient compte de l’évaluation. ${NOT_ADVICE_FR}`],
        when('l.qc.outside_quebec', 'yes', 'unsure')),
      // New Brunswick
      ...provincial('NB', ['New Brunswick', 'Nouveau-Brunswick'], ['Right to Information and Protection of Privacy Act (RTIPPA)', 'Loi sur le droit à l’information et la protection de la vie privée (LDIPVP)'],
        ['RTIPPA applies to public bodies, school districts and district education councils included. It allows collection only when authorized by law or when the information relates directly to and is necessary for a program or activity of the public body, and only as much as is reasonably necessary.',
          'La LDIPVP s’applique aux organismes publics, y compris les districts scolaires et les conseils d’éducation de district. Elle ne permet la collecte que si la loi l’autorise ou si les renseignements se rapportent directement à un programme ou à une activité de l’organisme public et y sont nécessaires, et seulement dans la mesure raisonnablement nécessaire.'],
        ['RTIPPA requires reasonable security arrangements and sets out when a privacy breach must be reported to the individuals concerned and to the Ombud. The vendor must report incidents to the district without delay.',
          'La LDIPVP exige des mesures de sécurité raisonnables et précise quand une atteinte à la vie privée doit être signalée aux personnes concernées et à l’ombud. Le fournisseur doit signaler les incidents au district sans délai.']),
      // Nova Scotia
      ...provincial('NS', ['Nova Scotia', 'Nouvelle-Écosse'], ['Freedom of Information and Protection of Privacy Act (FOIPOP)', 'Freedom of Information and Protection of Privacy Act (FOIPOP)'],
        ['FOIPOP applies to public bodies, regional centres for education included. Collection must be authorized by an enactment, for law enforcement, or relate directly to and be necessary for an operating program or activity of the public body.',
          'La FOIPOP s’applique aux organismes publics, y compris les centres régionaux pour l’éducation. La collecte doit être autorisée par un texte, servir à l’application de la loi, ou se rapporter directement à un programme ou à une activité en cours de l’organisme public et y être nécessaire.'],
        ['FOIPOP requires reasonable security arrangements against unauthorized access, collection, use, disclosure or disposal. The Personal Information International Disclosure Protection Act (PIIDPA) adds that a public body and its service providers must store personal information, and allow access to it, only in Canada unless the head allows otherwise to meet the necessary requirements of the body’s operation; such decisions must be reported to the Minister.',
          'La FOIPOP exige des mesures de sécurité raisonnables contre l’accès, la collecte, l’utilisation, la communication ou l’élimination non autorisés. La Personal Information International Disclosure Protection Act (PIIDPA) ajoute qu’un organisme public et ses fournisseurs de services doivent stocker les renseignements personnels, et n’en permettre l’accès, qu’au Canada, sauf si la personne responsable le permet pour répondre aux besoins nécessaires au fonctionnement de l’organisme; ces décisions doivent être déclarées au ministre.']),
      q('l.ns.piidpa_reported', 'yes_no_unsure', ['NS'],
        ['Nova Scotia: has the head’s decision to allow storage or access outside Canada been recorded and reported to the Minister as PIIDPA requires?',
          `PIIDPA s. 5 makes the head’s allowance of storage or access outside Canada subject to conditions and a report to the Minister. Keep the decision with this assessment. ${NOT_ADVICE_EN}`],
        ['Nouvelle-Écosse : la décision de la personne responsable de permettre le stockage ou l’accès à l’extérieur du Canada a-t-elle été consignée et déclarée au ministre comme l’exige la PIIDPA?',
          `L’article 5 de la PIIDPA assujettit à des conditions et à une déclaration au ministre la permission donnée par la personne responsable de stocker ou de consulter les renseignements à l’extérieur du Canada. Conservez la décision avec cette évaluation. ${NOT_ADVICE_FR}`],
        when('f.outside_canada', 'yes', 'unsure')),
      // Prince Edward Island
      ...provincial('PE', ['Prince Edward Island', 'Île-du-Prince-Édouard'], ['Freedom of Information and Protection of Privacy Act (FOIPP)', 'Freedom of Information and Protection of Privacy Act (FOIPP)'],
        ['PEI’s FOIPP Act applies to public bodies, the Public Schools Branch and the Commission scolaire de langue française included. Collection must be authorized by an enactment, for law enforcement, or relate directly to and be necessary for an operating program or activity.',
          'La FOIPP de l’Île-du-Prince-Édouard s’applique aux organismes publics, y compris la Public Schools Branch et la Commission scolaire de langue française. La collecte doit être autorisée par un texte, servir à l’application de la loi, ou se rapporter directement à un programme ou à une activité en cours et y être nécessaire.'],
        ['The Act requires reasonable security arrangements against unauthorized access, collection, use, disclosure or disposal; the agreement should require the vendor to report any incident to the public body without delay.',
          'La loi exige des mesures de sécurité raisonnables contre l’accès, la collecte, l’utilisation, la communication ou l’élimination non autorisés; l’entente devrait obliger le fournisseur à signaler sans délai tout incident à l’organisme public.']),
      // Newfoundland and Labrador
      ...provincial('NL', ['Newfoundland and Labrador', 'Terre-Neuve-et-Labrador'], ['Access to Information and Protection of Privacy Act, 2015 (ATIPPA, 2015)', 'Access to Information and Protection of Privacy Act, 2015 (ATIPPA, 2015)'],
        ['ATIPPA, 2015 applies to public bodies, the provincial school system included. Collection must be authorized by an enactment, for law enforcement, or relate directly to and be necessary for an operating program or activity; the Act also limits collection to what is necessary.',
          'L’ATIPPA, 2015 s’applique aux organismes publics, y compris le réseau scolaire provincial. La collecte doit être autorisée par un texte, servir à l’application de la loi, ou se rapporter directement à un programme ou à une activité en cours et y être nécessaire; la loi limite aussi la collecte à ce qui est nécessaire.'],
        ['The Act requires reasonable security arrangements and requires a public body to report privacy breaches to the Information and Privacy Commissioner and to notify affected individuals where there is a risk of significant harm. The vendor must report incidents at once so the body can meet these duties.',
          'La loi exige des mesures de sécurité raisonnables et oblige l’organisme public à signaler les atteintes à la vie privée au commissaire à l’information et à la protection de la vie privée et à aviser les personnes touchées lorsqu’il y a un risque de préjudice grave. Le fournisseur doit signaler les incidents immédiatement pour que l’organisme puisse remplir ces obligations.']),
      // Yukon
      ...provincial('YT', ['Yukon', 'Yukon'], ['Access to Information and Protection of Privacy Act (ATIPPA)', 'Loi sur l’accès à l’information et la protection de la vie privée'],
        ['Yukon’s Access to Information and Protection of Privacy Act (2018, in force 2021) applies to public bodies, the Department of Education and the territory’s school boards included. Collection must be authorized by the Act, and limited to what is necessary for the program or activity.',
          'La Loi sur l’accès à l’information et la protection de la vie privée du Yukon (2018, en vigueur en 2021) s’applique aux organismes publics, y compris le ministère de l’Éducation et les commissions scolaires du territoire. La collecte doit être autorisée par la loi et limitée à ce qui est nécessaire au programme ou à l’activité.'],
        ['The Act requires security arrangements proportionate to the sensitivity of the information, sets out when a privacy impact assessment is required, and requires notice of a privacy breach that could create a risk of significant harm. Check which of these apply to this app.',
          'La loi exige des mesures de sécurité proportionnées à la sensibilité des renseignements, précise quand une évaluation des facteurs relatifs à la vie privée est exigée, et exige un avis en cas d’atteinte à la vie privée qui pourrait présenter un risque de préjudice grave. Vérifiez lesquelles de ces obligations s’appliquent à cette application.']),
      // Northwest Territories
      ...provincial('NT', ['Northwest Territories', 'Territoires du Nord-Ouest'], ['Access to Information and Protection of Privacy Act (ATIPPA)', 'Loi sur l’accès à l’information et la protection de la vie privée'],
        ['The Northwest Territories’ Access to Information and Protection of Privacy Act applies to public bodies, education bodies included. Collection must be authorized by an enactment or relate directly to and be necessary for an existing program or activity.',
          'La Loi sur l’accès à l’information et la protection de la vie privée des Territoires du Nord-Ouest s’applique aux organismes publics, y compris les organismes scolaires. La collecte doit être autorisée par un texte ou se rapporter directement à un programme ou à une activité existants et y être nécessaire.'],
        ['The Act, as amended, requires reasonable security arrangements and sets out when a breach of privacy must be reported to affected individuals and to the Information and Privacy Commissioner. The agreement should require the vendor to report incidents to the public body at once.',
          'La loi, telle que modifiée, exige des mesures de sécurité raisonnables et précise quand une atteinte à la vie privée doit être signalée aux personnes touchées et au commissaire à l’information et à la protection de la vie privée. L’entente devrait obliger le fournisseur à signaler immédiatement les incidents à l’organisme public.']),
      // Nunavut
      ...provincial('NU', ['Nunavut', 'Nunavut'], ['Access to Information and Protection of Privacy Act (ATIPPA)', 'Loi sur l’accès à l’information et la protection de la vie privée'],
        ['Nunavut’s Access to Information and Protection of Privacy Act applies to public bodies, the Department of Education included. Collection must be authorized by an enactment or relate directly to and be necessary for an existing program or activity.',
          'La Loi sur l’accès à l’information et la protection de la vie privée du Nunavut s’applique aux organismes publics, y compris le ministère de l’Éducation. La collecte doit être autorisée par un texte ou se rapporter directement à un programme ou à une activité existants et y être nécessaire.'],
        ['The Act requires reasonable security arrangements and sets out when a privacy breach must be reported to affected individuals and to the Information and Privacy Commissioner. The agreement should require the vendor to report incidents to the public body at once.',
          'La loi exige des mesures de sécurité raisonnables et précise quand une atteinte à la vie privée doit être signalée aux personnes touchées et au commissaire à l’information et à la protection de la vie privée. L’entente devrait obliger le fournisseur à signaler immédiatement les incidents à l’organisme public.']),
    ],
  };
}

/** The United States: federal student-privacy law, then each state's student-privacy statute. */
function usSection(): BankSectionInput {
  return {
    key: 'm-united-states',
    code: 'M',
    title: 'US federal and state law',
    description: `What federal law and your state’s student-privacy law add to the assessment. Only federal questions and your own state’s are shown. ${NOT_ADVICE_EN}`,
    fr: {
      title: 'Lois fédérales et des États américains',
      description: `Ce que la loi fédérale et la loi de votre État sur la protection des renseignements des élèves ajoutent à l’évaluation. Seules les questions fédérales et celles de votre État sont affichées. ${NOT_ADVICE_FR}`,
    },
    questions: [
      // Federal
      q('m.us.ferpa_annual_notice', 'yes_no_unsure', ['US-generic'],
        ['FERPA: does the district’s annual notification define "school official" and "legitimate educational interest" so as to include contractors such as this vendor?',
          `A district that discloses education records to school officials without consent must state in its annual notification of rights the criteria for who is a school official and what is a legitimate educational interest (34 CFR 99.7(a)(3)(iii)); the school-official exception covers a contractor only if it performs an institutional service, is under the district’s direct control for the records and uses them only as authorized (34 CFR 99.31(a)(1)(i)(B)). ${NOT_ADVICE_EN}`],
        ['FERPA : l’avis annuel du district définit-il « school official » et « legitimate educational interest » de façon à inclure des sous-traitants comme ce fournisseur?',
          `Un district qui communique des dossiers scolaires à des « school officials » sans consentement doit préciser dans son avis annuel des droits les critères qui définissent un « school official » et un intérêt éducatif légitime (34 CFR 99.7(a)(3)(iii)); l’exception ne vise un sous-traitant que s’il fournit un service que le district assurerait lui-même, s’il est sous le contrôle direct du district quant aux dossiers et s’il ne les utilise qu’aux fins autorisées (34 CFR 99.31(a)(1)(i)(B)). ${NOT_ADVICE_FR}`]),
      q('m.us.ferpa_directory', 'yes_no_unsure', ['US-generic'],
        ['FERPA: is any student information given to the vendor as directory information rather than under the school-official exception?',
          `Directory information (such as name, grade level and photograph, as the district designates in its notice) may be disclosed without consent only after parents were told and given the chance to opt out (34 CFR 99.37). Information shared that way is not bound by the school-official conditions, so the Department of Education’s Privacy Technical Assistance Center advises relying on the school-official exception, with a contract, for online educational services. ${NOT_ADVICE_EN}`],
        ['FERPA : des renseignements sur les élèves sont-ils transmis au fournisseur à titre de renseignements de répertoire plutôt qu’en vertu de l’exception visant les « school officials »?',
          `Les renseignements de répertoire (comme le nom, le niveau scolaire et la photo, selon ce que le district désigne dans son avis) ne peuvent être communiqués sans consentement qu’après en avoir informé les parents et leur avoir permis de s’y opposer (34 CFR 99.37). Les renseignements ainsi communiqués ne sont pas soumis aux conditions de l’exception, c’est pourquoi le Privacy Technical Assistance Center du département de l’Éducation conseille de s’appuyer sur l’exception des « school officials », avec un contrat, pour les services éducatifs en ligne. ${NOT_ADVICE_FR}`]),
      q('m.us.coppa_notice', 'yes_no_unsure', ['US-generic'],
        ['COPPA: has the vendor given the school a notice of its collection, use and disclosure practices before the school authorizes collection from students under 13?',
          `Under the FTC’s COPPA Rule (16 CFR Part 312) and its guidance, a school may authorize collection in place of parents only for the use and benefit of the school and for no other commercial purpose; the operator must give the school the notice a parent would receive. The school should be able to review and have deleted the information collected. ${NOT_ADVICE_EN}`],
        ['COPPA : le fournisseur a-t-il remis à l’école un avis sur ses pratiques de collecte, d’utilisation et de communication avant que l’école autorise la collecte auprès d’élèves de moins de 13 ans?',
          `Selon la règle COPPA de la FTC (16 CFR partie 312) et ses lignes directrices, une école ne peut autoriser la collecte à la place des parents que pour l’usage et au profit de l’école, et à aucune autre fin commerciale; l’exploitant doit remettre à l’école l’avis qu’un parent recevrait. L’école devrait pouvoir examiner les renseignements recueillis et les faire supprimer. ${NOT_ADVICE_FR}`],
        when('a.under_13', 'yes', 'unsure')),
      q('m.us.ppra', 'yes_no_unsure', ['US-generic'],
        ['PPRA: does the app survey, analyse or evaluate students on any of the protected areas, or collect student information for marketing?',
          `The Protection of Pupil Rights Amendment (20 U.S.C. 1232h; 34 CFR Part 98) protects eight areas: political affiliations; mental or psychological problems; sex behaviour or attitudes; illegal, anti-social, self-incriminating or demeaning behaviour; critical appraisals of close family members; legally privileged relationships; religious practices, affiliations or beliefs; and income. Surveys on them funded by the Department of Education need prior written parental consent; districts must notify parents and allow opt-outs for other surveys on these areas and for collection of personal information for marketing. ${NOT_ADVICE_EN}`],
        ['PPRA : l’application interroge-t-elle, analyse-t-elle ou évalue-t-elle les élèves sur l’un des sujets protégés, ou recueille-t-elle des renseignements sur eux à des fins de marketing?',
          `La Protection of Pupil Rights Amendment (20 U.S.C. 1232h; 34 CFR partie 98) protège huit sujets : les allégeances politiques; les problèmes mentaux ou psychologiques; le comportement ou les attitudes sexuels; les comportements illégaux, antisociaux, autoaccusateurs ou dégradants; les appréciations critiques de proches; les relations protégées par la loi; les pratiques, appartenances ou croyances religieuses; le revenu. Les sondages sur ces sujets financés par le département de l’Éducation exigent le consentement écrit préalable des parents; les districts doivent aviser les parents et leur permettre de refuser les autres sondages sur ces sujets et la collecte de renseignements personnels à des fins de marketing. ${NOT_ADVICE_FR}`]),
      q('m.us.cipa', 'yes_no_unsure', ['US-generic'],
        ['CIPA: does the app give students access to the internet or to online communication that the district’s internet safety policy must cover?',
          `Schools that receive E-rate discounts must, under the Children’s Internet Protection Act (47 U.S.C. 254(h) and (l)), have an internet safety policy with a technology protection measure against obscene or harmful content, monitoring of minors’ online activities, and education on appropriate online behaviour. A browser, chat or social feature in the app falls within that policy. ${NOT_ADVICE_EN}`],
        ['CIPA : l’application donne-t-elle aux élèves un accès à Internet ou à des communications en ligne que la politique de sécurité Internet du district doit encadrer?',
          `Les écoles qui reçoivent des rabais E-rate doivent, selon la Children’s Internet Protection Act (47 U.S.C. 254(h) et (l)), avoir une politique de sécurité Internet comprenant une mesure technologique contre les contenus obscènes ou préjudiciables, la surveillance des activités en ligne des mineurs et une éducation au comportement approprié en ligne. Un navigateur, un clavardage ou une fonction sociale de l’application relève de cette politique. ${NOT_ADVICE_FR}`]),
      q('m.us.idea', 'yes_no_unsure', ['US-generic'],
        ['IDEA: does the app hold records of students with disabilities (evaluations, IEPs, services)?',
          `The confidentiality provisions of the Individuals with Disabilities Education Act (34 CFR 300.610–300.626) require parental consent before such records are disclosed beyond what FERPA allows, a record of who accessed them, and safeguards: one official responsible for confidentiality, training of everyone who collects or uses the information, and a list of the employees who may access it (34 CFR 300.623). ${NOT_ADVICE_EN}`],
        ['IDEA : l’application contient-elle des dossiers d’élèves handicapés (évaluations, plans d’enseignement individualisés, services)?',
          `Les dispositions sur la confidentialité de l’Individuals with Disabilities Education Act (34 CFR 300.610 à 300.626) exigent le consentement des parents avant que ces dossiers soient communiqués au-delà de ce que permet FERPA, un registre des personnes qui les ont consultés, et des mesures de protection : une personne responsable de la confidentialité, la formation de tous ceux qui recueillent ou utilisent les renseignements, et une liste des employés qui peuvent y accéder (34 CFR 300.623). ${NOT_ADVICE_FR}`]),
      // New York
      q('m.ny.bill_of_rights', 'yes_no_unsure', ['NY'],
        ['New York: does the contract include the district’s Parents’ Bill of Rights for Data Privacy and Security and the supplemental information about this contract?',
          `Education Law 2-d and 8 NYCRR Part 121 (s. 121.3) require every contract with a third-party contractor that receives student data, or teacher or principal data, to include the Parents’ Bill of Rights and supplemental information; the district must post both on its website. ${NOT_ADVICE_EN}`],
        ['New York : le contrat comprend-il la Parents’ Bill of Rights for Data Privacy and Security du district et les renseignements supplémentaires sur ce contrat?',
          `L’Education Law 2-d et le 8 NYCRR partie 121 (art. 121.3) exigent que tout contrat avec un tiers contractant qui reçoit des données d’élèves, ou d’enseignants ou de directions, comprenne la Parents’ Bill of Rights et des renseignements supplémentaires; le district doit publier les deux sur son site Web. ${NOT_ADVICE_FR}`],
        { required: true }),
      q('m.ny.exclusive_purposes', 'long_text', ['NY'],
        ['New York: for which exclusive purposes will the contractor use the student data or teacher or principal data?',
          `Part of the supplemental information (Education Law 2-d(3)(c)). The contractor may not sell the data or use or disclose it for any marketing or commercial purpose. ${NOT_ADVICE_EN}`],
        ['New York : à quelles fins exclusives le contractant utilisera-t-il les données des élèves ou des enseignants et des directions?',
          `Élément des renseignements supplémentaires (Education Law 2-d(3)(c)). Le contractant ne peut vendre les données ni les utiliser ou les communiquer à des fins de marketing ou commerciales. ${NOT_ADVICE_FR}`]),
      q('m.ny.subcontractors', 'long_text', ['NY'],
        ['New York: how will the contractor ensure that its subcontractors, or others it shares the data with, abide by the data protection and security requirements?',
          `Part of the supplemental information. Name the contract clause that binds subcontractors to the same terms. ${NOT_ADVICE_EN}`],
        ['New York : comment le contractant s’assurera-t-il que ses sous-traitants, ou les autres personnes avec qui il partage les données, respectent les exigences de protection et de sécurité?',
          `Élément des renseignements supplémentaires. Nommez la clause du contrat qui lie les sous-traitants aux mêmes conditions. ${NOT_ADVICE_FR}`]),
      q('m.ny.duration', 'long_text', ['NY'],
        ['New York: what is the contract’s duration, including its expiration date, and what happens to the data when it expires (returned, transferred or destroyed)?',
          `Part of the supplemental information. ${NOT_ADVICE_EN}`],
        ['New York : quelle est la durée du contrat, y compris sa date d’expiration, et qu’advient-il des données à son expiration (remises, transférées ou détruites)?',
          `Élément des renseignements supplémentaires. ${NOT_ADVICE_FR}`]),
      q('m.ny.challenge', 'long_text', ['NY'],
        ['New York: how may a parent, student, eligible student, teacher or principal challenge the accuracy of the data collected?',
          `Part of the supplemental information. Challenges usually follow the district’s procedure for amending education records under FERPA, with the contractor correcting the data on the district’s request. ${NOT_ADVICE_EN}`],
        ['New York : comment un parent, un élève, un élève majeur, un enseignant ou une direction peut-il contester l’exactitude des données recueillies?',
          `Élément des renseignements supplémentaires. Les contestations suivent habituellement la procédure du district pour modifier les dossiers scolaires selon FERPA, le contractant corrigeant les données à la demande du district. ${NOT_ADVICE_FR}`]),
      q('m.ny.storage_security', 'long_text', ['NY'],
        ['New York: where will the data be stored, and which security protections will be taken to keep it secure and reduce the risks?',
          `Part of the supplemental information, described in terms that protect security (no system details a reader could exploit). The contractor’s data security and privacy plan (Part 121.6) should align with the NIST Cybersecurity Framework the district adopted (Part 121.5). ${NOT_ADVICE_EN}`],
        ['New York : où les données seront-elles stockées, et quelles mesures de sécurité seront prises pour les protéger et réduire les risques?',
          `Élément des renseignements supplémentaires, décrit de façon à ne pas compromettre la sécurité (aucun détail exploitable). Le plan de sécurité et de confidentialité du contractant (art. 121.6) devrait s’aligner sur le cadre de cybersécurité du NIST adopté par le district (art. 121.5). ${NOT_ADVICE_FR}`]),
      q('m.ny.encryption', 'long_text', ['NY'],
        ['New York: how will the data be protected with encryption while in motion and at rest?',
          `Part of the supplemental information; Part 121.9 requires contractors to encrypt personally identifiable information in motion and at rest. ${NOT_ADVICE_EN}`],
        ['New York : comment les données seront-elles protégées par chiffrement en transit et au repos?',
          `Élément des renseignements supplémentaires; l’art. 121.9 oblige les contractants à chiffrer les renseignements personnels identifiables en transit et au repos. ${NOT_ADVICE_FR}`]),
      // California
      q('m.ca.sopipa', 'yes_no_unsure', ['CA'],
        ['California: does the operator commit to SOPIPA’s limits: no targeted advertising, no profiling for non-school purposes, no sale, and reasonable security?',
          `The Student Online Personal Information Protection Act (Business and Professions Code s. 22584) applies to operators of sites and apps used primarily for K–12 school purposes. It also requires deletion of a student’s information at the school’s or district’s request. ${NOT_ADVICE_EN}`],
        ['Californie : l’exploitant s’engage-t-il à respecter les limites de la SOPIPA : aucune publicité ciblée, aucun profilage à des fins non scolaires, aucune vente, et une sécurité raisonnable?',
          `La Student Online Personal Information Protection Act (Business and Professions Code, art. 22584) s’applique aux exploitants de sites et d’applications utilisés principalement à des fins scolaires de la maternelle à la 12e année. Elle exige aussi la suppression des renseignements d’un élève à la demande de l’école ou du district. ${NOT_ADVICE_FR}`]),
      q('m.ca.ab1584_terms', 'multiple_choice', ['CA'],
        ['California: which terms that Education Code s. 49073.1 (AB 1584) requires does the contract contain?',
          `A contract for digital storage, management or retrieval of pupil records, or for digital educational software that accesses them, must contain each of these terms. ${NOT_ADVICE_EN}`],
        ['Californie : quelles clauses exigées par l’article 49073.1 de l’Education Code (AB 1584) le contrat contient-il?',
          `Un contrat de stockage, de gestion ou de consultation numérique de dossiers d’élèves, ou de logiciel éducatif qui y accède, doit contenir chacune de ces clauses. ${NOT_ADVICE_FR}`],
        { choices: [
          ['ownership', 'Pupil records remain the property and under the control of the local educational agency', 'Les dossiers d’élèves demeurent la propriété de l’organisme scolaire local et sous son contrôle'],
          ['pupil_content', 'How pupils may keep possession of content they create', 'Comment les élèves peuvent conserver le contenu qu’ils créent'],
          ['use_limit', 'No use of records for purposes other than those in the contract', 'Aucune utilisation des dossiers à d’autres fins que celles du contrat'],
          ['review_correct', 'How parents, guardians or pupils may review and correct information', 'Comment les parents, tuteurs ou élèves peuvent consulter et corriger les renseignements'],
          ['security', 'Actions taken to ensure security and confidentiality', 'Mesures prises pour assurer la sécurité et la confidentialité'],
          ['breach_notice', 'How affected parents, guardians or pupils are notified of an unauthorized disclosure', 'Comment les parents, tuteurs ou élèves touchés sont avisés d’une communication non autorisée'],
          ['no_retention', 'Certification that records are not kept after the contract ends', 'Attestation que les dossiers ne sont pas conservés après la fin du contrat'],
          ['ferpa', 'How the agency and the provider jointly ensure FERPA compliance', 'Comment l’organisme et le fournisseur assurent ensemble le respect de FERPA'],
          ['no_ads', 'No use of personally identifiable information for targeted advertising', 'Aucune utilisation des renseignements personnels identifiables pour la publicité ciblée'],
        ] }),
      // Illinois
      q('m.il.written_agreement', 'yes_no_unsure', ['IL'],
        ['Illinois: is covered information shared with this operator under a written agreement that meets the Student Online Personal Protection Act (SOPPA)?',
          `SOPPA (105 ILCS 85), as amended in 2021, requires a written agreement with an operator before covered information is shared, and requires the school to publish on its website the list of operators it has written agreements with, a copy of each agreement, the data elements each operator collects, and its subcontractors. ${NOT_ADVICE_EN}`],
        ['Illinois : les renseignements visés sont-ils communiqués à cet exploitant en vertu d’une entente écrite conforme à la Student Online Personal Protection Act (SOPPA)?',
          `La SOPPA (105 ILCS 85), telle que modifiée en 2021, exige une entente écrite avec l’exploitant avant toute communication de renseignements visés, et oblige l’école à publier sur son site Web la liste des exploitants avec lesquels elle a une entente écrite, une copie de chaque entente, les éléments de données que chacun recueille et ses sous-traitants. ${NOT_ADVICE_FR}`],
        { required: true }),
      q('m.il.breach', 'yes_no_unsure', ['IL'],
        ['Illinois: does the agreement require the operator to notify the school of a breach of covered information within the time SOPPA sets?',
          `SOPPA sets time limits for an operator to tell the school of a breach and for the school to notify parents. ${NOT_ADVICE_EN}`],
        ['Illinois : l’entente oblige-t-elle l’exploitant à aviser l’école d’une atteinte aux renseignements visés dans le délai fixé par la SOPPA?',
          `La SOPPA fixe des délais pour que l’exploitant avise l’école d’une atteinte et pour que l’école en avise les parents. ${NOT_ADVICE_FR}`]),
      // Texas
      q('m.tx.operator_duties', 'yes_no_unsure', ['TX'],
        ['Texas: does the operator commit to the duties of Education Code chapter 32, subchapter D (no targeted advertising, no profiles for non-school purposes, no sale, security, deletion on request)?',
          `Subchapter D (Education Code ss. 32.151 and following) protects covered information of students collected by operators of websites, online services and applications used for school purposes. ${NOT_ADVICE_EN}`],
        ['Texas : l’exploitant s’engage-t-il à respecter les obligations du chapitre 32, sous-chapitre D de l’Education Code (aucune publicité ciblée, aucun profil à des fins non scolaires, aucune vente, sécurité, suppression sur demande)?',
          `Le sous-chapitre D (Education Code, art. 32.151 et suivants) protège les renseignements visés des élèves recueillis par les exploitants de sites Web, de services et d’applications en ligne utilisés à des fins scolaires. ${NOT_ADVICE_FR}`]),
      // Colorado
      q('m.co.contract_terms', 'yes_no_unsure', ['CO'],
        ['Colorado: does the contract with this provider contain the terms the Student Data Transparency and Security Act requires, and is the provider on the district’s published list?',
          `The Act (C.R.S. 22-16-101 and following) requires contract providers to disclose the data elements they collect and their purposes, limits their use and sale of student personally identifiable information, requires security and destruction at the end, and requires districts to publish the list of contract providers and the data they collect. ${NOT_ADVICE_EN}`],
        ['Colorado : le contrat avec ce fournisseur contient-il les clauses qu’exige la Student Data Transparency and Security Act, et le fournisseur figure-t-il sur la liste publiée par le district?',
          `La loi (C.R.S. 22-16-101 et suivants) oblige les fournisseurs sous contrat à déclarer les éléments de données recueillis et leurs fins, limite leur utilisation et la vente des renseignements personnels identifiables des élèves, exige la sécurité et la destruction à la fin, et oblige les districts à publier la liste des fournisseurs sous contrat et des données qu’ils recueillent. ${NOT_ADVICE_FR}`]),
      // Connecticut
      q('m.ct.contract_provisions', 'yes_no_unsure', ['CT'],
        ['Connecticut: does the contract contain the provisions of CGS 10-234bb, and were students and parents notified and the contract posted on the board’s website?',
          `Connecticut’s student data privacy law (CGS 10-234aa to 10-234dd) requires a written contract with each contractor holding student information, records or student-generated content, with required provisions on ownership, use, security, breach notice and deletion; the board must notify students and parents of a new contract and post it online. ${NOT_ADVICE_EN}`],
        ['Connecticut : le contrat contient-il les dispositions de l’article 10-234bb des CGS, et les élèves et les parents ont-ils été avisés et le contrat publié sur le site Web du conseil?',
          `La loi du Connecticut sur la protection des données des élèves (CGS 10-234aa à 10-234dd) exige un contrat écrit avec chaque contractant qui détient des renseignements, des dossiers ou des contenus créés par des élèves, comprenant des dispositions obligatoires sur la propriété, l’utilisation, la sécurité, l’avis d’atteinte et la suppression; le conseil doit aviser les élèves et les parents d’un nouveau contrat et le publier en ligne. ${NOT_ADVICE_FR}`]),
      // Virginia
      q('m.va.provider_duties', 'yes_no_unsure', ['VA'],
        ['Virginia: does the school service provider meet Code of Virginia s. 22.1-289.01 (notice of its practices, no targeted advertising or sale, a security program, deletion at the school’s request)?',
          `Section 22.1-289.01 sets the duties of school service providers that collect, maintain or use student personal information. ${NOT_ADVICE_EN}`],
        ['Virginie : le fournisseur de services scolaires respecte-t-il l’article 22.1-289.01 du Code of Virginia (avis de ses pratiques, aucune publicité ciblée ni vente, un programme de sécurité, suppression à la demande de l’école)?',
          `L’article 22.1-289.01 fixe les obligations des fournisseurs de services scolaires qui recueillent, conservent ou utilisent des renseignements personnels d’élèves. ${NOT_ADVICE_FR}`]),
      // Washington
      q('m.wa.provider_duties', 'yes_no_unsure', ['WA'],
        ['Washington: does the school service provider meet chapter 28A.604 RCW (transparency, no targeted advertising or sale, security, deletion, notice of material changes)?',
          `Chapter 28A.604 RCW governs school service providers’ collection, use and sharing of student personal information. ${NOT_ADVICE_EN}`],
        ['Washington : le fournisseur de services scolaires respecte-t-il le chapitre 28A.604 RCW (transparence, aucune publicité ciblée ni vente, sécurité, suppression, avis des changements importants)?',
          `Le chapitre 28A.604 RCW régit la collecte, l’utilisation et le partage des renseignements personnels des élèves par les fournisseurs de services scolaires. ${NOT_ADVICE_FR}`]),
      // Florida
      q('m.fl.operator_duties', 'yes_no_unsure', ['FL'],
        ['Florida: does the operator meet s. 1006.1494, Florida Statutes (no targeted advertising, profiling or sale of covered information; security; deletion at the district’s request)?',
          `Section 1006.1494 protects student online personal information held by operators of K–12 websites, services and applications. ${NOT_ADVICE_EN}`],
        ['Floride : l’exploitant respecte-t-il l’article 1006.1494 des Florida Statutes (aucune publicité ciblée, aucun profilage ni vente des renseignements visés; sécurité; suppression à la demande du district)?',
          `L’article 1006.1494 protège les renseignements personnels en ligne des élèves détenus par les exploitants de sites, de services et d’applications de la maternelle à la 12e année. ${NOT_ADVICE_FR}`]),
      q('m.fl.records', 'yes_no_unsure', ['FL'],
        ['Florida: are the rights of parents and students over education records under s. 1002.22, Florida Statutes, preserved for the records the app holds?',
          `Section 1002.22 protects the rights of parents and students over K–12 education records and their confidentiality, in line with FERPA. ${NOT_ADVICE_EN}`],
        ['Floride : les droits des parents et des élèves sur les dossiers scolaires prévus à l’article 1002.22 des Florida Statutes sont-ils préservés pour les dossiers que contient l’application?',
          `L’article 1002.22 protège les droits des parents et des élèves sur les dossiers scolaires de la maternelle à la 12e année et leur confidentialité, en accord avec FERPA. ${NOT_ADVICE_FR}`]),
      // Utah
      q('m.ut.data_agreement', 'yes_no_unsure', ['UT'],
        ['Utah: is the provider under a contract that meets the Student Data Protection Act (Utah Code Title 53E, Chapter 9, Part 3)?',
          `The Act requires a contract with third-party contractors that receive student data, limits their use of it, and requires the district to adopt a data governance plan. ${NOT_ADVICE_EN}`],
        ['Utah : le fournisseur est-il lié par un contrat conforme à la Student Data Protection Act (Utah Code, titre 53E, chapitre 9, partie 3)?',
          `La loi exige un contrat avec les tiers contractants qui reçoivent des données d’élèves, limite leur utilisation et oblige le district à adopter un plan de gouvernance des données. ${NOT_ADVICE_FR}`]),
    ],
  };
}

/** The sections of jurisdiction law, appended to the generic PIA after its sections A–K. */
export function jurisdictionSections(): BankSectionInput[] {
  return [canadaSection(), usSection()];
}
