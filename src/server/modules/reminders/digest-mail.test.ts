import { describe, expect, it } from 'vitest';
import { renderMail } from '../mail/mail.templates.js';

const facts = (subject: string) => ({
  firstName: 'Ada',
  institutionName: 'North & South <District>',
  lines: [
    { category: 'decisions' as const, subject, days: 9, date: '1 May 2031', url: 'https://vetted.example/assessments/1?a=1&b=2' },
    { category: 'reviews' as const, subject, days: 0, date: '20 May 2031', url: 'https://vetted.example/inventory/1' },
  ],
  link: 'https://vetted.example/notifications',
});

describe('the reminder digest mail', () => {
  it('groups its lines by category in the service’s order and escapes every value in the HTML', () => {
    const mail = renderMail('reminder-digest', 'en', facts('<img src=x onerror=alert(1)>'));
    expect(mail.subject).toBe('Vetted: 2 reminders for North & South <District>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('North &amp; South &lt;District&gt;');
    expect(mail.html).toContain('href="https://vetted.example/assessments/1?a=1&amp;b=2"');
    // Reviews before decisions, whatever order the lines came in.
    expect(mail.text.indexOf('Reviews due')).toBeLessThan(mail.text.indexOf('Assessments waiting for a decision'));
    expect(mail.text).toContain('The review of <img src=x onerror=alert(1)> is due today (20 May 2031).');
  });

  it('speaks French to French readers, singular for one reminder', () => {
    const mail = renderMail('reminder-digest', 'fr', { ...facts('Quillpath'), lines: facts('Quillpath').lines.slice(0, 1) });
    expect(mail.subject).toBe('Vetted : 1 rappel pour North & South <District>');
    expect(mail.text).toContain('L’évaluation de Quillpath attend une décision depuis 9 jours (soumise le 1 May 2031).');
    expect(mail.html).toContain('<html lang="fr-CA">');
  });
});
