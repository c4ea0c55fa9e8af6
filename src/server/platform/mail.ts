import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from './config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends email: by SMTP when configured, else into `.eml` files under DATA_DIR/mail. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Where embedded mode writes, for the start banner; undefined with SMTP. */
  readonly folder: string | undefined;
}

export function createMailer(config: Pick<Config, 'smtp' | 'mailFrom' | 'dataDir'>): Mailer {
  if (config.smtp) {
    const { host, port, secure, user, password } = config.smtp;
    const transport = nodemailer.createTransport({
      host,
      port,
      secure,
      auth: user ? { user, pass: password } : undefined,
      // Security: refuse to send credentials or invitation links over an unencrypted channel unless the
      // server is on loopback (a local relay or a test server).
      requireTLS: !secure && !isLoopback(host),
    });
    return {
      folder: undefined,
      async send(m) {
        await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text, html: m.html });
      },
    };
  }
  const folder = path.join(config.dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    folder,
    async send(m) {
      const info = await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text, html: m.html });
      await mkdir(folder, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 24)}.eml`;
      await writeFile(path.join(folder, name), info.message as Buffer, { mode: 0o600 });
    },
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
