/**
 * The Canadian French of the generic edtech PIA (pia-generic.ts), by section key and question key:
 * the bank is written in both languages and every published version holds both. Terminology follows
 * the Office québécois de la langue française (renseignements personnels, évaluation des facteurs
 * relatifs à la vie privée, conseil scolaire, centre de services scolaire). Like the English, the
 * guidance orients the assessor and is not legal advice. Pure data.
 */
import type { BankQuestionFr, BankSectionFr, BankTemplateFr } from '../../contracts/assessments.js';
import { GRADE_LEVELS } from '../../contracts/domain.js';

type QuestionFr = Omit<BankQuestionFr, 'choices' | 'columns'> & { choices?: Record<string, string>; columns?: Record<string, string> };

export const GENERIC_TEMPLATE_FR: BankTemplateFr = {
  title: 'Évaluation des facteurs relatifs à la vie privée (EFVP) — technologie éducative (générique)',
  description:
    'L’évaluation complète de toute application utilisée avec des élèves ou du personnel : examen préliminaire, finalité, flux de données, fondement juridique et consentement, utilisation et communication, stockage et lieu d’hébergement, sécurité, conservation, ententes, risques et décision. Les questions canadiennes et américaines sont étiquetées; masquez celles qui ne vous concernent pas.',
};

export const GENERIC_SECTIONS_FR: Record<string, BankSectionFr> = {
  'a-screening': {
    title: 'Examen préliminaire',
    description: 'Déterminez l’ampleur de l’évaluation nécessaire. Un « oui » ou un « incertain » à l’une des questions d’examen préliminaire exige l’évaluation complète.',
  },
  'b-initiative': { title: 'Le projet', description: 'À quoi sert l’application et qui l’utilisera.' },
  'c-data': { title: 'Éléments de données et flux', description: 'Ce que l’application recueille, auprès de qui et pourquoi.' },
  'd-authority': { title: 'Autorisation, finalité et consentement', description: 'Le fondement juridique de la collecte et l’information donnée aux personnes.' },
  'e-use': { title: 'Utilisation et communication', description: 'Ce que le fournisseur fait des renseignements et qui d’autre les reçoit.' },
  'f-storage': { title: 'Stockage et lieu d’hébergement', description: 'Où les renseignements sont stockés et traités, et d’où on y accède.' },
  'g-security': {
    title: 'Sécurité',
    description: 'Mesures de sécurité raisonnables (FIPPA, art. 30; MFIPPA et Règl. 823; méthodes raisonnables de la FERPA; lois des États).',
  },
  'h-retention': { title: 'Conservation et droits des personnes', description: 'Combien de temps les renseignements sont conservés et comment les personnes exercent leurs droits.' },
  'i-agreements': { title: 'Ententes', description: 'Le contrat qui engage le fournisseur à respecter ce sur quoi repose la présente évaluation.' },
  'j-risks': {
    title: 'Registre des risques',
    description: 'Consignez chaque risque dans le registre de la présente évaluation (probabilité × impact → niveau inhérent; atténuation; niveau résiduel).',
  },
  'k-decision': { title: 'Décision et approbation', description: 'La recommandation; la décision elle-même est consignée avec l’approbation.' },
};

const gradeFr = (g: string) => (g === 'ADULT'? 'Éducation des adultes' : g === 'K'? 'Maternelle' : g === 'JK'? 'Prématernelle' : g === '1'? '1re année' : `${g}e année`);

