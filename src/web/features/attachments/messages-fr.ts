/** French messages of the attached documents panel (the keys of `messages-en.ts`). */
import type { DeepStrings } from '../../i18n/types.js';
import type { attachmentsEn } from './messages-en.js';

export const attachmentsFr: DeepStrings<typeof attachmentsEn> = {
  title: 'Documents',
  intro:
    'Ententes (de traitement des données) et documents du fournisseur. PDF, Word (DOCX), PNG ou JPEG, jusqu’à {{megabytes}} Mo chacun; conservés chiffrés.',
  none: 'Aucun document joint pour l’instant.',
  listLabel: 'Documents joints',
  file: 'Fichier',
  fileHint: 'Reconnu par son contenu, quel que soit son nom.',
  kind: 'Type de document',
  kinds: { agreement: 'Entente (traitement des données)', vendor_document: 'Document du fournisseur', other: 'Autre' },
  expiresOn: 'Fin de l’entente (facultatif)',
  upload: 'Joindre',
  uploaded: '« {{name}} » joint.',
  download: 'Télécharger',
  downloadLabel: 'Télécharger {{name}}',
  delete: 'Retirer',
  deleteLabel: 'Retirer {{name}}',
  deleteTitle: 'Retirer ce document?',
  deleteText: '« {{name}} » sera retiré. Cette action est définitive.',
  deleted: '« {{name}} » retiré.',
  columns: { name: 'Nom', kind: 'Type', size: 'Taille', expires: 'Fin de l’entente', added: 'Ajouté', actions: 'Actions' },
  size: '{{value}} Ko',
};
