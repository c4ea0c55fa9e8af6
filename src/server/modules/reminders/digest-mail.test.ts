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

  it('names staff requests waiting for triage last, one day or several, in English and French', () => {
    const lines = [
      { category: 'triage' as const, subject: 'Story Maker', days: 1, date: '5 May 2031', url: 'https://vetted.example/requests' },
      { category: 'triage' as const, subject: 'Math Quest', days: 4, date: '2 May 2031', url: 'https://vetted.example/requests' },
      { category: 'decisions' as const, subject: 'Quillpath', days: 9, date: '1 May 2031', url: 'https://vetted.example/assessments/1' },
    ];
    const en = renderMail('reminder-digest', 'en', { ...facts('x'), lines });
    expect(en.text.indexOf('Assessments waiting for a decision')).toBeLessThan(en.text.indexOf('Staff requests waiting for triage'));
    expect(en.text).toContain('A staff request for Story Maker has waited 1 day for triage (requested 5 May 2031).');
    expect(en.text).toContain('A staff request for Math Quest has waited 4 days for triage (requested 2 May 2031).');
    const fr = renderMail('reminder-digest', 'fr', { ...facts('x'), lines });
    expect(fr.text).toContain('Demandes du personnel en attente de triage');
    expect(fr.text).toContain('Une demande du personnel pour Story Maker attend le triage depuis 1 jour (faite le 5 May 2031).');
    expect(fr.text).toContain('Une demande du personnel pour Math Quest attend le triage depuis 4 jours (faite le 2 May 2031).');
  });
});