export const GENERIC_QUESTIONS_FR: Record<string, QuestionFr> = {
  // ---------- A. Examen préliminaire ----------
  'a.personal_info': {
    prompt: 'L’application recueillera-t-elle, utilisera-t-elle, stockera-t-elle ou rendra-t-elle accessibles des renseignements personnels sur des élèves, des membres du personnel, des familles ou des bénévoles?',
    guidance:
      'Un renseignement personnel est un renseignement consigné sur une personne identifiable (FIPPA de la C.-B., MFIPPA de l’Ontario). Aux États-Unis, la FERPA protège les « dossiers scolaires » : les dossiers directement liés à un élève et tenus par l’école ou par une partie agissant pour elle. Les noms d’utilisateur, les listes de classe, les travaux d’élèves, les enregistrements vocaux et les identifiants d’appareil comptent dès qu’on peut les relier à une personne.',
  },
  'a.under_13': {
    prompt: 'Des enfants de moins de 13 ans utiliseront-ils l’application, ou des renseignements à leur sujet seront-ils recueillis?',
    guidance:
      'La COPPA s’applique aux services en ligne destinés aux enfants de moins de 13 ans ou qui recueillent sciemment leurs renseignements. Au Canada, il n’existe pas d’âge unique du consentement; la plupart des conseils scolaires considèrent que les élèves de moins de 13 ans ont besoin de la participation d’un parent pour les services facultatifs. Répondez « oui » si une année, de la prématernelle à la 7e année, utilisera l’application.',
  },
  'a.sensitive': {
    prompt: 'L’application contiendra-t-elle des renseignements sensibles : santé, adaptation scolaire, comportement, données biométriques, identité autochtone, localisation précise, ou photos, vidéos ou voix?',
    guidance:
      'Les renseignements sensibles augmentent le préjudice probable d’une atteinte et, en Colombie-Britannique, exigent une évaluation supplémentaire avant d’être stockés à l’extérieur du Canada. Les données de catégorie particulière prévues par plusieurs lois d’États américains (p. ex. les données biométriques selon la BIPA de l’Illinois) entraînent des obligations supplémentaires.',
  },
  'a.ai': {
    prompt: 'L’application applique-t-elle l’intelligence artificielle à des renseignements personnels (IA générative, notation ou rétroaction automatisée, recommandations)?',
    guidance:
      'Incluez les fonctions qu’un enseignant peut activer plus tard. Les décisions automatisées concernant des élèves exigent une révision humaine et un moyen pour les familles de demander comment un résultat a été produit.',
  },
  'a.monitoring': {
    prompt: 'L’application surveille-t-elle l’activité, les messages, la navigation ou la localisation des élèves?',
    guidance:
      'Les outils de surveillance exigent une finalité claire et proportionnée, un avis publié, des limites quant aux personnes qui voient les alertes et une courte durée de conservation. L’analyse continue des messages privés est rarement proportionnée.',
  },
  'a.outcome': {
    prompt: 'Résultat de l’examen préliminaire',
    guidance:
      'Une évaluation complète est requise dès que des renseignements personnels sont en cause. Une version abrégée convient aux applications qui ne recueillent rien d’autre qu’un pseudonyme créé par l’enseignant.',
    choices: { full: 'Évaluation complète requise', short: 'Évaluation abrégée', none: 'Aucune évaluation nécessaire : aucun renseignement personnel' },
  },
  // ---------- B. Le projet ----------
  'b.purpose': {
    prompt: 'À quelle fin éducative ou opérationnelle l’application sert-elle?',
    guidance:
      'Nommez le résultat d’apprentissage ou le besoin organisationnel, et non la liste des fonctions. La collecte doit être nécessaire à cette fin (FIPPA de la C.-B., art. 26; MFIPPA de l’Ontario, par. 28(2)); selon la FERPA, le fournisseur ne peut utiliser les dossiers qu’aux fins que le district lui a confiées.',
  },
  'b.grades': {
    prompt: 'Quelles années d’études utiliseront l’application?',
    guidance: 'Cochez chaque année; l’élément de l’inventaire consigne la même information pour les rapports.',
    choices: Object.fromEntries(GRADE_LEVELS.map((g) => [g.toLowerCase(), gradeFr(g)])),
  },
  'b.audiences': {
    prompt: 'Sur qui l’application détient-elle des renseignements?',
    guidance: '',
    choices: { students: 'Élèves', employees: 'Membres du personnel', parents: 'Parents et tuteurs', alumni: 'Anciens élèves', volunteers: 'Bénévoles' },
  },
  'b.account_model': {
    prompt: 'Comment les comptes sont-ils créés?',
    guidance:
      'L’authentification unique de l’établissement ou l’inscription automatique à partir du système d’information sur les élèves garde les comptes sous le contrôle de l’établissement et met fin à l’accès quand un élève part. L’inscription autonome des élèves avec une adresse courriel personnelle est à éviter.',
    choices: {
      sso: 'Authentification unique de l’établissement (SAML, OIDC, Google, Microsoft)',
      rostered: 'Inscription automatique depuis le système d’information sur les élèves (Clever, ClassLink, OneRoster)',
      teacher_created: 'Créés par l’enseignant',
      self_signup: 'Inscription autonome',
      no_accounts: 'Aucun compte (code d’accès ou pseudonyme)',
    },
  },
  'b.alternatives': {
    prompt: 'Quelles solutions de rechange ont été envisagées, y compris les applications déjà approuvées par l’établissement?',
    guidance: 'Une application déjà approuvée qui répond au besoin est généralement le choix le moins risqué.',
  },
  'b.owner': {
    prompt: 'Qui, dans l’établissement, est responsable de l’application (fonction ou équipe)?',
    guidance: 'Une fonction, pas une personne : par exemple « direction des technologies d’apprentissage ».',
  },
  // ---------- C. Éléments de données et flux ----------
  'c.data_elements': {
    prompt: 'Quels éléments de données l’application recueille-t-elle ou produit-elle?',
    guidance:
      'Incluez ce que le fournisseur en dérive (progrès, résultats, journaux d’utilisation) et ce que les utilisateurs peuvent saisir ou téléverser (texte libre, photos). Les éléments sensibles sont signalés dans les rapports.',
  },
  'c.flows': {
    prompt: 'Pour chaque groupe de personnes, indiquez les éléments, s’ils sont obligatoires, leur provenance et la raison pour laquelle ils sont nécessaires',
    guidance: 'Une ligne par élément et par groupe. La « provenance » est la synchronisation avec le système d’information sur les élèves, l’élève, l’enseignant ou l’application elle-même.',
    columns: { audience: 'Groupe de personnes', element: 'Élément', required: 'Obligatoire?', source: 'Provenance', purpose: 'Finalité' },
  },
  'c.minimization': {
    prompt: 'Quels éléments peuvent être désactivés ou évités?',
    guidance: 'Par exemple : prénom et initiale du nom seulement, aucune photo de profil, fonctions de partage désactivées, pseudonymes pour les jeux en direct.',
  },
  'c.ai_training': {
    prompt: 'Le fournisseur utilise-t-il les renseignements des élèves ou du personnel pour entraîner ou améliorer des modèles d’IA?',
    guidance: 'L’entraînement sur des données d’élèves est une utilisation secondaire. Exigez par contrat une possibilité de refus, ou la dépersonnalisation avant tout entraînement.',
  },
  'c.ai_detail': {
    prompt: 'Décrivez les fonctions d’IA, les renseignements qu’elles utilisent et la façon dont une personne révise les résultats automatisés',
    guidance: 'Précisez quel fournisseur de modèle traite les requêtes, où, et si les requêtes sont conservées.',
  },
  // ---------- D. Autorisation, finalité et consentement ----------
  'd.authority_ca': {
    prompt: 'En vertu de quelle autorisation les renseignements personnels sont-ils recueillis?',
    guidance:
      'C.-B. : l’alinéa 26c) de la FIPPA permet la collecte qui se rapporte directement à un programme ou à une activité de l’organisme public et qui y est nécessaire. Ontario : le paragraphe 28(2) de la MFIPPA permet la collecte nécessaire à la bonne administration d’une activité légalement autorisée (ici, la Loi sur l’éducation). Si aucune de ces dispositions ne s’applique, la fonction doit être facultative et reposer sur le consentement.',
    choices: {
      fippa_26c: 'FIPPA de la C.-B., al. 26c) : nécessaire à un programme ou à une activité',
      mfippa_28_2: 'MFIPPA de l’Ontario, par. 28(2) : nécessaire à une activité légalement autorisée',
      education_act: 'Loi provinciale sur l’éducation ou sur les écoles',
      consent: 'Consentement de la personne ou du parent',
      other: 'Autre (expliquer dans les notes)',
    },
  },
  'd.ferpa_school_official': {
    prompt: 'Le fournisseur a-t-il la qualité de « school official » (représentant de l’école) au sens de la FERPA?',
    guidance:
      'Le fournisseur doit fournir un service que le district assurerait autrement lui-même, être sous le contrôle direct du district quant à l’utilisation et à la tenue des dossiers scolaires, ne les utiliser qu’aux fins autorisées et ne pas les communiquer à son tour (34 CFR 99.31(a)(1)(i)(B)). L’avis FERPA annuel du district doit décrire qui a la qualité de représentant de l’école.',
  },
  'd.coppa_consent': {
    prompt: 'Comment le consentement prévu par la COPPA est-il obtenu pour les élèves de moins de 13 ans?',
    guidance:
      'Une école ne peut consentir au nom des parents que si le fournisseur utilise les renseignements uniquement aux fins éducatives de l’école et à aucune fin commerciale (lignes directrices de la FTC). Toute autre utilisation exige un consentement parental vérifiable.',
    choices: {
      school_educational: 'L’école autorise : usage éducatif seulement, aucun usage commercial',
      parental: 'Un consentement parental vérifiable est recueilli',
      not_applicable: 'Sans objet',
    },
  },
  'd.notice': {
    prompt: 'Quel avis de collecte les élèves et les familles reçoivent-ils?',
    guidance:
      'Le paragraphe 27(2) de la FIPPA de la C.-B. et le paragraphe 29(2) de la MFIPPA de l’Ontario exigent d’informer les personnes de la finalité, du fondement juridique, ainsi que du titre et des coordonnées d’un responsable qui peut répondre à leurs questions. Aux États-Unis, inscrivez l’application dans la liste des services en ligne du district et, dans l’État de New York, dans les renseignements complémentaires de la Déclaration des droits des parents (Education Law 2-d).',
  },
  'd.optional_features': {
    prompt: 'Quelles fonctions sont facultatives et exigent un consentement?',
    guidance: 'Le partage public, les fonctions sociales et les courriels promotionnels aux familles en sont des exemples typiques.',
  },
  // ---------- E. Utilisation et communication ----------
  'e.sale': {
    prompt: 'Le fournisseur vend-il ou loue-t-il des renseignements personnels?',
    guidance:
      'Interdit purement et simplement par de nombreuses lois d’États américains sur la protection des renseignements des élèves (p. ex. la SOPIPA de la Californie, l’Education Law 2-d de New York) et incompatible avec les limites de finalité de la FIPPA et de la MFIPPA.',
  },
  'e.marketing': { prompt: 'Des renseignements personnels sont-ils utilisés à des fins de marketing, y compris auprès des familles?', guidance: '' },
  'e.targeted_ads': {
    prompt: 'Des publicités ciblées ou comportementales sont-elles présentées aux utilisateurs?',
    guidance: 'Des publicités contextuelles destinées au personnel peuvent être acceptables; des publicités ciblées destinées aux élèves ne le sont pas.',
  },
  'e.tracking': {
    prompt: 'L’application charge-t-elle des traceurs ou des outils d’analyse de tiers qui identifient les utilisateurs?',
    guidance: 'Consultez la liste des témoins du fournisseur ou le panneau réseau d’un navigateur.',
  },
  'e.profiling': { prompt: 'Le fournisseur établit-il des profils d’élèves à des fins autres que celles de l’école?', guidance: '' },
  'e.subprocessors': {
    prompt: 'Quels sous-traitants reçoivent des renseignements personnels?',
    guidance: 'Hébergement, envoi de courriels, analytique, sous-titrage, fournisseurs de modèles d’IA. Indiquez le pays de chacun.',
    columns: { name: 'Sous-traitant', service: 'Service', country: 'Pays' },
  },
  'e.subprocessor_link': { prompt: 'Lien vers la liste publiée des sous-traitants du fournisseur', guidance: '' },
  'e.foreign_demands': {
    prompt: 'Comment le fournisseur répond-il aux demandes de données des tribunaux ou de gouvernements étrangers?',
    guidance:
      'Pour les établissements canadiens, un fournisseur sous contrôle américain peut être contraint en vertu du droit américain (p. ex. le CLOUD Act), même pour des données stockées au Canada. Recherchez l’engagement d’aviser l’établissement et de contester les demandes trop larges.',
  },
  // ---------- F. Stockage et lieu d’hébergement ----------
  'f.storage_countries': { prompt: 'Dans quels pays les renseignements sont-ils stockés?', guidance: 'Incluez les sauvegardes et les copies de reprise après sinistre.' },
  'f.processing_countries': { prompt: 'Dans quels pays sont-ils traités?', guidance: 'Le traitement comprend l’inférence d’IA, le sous-titrage et l’envoi de courriels.' },
  'f.support_countries': {
    prompt: 'À partir de quels pays le personnel du fournisseur peut-il y accéder (soutien, ingénierie)?',
    guidance: 'L’accès à distance depuis un autre pays constitue une communication à l’extérieur du pays de stockage.',
  },
  'f.outside_canada': { prompt: 'Des renseignements personnels sont-ils stockés à l’extérieur du Canada, ou consultés depuis l’extérieur du Canada?', guidance: '' },
  'f.bc_sensitive_outside': {
    prompt: 'C.-B. : des renseignements personnels sensibles sont-ils communiqués pour être stockés à l’extérieur du Canada?',
    guidance:
      'Depuis les modifications de 2021, l’article 33.1 de la FIPPA permet la communication à l’extérieur du Canada, mais la directive du ministre exige une évaluation supplémentaire des risques avant que des renseignements personnels sensibles soient stockés à l’extérieur du Canada. Consignez l’évaluation ci-dessous.',
  },
  'f.bc_supplementary': { prompt: 'C.-B. : lien vers l’évaluation supplémentaire', guidance: '' },
  'f.ns_approval': {
    prompt: 'Nouvelle-Écosse : le responsable de l’organisme public a-t-il autorisé le stockage ou l’accès à l’extérieur du Canada pour répondre aux exigences nécessaires de son fonctionnement (PIIDPA, par. 5(2))?',
    guidance:
      'La PIIDPA exige que les renseignements personnels soient stockés et consultés uniquement au Canada, sauf autorisation contraire du responsable; la décision doit être déclarée.',
  },
  'f.residency_notes': { prompt: 'Notes sur le lieu d’hébergement et les mesures de protection applicables à l’étranger', guidance: '' },
  // ---------- G. Sécurité ----------
  'g.encryption_transit': { prompt: 'Les renseignements sont-ils chiffrés en transit (TLS 1.2 ou version ultérieure)?', guidance: '' },
  'g.encryption_rest': { prompt: 'Les renseignements sont-ils chiffrés au repos?', guidance: '' },
  'g.sign_in': {
    prompt: 'Quels modes de connexion l’établissement utilisera-t-il?',
    guidance: 'Privilégiez l’authentification unique de l’établissement; désactivez les mots de passe locaux lorsque c’est possible.',
    choices: { saml: 'SAML 2.0', oidc: 'OpenID Connect', google: 'Google', microsoft: 'Microsoft', clever: 'Clever', classlink: 'ClassLink', local: 'Mots de passe locaux' },
  },
  'g.mfa': { prompt: 'L’authentification multifacteur est-elle offerte (et imposée) pour les comptes du personnel et des administrateurs?', guidance: '' },
  'g.audit_logs': { prompt: 'L’établissement peut-il voir qui a consulté ou exporté des renseignements personnels?', guidance: '' },
  'g.certifications': {
    prompt: 'Quelles attestations de sécurité indépendantes le fournisseur détient-il?',
    guidance: 'Demandez le rapport, pas le badge.',
    choices: { soc2: 'SOC 2 de type II', iso27001: 'ISO/IEC 27001', iso27701: 'ISO/IEC 27701', stateramp: 'StateRAMP', none: 'Aucune' },
  },
  'g.breach_window': {
    prompt: 'Dans quel délai le fournisseur avise-t-il l’établissement d’une atteinte à la vie privée?',
    guidance:
      'L’établissement doit à son tour aviser les personnes concernées et le commissaire (p. ex. l’article 36.3 de la FIPPA de la C.-B., « sans délai déraisonnable »; de nombreuses lois d’États américains fixent des délais précis). Un engagement du fournisseur de 72 heures ou moins est courant.',
    choices: { '24h': 'Dans les 24 heures', '72h': 'Dans les 72 heures', '7d': 'Dans les 7 jours', unspecified: 'Non précisé' },
  },
  'g.security_link': { prompt: 'Lien vers la documentation de sécurité du fournisseur', guidance: '' },
  'g.pentest_date': { prompt: 'Date du plus récent test d’intrusion indépendant', guidance: '' },
  // ---------- H. Conservation et droits des personnes ----------
  'h.retention': {
    prompt: 'Combien de temps les renseignements sont-ils conservés pendant l’utilisation de l’application?',
    guidance: 'Les données vocales, vidéo et de surveillance devraient avoir les durées les plus courtes.',
  },
  'h.deletion': {
    prompt: 'Qu’advient-il des renseignements à la fin du contrat?',
    guidance: '',
    choices: {
      auto_30d: 'Supprimés automatiquement dans les 30 jours',
      request_30d: 'Supprimés dans les 30 jours suivant la demande de l’établissement',
      request_90d: 'Supprimés dans les 90 jours suivant une demande',
      not_committed: 'Aucun engagement',
    },
  },
  'h.deletion_certificate': { prompt: 'Le fournisseur attestera-t-il la suppression par écrit?', guidance: '' },
  'h.backups': { prompt: 'Combien de temps les sauvegardes conservent-elles les renseignements supprimés?', guidance: '' },
  'h.access_correction': {
    prompt: 'Comment les élèves, les familles et le personnel consultent-ils et corrigent-ils leurs renseignements?',
    guidance:
      'Au Canada, les demandes d’accès et de rectification passent par l’établissement en vertu de la FIPPA et de la MFIPPA; le fournisseur doit prêter son concours dans les délais prévus par la loi. Selon la FERPA, les parents et les élèves admissibles peuvent consulter les dossiers scolaires et en demander la modification, y compris ceux que détient un représentant de l’école.',
  },
  // ---------- I. Ententes ----------
  'i.agreement_type': {
    prompt: 'Quelle entente encadre l’application?',
    guidance: 'Les conditions d’utilisation seules satisfont rarement aux exigences ci-dessus.',
    choices: {
      sdpc_ndpa: 'Entente nationale de confidentialité des données du SDPC (NDPA)',
      vendor_dpa: 'Entente de traitement des données du fournisseur',
      district_dpa: 'Entente propre à l’établissement',
      terms_of_service: 'Conditions d’utilisation seulement',
      none: 'Aucune',
    },
  },
  'i.signed': { prompt: 'L’entente est-elle signée?', guidance: '' },
  'i.expires': { prompt: 'Quand l’entente expire-t-elle?', guidance: 'Prévoyez le prochain examen avant cette date.' },
  'i.link': { prompt: 'Lien vers l’entente', guidance: '' },
  'i.policies_reviewed': { prompt: 'Quand la politique de confidentialité et les conditions du fournisseur ont-elles été examinées pour la dernière fois?', guidance: '' },
  // ---------- J. Registre des risques ----------
  'j.overall': {
    prompt: 'Risque global pour la vie privée avant atténuation (probabilité × impact, de 1 à 5 chacun)',
    guidance: '1 = rare ou négligeable, 5 = presque certain ou grave. Faible ≤ 4, moyen ≤ 9, élevé ≤ 16, critique au-delà.',
  },
  'j.summary': { prompt: 'Résumé des principaux risques et de la façon dont ils sont réduits', guidance: '' },
  // ---------- K. Décision et approbation ----------
  'k.recommendation': {
    prompt: 'Recommandation de l’évaluateur',
    guidance: '',
    choices: { approve: 'Approuver', approve_with_conditions: 'Approuver sous conditions', deny: 'Ne pas approuver' },
  },
  'k.teacher_guidance': {
    prompt: 'Consignes pour le personnel enseignant (conditions d’utilisation)',
    guidance: 'Écrivez en termes simples ce qu’un enseignant doit faire ou éviter : ce texte figure dans le résumé pour le personnel enseignant et dans la liste publique.',
  },
  'k.parent_notice': { prompt: 'Ce qui est communiqué aux familles', guidance: 'Figure dans le résumé pour les parents.' },
  'k.next_review': {
    prompt: 'Date du prochain examen',
    guidance: 'Procédez à un examen au moins tous les deux ans, et chaque fois que le fournisseur modifie ses conditions ou ses sous-traitants.',
  },
};
