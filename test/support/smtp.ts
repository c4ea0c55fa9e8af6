import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps what it receives, for tests. */
export interface TestSmtp {
  port: number;
  messages: ParsedMail[];
  /** Resolves with the next message to `to` (already received or arriving within `ms`). */
  waitFor(to: string, ms?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  /**
   * Decides each message before the server accepts it: an error refuses it (its `responseCode`, e.g.
   * 451, is the SMTP reply) and it is not kept. May wait (a server slow to accept).
   */
  accept?: (mail: ParsedMail) => Promise<(Error & { responseCode?: number }) | undefined>;
}

export async function startTestSmtp(opts: TestSmtpOptions = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const waiters: { to: string; resolve: (m: ParsedMail) => void }[] = [];
  const addressed = (m: ParsedMail, to: string) => {
    const list = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
    return list.some((a) => a.value.some((v) => v.address?.toLowerCase() === to.toLowerCase()));
  };
  const server = new SMTPServer({
    authOptional: true,
    // The sandbox has no DNS; a reverse lookup would stall every connection.
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const refusal = await opts.accept?.(mail);
          if (refusal) return callback(refusal);
          messages.push(mail);
          for (const w of waiters.splice(0)) {
            if (addressed(mail, w.to)) w.resolve(mail);
            else waiters.push(w);
          }
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    waitFor(to, ms = 5000) {
      const found = messages.find((m) => addressed(m, to));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${ms} ms`)), ms);
        waiters.push({ to, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
