/** French messages of the notification centre (the keys of `messages-en.ts`). */
import type { ReminderCategory } from '../../../contracts/reminders.js';
import type { DeepStrings } from '../../i18n/types.js';
import type { remindersEn } from './messages-en.js';

const categories: Record<ReminderCategory, string> = {
  reviews: 'Révisions à faire (30, 7 et 0 jours avant)',
  agreements: 'Ententes qui expirent (60, 30 et 0 jours avant)',
  decisions: 'Évaluations en attente d’une décision',
  triage: 'Demandes du personnel en attente de triage',
};

export const remindersFr: DeepStrings<typeof remindersEn> = {
  nav: 'Notifications',
  bell_zero: 'Notifications : aucune non lue',
  bell_one: 'Notifications : {{count}} non lue',
  bell_other: 'Notifications : {{count}} non lues',
  title: 'Notifications',
  intro: 'Vos rappels quotidiens : ce qui arrive à échéance, ce qui expire et ce qui attend une décision ou un triage.',
  empty: 'Aucune notification pour l’instant.',
  list: 'Mes notifications',
  unreadBadge: 'Non lue',
  markRead: 'Marquer comme lue',
  markReadFor: 'Marquer comme lue : {{subject}}',
  markAllRead: 'Tout marquer comme lu',
  markedAll: 'Toutes vos notifications sont marquées comme lues.',
  dayOf: 'Rappel du {{date}}',
  sentence: {
    reviews: { today: 'Révision prévue aujourd’hui ({{date}})', inDays: 'Révision prévue dans {{days}} jours ({{date}})' },
    agreements: { today: 'L’entente expire aujourd’hui ({{date}})', inDays: 'L’entente expire dans {{days}} jours ({{date}})' },
    decisions: { waiting: 'En attente d’une décision depuis {{days}} jours (soumise le {{date}})' },
    triage: {
      waiting_one: 'Demande du personnel en attente de triage depuis {{count}} jour (faite le {{date}})',
      waiting_other: 'Demande du personnel en attente de triage depuis {{count}} jours (faite le {{date}})',
    },
  },
  categories,
  prefs: {
    title: 'Mes rappels',
    intro: 'Chaque matin, Vetted cherche ce qui requiert votre attention et le dépose ici.',
    defaults: 'Ce sont les choix par défaut de votre rôle, jusqu’à ce que vous enregistriez les vôtres.',
    categories: 'Ce que contiennent mes rappels quotidiens',
    byEmail: 'M’envoyer aussi mes rappels par courriel (un message par jour, seulement s’il y a quelque chose)',
    waitDays: 'Me rappeler une évaluation en attente d’une décision après ce nombre de jours',
    save: 'Enregistrer mes choix de rappels',
    saved: 'Vos choix de rappels sont enregistrés.',
  },
};
