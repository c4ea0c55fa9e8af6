import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSmtp } from '../../../test/support/smtp.js';
import { createMailer } from './mail.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('mail', () => {
  it('writes .eml files readable only by the service when no SMTP server is configured', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-mail-'));
    dirs.push(dataDir);
    const mailer = createMailer({ dataDir, smtp: undefined, mailFrom: 'Vetted <no-reply@vetted.local>' });
    await mailer.send({ to: 'someone@example.org', subject: 'Hello / Bonjour', text: 'Link: http://localhost/invite?token=abc' });
    const files = await readdir(mailer.folder!);
    expect(files).toHaveLength(1);
    const file = path.join(mailer.folder!, files[0]!);
    const eml = await readFile(file, 'utf8');
    expect(eml).toMatch(/^To: someone@example.org$/m);
    expect(eml).toContain('invite?token=abc');
    expect((await stat(file)).mode & 0o077).toBe(0);
  });

  it('sends through an SMTP server when one is configured', async () => {
    const smtp = await startTestSmtp();
    try {
      const mailer = createMailer({ dataDir: tmpdir(), smtp: { host: '127.0.0.1', port: smtp.port, secure: false }, mailFrom: 'Vetted <no-reply@vetted.local>' });
      expect(mailer.folder).toBeUndefined();
      await mailer.send({ to: 'smtp.peer@example.org', subject: 'Over SMTP', text: 'body text' });
      const got = await smtp.waitFor('smtp.peer@example.org');
      expect(got.subject).toBe('Over SMTP');
      expect(got.text?.trim()).toBe('body text');
    } finally {
      await smtp.close();
    }
  });
});
