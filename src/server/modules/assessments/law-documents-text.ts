/**
 * The fixed wording of the documents the laws ask for (law-documents.ts), in English and Canadian
 * French. What the institution answered is printed as written; everything else comes from here.
 */
import type { AgreementType, Language } from '../../../contracts/domain.js';
import type { LawDocumentKind } from '../../../contracts/assessments.js';

const en = {
  colon: ': ',
  missing: 'Not answered in the assessment yet.',
  agreementExpires: 'Agreement expires',
  agreementTypes: {
    none: 'No agreement',
    sdpc_ndpa: 'SDPC National Data Privacy Agreement',
    vendor_dpa: 'Vendor’s data processing agreement',
    district_dpa: 'Institution’s own agreement',
    terms_of_service: 'Terms of service',
    other: 'Other agreement',
  } satisfies Record<AgreementType, string> as Record<string, string>,
  titles: {
    'ny-supplemental': 'New York: supplemental information about the contract (Education Law 2-d)',
    'il-operators': 'Illinois: operators with written agreements (SOPPA)',
    'bc-outside-canada': 'BC: assessment of disclosure for storage outside Canada',
    'qc-pia-summary': 'Québec: privacy impact assessment summary',
  } satisfies Record<LawDocumentKind, string>,
  ny: {
    title: (app: string) => `Supplemental information about the contract for ${app}`,
    basis:
      'New York Education Law § 2-d and 8 NYCRR Part 121 (s. 121.3). This supplemental information is part of the contract, with the Parents’ Bill of Rights for Data Privacy and Security.',
    intro: (institution: string, app: string, vendor: string) =>
      `${institution} shares student data, or teacher or principal data, with ${vendor || app} to provide ${app}. As Education Law § 2-d requires, this supplemental information accompanies ${institution}’s Parents’ Bill of Rights for Data Privacy and Security, which is included in the contract and published on ${institution}’s website.`,
    purposes: 'The exclusive purposes for which the data will be used',
    purposeOfUse: 'Purpose of the app',
    subcontractors:
      'How the contractor ensures subcontractors and others it shares data with abide by the data protection and security requirements',
    subprocessors: 'Subcontractors',
    duration: 'The duration of the contract and what happens to the data when it expires',
    atEnd: 'At the end of the contract',
    challenge: 'How a parent, student, eligible student, teacher or principal may challenge the accuracy of the data',
    accessCorrection: 'Access and correction',
    storage: 'Where the data will be stored and the security protections taken',
    countries: 'Countries of storage',
    encryption: 'How the data is protected by encryption while in motion and at rest',
    inTransit: 'Encrypted in transit',
    atRest: 'Encrypted at rest',
  },
  il: {
    title: (institution: string) => `${institution}: operators with written agreements and the data they collect`,
    basis: 'Illinois Student Online Personal Protection Act (105 ILCS 85), as amended by Public Act 101-516.',
    intro: (institution: string) =>
      `The operators with which ${institution} has a written agreement, as its inventory records them, with the data elements each collects. SOPPA asks the school to publish this list on its website with a copy of each agreement and the operator’s subcontractors.`,
    operators: 'Operators',
    headers: ['Operator', 'App', 'Data elements', 'Agreement'],
    none: 'No operator has a signed written agreement recorded in the inventory yet.',
    signedOn: (date: string) => `signed ${date}`,
  },
  bc: {
    title: (app: string) => `Assessment of disclosure for storage outside Canada: ${app}`,
    basis:
      'BC Freedom of Information and Protection of Privacy Act, s. 33.1, and the minister’s direction on privacy impact assessments (supplementary assessment for sensitive personal information stored outside Canada). A summary to support the head’s decision, not legal advice.',
    intro: (institution: string, app: string, vendor: string) =>
      `${institution} assesses the disclosure of personal information held by ${app} (${vendor || app}) for storage or access outside Canada, and the safeguards that reduce the risk.`,
    where: 'Storage and access outside Canada',
    outside: 'Stored in or accessed from outside Canada',
    storage: 'Countries of storage',
    processing: 'Countries of processing',
    support: 'Countries of support access',
    description: 'What is stored or accessed abroad, by whom and why',
    sensitivity: 'Sensitivity of the information',
    sensitiveOutside: 'Sensitive information stored outside Canada',
    sensitiveElements: 'Sensitive data elements recorded in the inventory',
    safeguards: 'Contractual, technical and administrative safeguards',
    foreignDemands: 'Demands from courts or foreign governments',
    atRest: 'Encrypted at rest',
    subprocessors: 'Service providers and subprocessors',
    conclusion: 'Conclusion of the assessment',
  },
  qc: {
    title: (app: string) => `Privacy impact assessment summary: ${app}`,
    basis:
      'Act respecting access to documents held by public bodies and the protection of personal information (CQLR c. A-2.1), ss. 63.5 and 70.1, as amended by Law 25.',
    intro: (institution: string, app: string, vendor: string) =>
      `A summary of ${institution}’s privacy impact assessment of ${app} (${vendor || app}): the factors the Act asks it to weigh before acquiring the system and before communicating personal information outside Québec.`,
    project: 'Assessment before acquiring the system',
    beforeAcquiring: 'Assessment carried out before acquisition (s. 63.5)',
    committee: 'Committee on access to information and the protection of personal information consulted',
    sensitivity: 'Sensitivity of the information',
    elements: 'Data elements recorded in the inventory',
    purpose: 'Purpose of its use',
    purposeOfUse: 'Purpose of the app',
    protection: 'Protection measures, including contractual ones',
    inTransit: 'Encrypted in transit',
    atRest: 'Encrypted at rest',
    outside: 'Communication outside Québec',
    storage: 'Countries of storage',
    processing: 'Countries of processing',
    legalFramework: 'Legal framework of the place of destination',
    conclusion: 'Conclusion: adequate protection and written agreement (s. 70.1)',
  },
};
export type LawText = typeof en;

