/** French messages of the public list page and its settings (the keys of `messages-en.ts`). */
import type { DeepStrings } from '../../i18n/types.js';
import type { publicListEn } from './messages-en.js';

export const publicListFr: DeepStrings<typeof publicListEn> = {
  page: {
    title: 'Applications approuvées par {{name}}',
    intro:
      '{{name}} a examiné ces applications sous l’angle de la protection de la vie privée et les a approuvées. Voici les niveaux et les écoles qui les utilisent, les renseignements qu’elles recueillent et le lieu où ils sont conservés.',
    updated: 'Dernière mise à jour : {{date}}',
    filters: 'Filtrer la liste',
    grade: 'Niveau',
    school: 'École',
    search: 'Rechercher une application ou un fournisseur',
    anyGrade: 'Tous les niveaux',
    anySchool: 'Toutes les écoles',
    count_one: '{{count}} application',
    count_other: '{{count}} applications',
    none: 'Aucune application approuvée ne correspond à ces filtres.',
    empty: 'Aucune application n’a encore été publiée sur cette liste.',
    notFound: 'Il n’y a pas de liste publique à cette adresse.',
    notFoundHint: 'Vérifiez l’adresse ou demandez à l’école l’adresse de sa liste publique.',
    grades: 'Niveaux',
    schools: 'Écoles',
    allSchools: 'Toutes les écoles',
    audiences: 'Utilisée par',
    dataElements: 'Renseignements recueillis',
    storage: 'Lieu de conservation des données',
    storageUnknown: 'Non précisé par le fournisseur',
    purpose: 'Pourquoi elle est utilisée',
    conditions: 'Conditions d’utilisation',
    approvedOn: 'Évaluation de la vie privée approuvée le {{date}}',
    website: 'Site Web',
    privacyPolicy: 'Politique de confidentialité',
    by: 'par {{vendor}}',
    approved: 'Approuvée',
    approved_with_conditions: 'Approuvée sous conditions',
    footer: 'Cette liste ne contient aucun renseignement sur les élèves, le personnel ou les familles.',
  },
  settings: {
    title: 'Liste publique',
    intro:
      'Publiez les applications approuvées à une adresse publique que les parents peuvent consulter. Seules les applications approuvées marquées « Afficher sur la liste publique » y figurent, jamais de renseignements sur des personnes.',
    address: 'Adresse de la liste publique',
    addressHint: 'De 3 à 60 lettres minuscules, chiffres ou traits d’union.',
    publish: 'Publier à cette adresse',
    unpublish: 'Retirer la liste',
    published: 'Votre liste publique se trouve à',
    notPublished: 'Votre établissement n’a pas de liste publique.',
    saved: 'Liste publique enregistrée.',
    removed: 'Liste publique retirée.',
  },
};
