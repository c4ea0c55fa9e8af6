/** Messages en français canadien des cellules régionales : la page des paquets de la banque et le résumé par région de la page des établissements. */
import type { regionCellsEn } from './messages-en.js';

export const regionCellsFr: typeof regionCellsEn = {
  nav: 'Paquets de la banque',
  title: 'Paquets de la banque',
  intro:
    'Le catalogue et la banque maîtresse sont tenus dans la région principale et transmis aux autres régions dans un paquet signé. Il ne contient aucun renseignement personnel.',
  deployment: 'Ce déploiement dessert la région {{region}} ({{code}}).',
  primary: 'Cette région publie la banque : sa clé de signature est {{keyId}}.',
  notPrimary: 'Cette région ne publie pas la banque : elle applique les paquets de la région principale.',
  trusted: 'Clés acceptées pour l’importation : {{keys}}',
  noTrusted: 'Aucune clé n’est acceptée pour l’importation ici (BUNDLE_TRUSTED_KEYS).',
  pull: 'Récupéré de {{url}} selon l’horaire {{cron}} (UTC).',
  noPull: 'Aucune récupération planifiée : téléversez les paquets ici.',
  publish: 'Publier un paquet',
  published: 'Paquet {{sequence}} publié.',
  upload: 'Fichier du paquet à appliquer',
  uploadHint: 'Un fichier .json publié par la région principale, tel qu’il a été publié.',
  apply: 'Appliquer le paquet',
  applied: 'Paquet {{sequence}} appliqué : {{count}} nouvelles versions de la banque.',
  history: 'Paquets de cette région',
  none: 'Aucun paquet pour l’instant.',
  direction: 'Sens',
  exported: 'Publié',
  imported: 'Appliqué',
  sequence: 'Numéro',
  keyId: 'Clé',
  digest: 'Empreinte du contenu',
  at: 'Date',
  byRegion: 'Établissements par région : {{ca}} au Canada (ca), {{us}} aux États-Unis (us).',
  misplaced: 'Relève de la région {{region}}',
  misplacedHint:
    'Son pays est desservi par une autre région : transférez-le (Guide d’exploitation, « Moving an institution between regions »).',
};
