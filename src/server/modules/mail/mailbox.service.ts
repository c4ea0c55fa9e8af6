/**
 * The operator's mailbox, in embedded mode only: what the service sent, to read without a mail
 * server. With SMTP configured the content is erased once sent and the mailbox does not exist (404).
 */
import type { MailboxItemBody, MailboxMessageBody } from '../../../contracts/mail.js';
import { authorize, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { withSystem } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { openContent, systemFindMail, systemListMailbox, type OutboxStatus } from './outbox.repo.js';

type Row = Awaited<ReturnType<typeof systemListMailbox>>['items'][number];

function presentItem(r: Row): MailboxItemBody {
  return {
    id: r.id,
    recipient: r.recipient,
    subject: r.subject,
    template: r.template,
    language: r.language === 'fr' ? 'fr' : 'en',
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
  };
}

export function createMailboxService(ctx: Pick<AppContext, 'db' | 'config' | 'mailer'>) {
  const { db, config, mailer } = ctx;
  const assertEmbedded = () => {
    if (mailer.folder === undefined) throw notFound('Mailbox');
  };
  return {
    async list(actor: Actor, q: { page: number; pageSize: number }) {
      authorize(actor, 'readMailbox');
      assertEmbedded();
      const { items, total } = await withSystem(db, (tx) => systemListMailbox(tx, q.pageSize, (q.page - 1) * q.pageSize));
      return { items: items.map(presentItem), total, page: q.page, pageSize: q.pageSize };
    },

    async get(actor: Actor, id: string): Promise<MailboxMessageBody> {
      authorize(actor, 'readMailbox');
      assertEmbedded();
      const row = await withSystem(db, (tx) => systemFindMail(tx, id));
      if (!row) throw notFound('Mail');
      let text: string | null = null;
      try {
        text = row.content ? openContent(config.secretKeys, row.id, row.content).text : null;
      } catch {
        text = null;
      }
      return { ...presentItem(row), text };
    },
  };
}
export type MailboxService = ReturnType<typeof createMailboxService>;
