import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Config } from './config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * The institution the message is about, when there is one. Written only into embedded-mode files
   * (header `X-Vetted-Tenant`), so that purging the institution removes its mail; never sent by SMTP.
   */
  tenantId?: string;
  /**
   * A stable Message-ID (`<…@…>`): the outbox derives it from the mail's idempotency key, so that a
   * copy sent again after a crash is recognisable as the same message.
   */
  messageId?: string;
  /**
   * The recipient is not a user and their address must not be kept: embedded mode writes the file
   * without it (the envelope still names it for the transport, the file's headers do not).
   */
  recipientNotKept?: boolean;
}

const require = createRequire(import.meta.url);
let nodemailerLib: typeof Nodemailer | undefined;
/** nodemailer, loaded with the first message sent: most starts send none before serving. */
function nodemailer(): typeof Nodemailer {
  return (nodemailerLib ??= require('nodemailer') as typeof Nodemailer);
}

/** The header of an embedded-mode mail file naming its institution. */
export const TENANT_HEADER = 'X-Vetted-Tenant';

/** Sends email: by SMTP when configured, else into `.eml` files under DATA_DIR/mail. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Where embedded mode writes, for the start banner; undefined with SMTP. */
  readonly folder: string | undefined;
}

export function createMailer(config: Pick<Config, 'smtp' | 'mailFrom' | 'dataDir'>): Mailer {
  if (config.smtp) {
    const { host, port, secure, user, password } = config.smtp;
    let transport: Transporter | undefined;
    const smtp = () =>
      (transport ??= nodemailer().createTransport({
        host,
        port,
        secure,
        auth: user ? { user, pass: password } : undefined,
        // Security: refuse to send credentials or invitation links over an unencrypted channel unless the
        // server is on loopback (a local relay or a test server).
        requireTLS: !secure && !isLoopback(host),
      }));
    return {
      folder: undefined,
      async send(m) {
        await smtp().sendMail({
          from: config.mailFrom,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          ...(m.messageId ? { messageId: m.messageId } : {}),
        });
      },
    };
  }
  const folder = path.join(config.dataDir, 'mail');
  let transport: Transporter | undefined;
  const files = () => (transport ??= nodemailer().createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
  return {
    folder,
    async send(m) {
      const info = await files().sendMail({
        from: config.mailFrom,
        ...(m.recipientNotKept
          ? { to: 'undisclosed-recipients:;', envelope: { from: config.mailFrom, to: 'requester@recipient-not-kept.invalid' } }
          : { to: m.to }),
        subject: m.subject,
        text: m.text,
        html: m.html,
        ...(m.messageId ? { messageId: m.messageId } : {}),
        ...(m.tenantId ? { headers: { [TENANT_HEADER]: m.tenantId } } : {}),
      });
      await mkdir(folder, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 24)}.eml`;
      await writeFile(path.join(folder, name), info.message as Buffer, { mode: 0o600 });
    },
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** The header block of a mail file, unfolded, as lowercase name → values. */
function headersOf(eml: string): Map<string, string[]> {
  const end = eml.search(/\r?\n\r?\n/);
  const block = (end < 0 ? eml : eml.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const out = new Map<string, string[]>();
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    out.set(name, [...(out.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  return out;
}

/**
 * Deletes the embedded-mode mail files of an institution from `folder`: those whose
 * `X-Vetted-Tenant` header names it, and those without the header addressed to one of `addresses`
 * (its people: mail written before the header existed, and account mail, which names no
 * institution). A file that names another institution is kept. Returns how many were deleted.
 */
export async function removeTenantMail(folder: string, tenantId: string, addresses: readonly string[]): Promise<number> {
  const names = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const wanted = new Set(addresses.map((a) => a.toLowerCase()));
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith('.eml'))) {
    const file = path.join(folder, name);
    const headers = headersOf(await readFile(file, 'utf8'));
    const tenant = headers.get(TENANT_HEADER.toLowerCase())?.[0];
    const to = (headers.get('to') ?? []).flatMap((v) => [...v.matchAll(/[^\s<>,"]+@[^\s<>,"]+/g)].map((m) => m[0].toLowerCase()));
    if (tenant === tenantId || (tenant === undefined && to.some((a) => wanted.has(a)))) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