const fr: LawText = {
  colon: ' : ',
  missing: 'L’évaluation ne répond pas encore à cette question.',
  agreementExpires: 'Expiration de l’entente',
  agreementTypes: {
    none: 'Aucune entente',
    sdpc_ndpa: 'Entente nationale sur la confidentialité des données (SDPC NDPA)',
    vendor_dpa: 'Entente de traitement des données du fournisseur',
    district_dpa: 'Entente propre à l’établissement',
    terms_of_service: 'Conditions d’utilisation',
    other: 'Autre entente',
  },
  titles: {
    'ny-supplemental': 'New York : renseignements supplémentaires sur le contrat (Education Law 2-d)',
    'il-operators': 'Illinois : exploitants liés par une entente écrite (SOPPA)',
    'bc-outside-canada': 'C.-B. : évaluation de la communication pour stockage à l’extérieur du Canada',
    'qc-pia-summary': 'Québec : sommaire de l’évaluation des facteurs relatifs à la vie privée',
  },
  ny: {
    title: (app) => `Renseignements supplémentaires sur le contrat visant ${app}`,
    basis:
      'Education Law § 2-d de l’État de New York et 8 NYCRR partie 121 (art. 121.3). Ces renseignements supplémentaires font partie du contrat, avec la Parents’ Bill of Rights for Data Privacy and Security.',
    intro: (institution, app, vendor) =>
      `${institution} communique des données d’élèves, ou d’enseignants ou de directions, à ${vendor || app} pour fournir ${app}. Comme l’exige l’Education Law § 2-d, ces renseignements supplémentaires accompagnent la Parents’ Bill of Rights for Data Privacy and Security de ${institution}, incluse dans le contrat et publiée sur le site Web de ${institution}.`,
    purposes: 'Les fins exclusives auxquelles les données seront utilisées',
    purposeOfUse: 'Fin de l’application',
    subcontractors:
      'Comment le contractant s’assure que ses sous-traitants et les autres personnes avec qui il partage les données respectent les exigences de protection et de sécurité',
    subprocessors: 'Sous-traitants',
    duration: 'La durée du contrat et ce qu’il advient des données à son expiration',
    atEnd: 'À la fin du contrat',
    challenge: 'Comment un parent, un élève, un élève majeur, un enseignant ou une direction peut contester l’exactitude des données',
    accessCorrection: 'Accès et rectification',
    storage: 'L’endroit où les données seront stockées et les mesures de sécurité prises',
    countries: 'Pays de stockage',
    encryption: 'Comment les données sont protégées par chiffrement en transit et au repos',
    inTransit: 'Chiffrées en transit',
    atRest: 'Chiffrées au repos',
  },
  il: {
    title: (institution) => `${institution} : exploitants liés par une entente écrite et données qu’ils recueillent`,
    basis: 'Student Online Personal Protection Act de l’Illinois (105 ILCS 85), telle que modifiée par la Public Act 101-516.',
    intro: (institution) =>
      `Les exploitants avec lesquels ${institution} a conclu une entente écrite, tels que son inventaire les inscrit, avec les éléments de données que chacun recueille. La SOPPA demande à l’école de publier cette liste sur son site Web avec une copie de chaque entente et les sous-traitants de l’exploitant.`,
    operators: 'Exploitants',
    headers: ['Exploitant', 'Application', 'Éléments de données', 'Entente'],
    none: 'Aucun exploitant lié par une entente écrite signée n’est encore inscrit à l’inventaire.',
    signedOn: (date) => `signée le ${date}`,
  },
  bc: {
    title: (app) => `Évaluation de la communication pour stockage à l’extérieur du Canada : ${app}`,
    basis:
      'Freedom of Information and Protection of Privacy Act de la Colombie-Britannique, art. 33.1, et directive du ministre sur les évaluations des facteurs relatifs à la vie privée (évaluation supplémentaire des renseignements personnels sensibles stockés à l’extérieur du Canada). Résumé à l’appui de la décision de la personne responsable; ce n’est pas un avis juridique.',
    intro: (institution, app, vendor) =>
      `${institution} évalue la communication des renseignements personnels que contient ${app} (${vendor || app}) pour leur stockage ou leur consultation à l’extérieur du Canada, et les mesures qui en réduisent le risque.`,
    where: 'Stockage et accès à l’extérieur du Canada',
    outside: 'Stockés ou consultés à l’extérieur du Canada',
    storage: 'Pays de stockage',
    processing: 'Pays de traitement',
    support: 'Pays d’accès du soutien',
    description: 'Ce qui est stocké ou consulté à l’étranger, par qui et pourquoi',
    sensitivity: 'Sensibilité des renseignements',
    sensitiveOutside: 'Renseignements sensibles stockés à l’extérieur du Canada',
    sensitiveElements: 'Éléments de données sensibles inscrits à l’inventaire',
    safeguards: 'Mesures contractuelles, techniques et administratives',
    foreignDemands: 'Demandes de tribunaux ou de gouvernements étrangers',
    atRest: 'Chiffrées au repos',
    subprocessors: 'Fournisseurs de services et sous-traitants',
    conclusion: 'Conclusion de l’évaluation',
  },
  qc: {
    title: (app) => `Sommaire de l’évaluation des facteurs relatifs à la vie privée : ${app}`,
    basis:
      'Loi sur l’accès aux documents des organismes publics et sur la protection des renseignements personnels (RLRQ, c. A-2.1), art. 63.5 et 70.1, telle que modifiée par la Loi 25.',
    intro: (institution, app, vendor) =>
      `Sommaire de l’évaluation des facteurs relatifs à la vie privée de ${app} (${vendor || app}) par ${institution} : les facteurs que la loi lui demande de considérer avant d’acquérir le système et avant de communiquer des renseignements personnels à l’extérieur du Québec.`,
    project: 'Évaluation avant l’acquisition du système',
    beforeAcquiring: 'Évaluation faite avant l’acquisition (art. 63.5)',
    committee: 'Comité sur l’accès à l’information et la protection des renseignements personnels consulté',
    sensitivity: 'Sensibilité des renseignements',
    elements: 'Éléments de données inscrits à l’inventaire',
    purpose: 'Finalité de leur utilisation',
    purposeOfUse: 'Fin de l’application',
    protection: 'Mesures de protection, y compris contractuelles',
    inTransit: 'Chiffrés en transit',
    atRest: 'Chiffrés au repos',
    outside: 'Communication à l’extérieur du Québec',
    storage: 'Pays de stockage',
    processing: 'Pays de traitement',
    legalFramework: 'Régime juridique de l’endroit de destination',
    conclusion: 'Conclusion : protection adéquate et entente écrite (art. 70.1)',
  },
};

export const LAW_TEXT: Record<Language, LawText> = { en, fr };
