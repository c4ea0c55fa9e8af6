import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JURISDICTIONS } from '../../contracts/assessments.js';
import { contentProblems } from '../modules/assessments/bank.service.js';
import { jurisdictionSections } from './pia-jurisdictions.js';
import { bankGenericSections } from './seed-pia-bank.js';

const sources = readFileSync(new URL('../../../docs/bank-sources.md', import.meta.url), 'utf8');
const questions = bankGenericSections().flatMap((s) => s.questions);

describe('the jurisdiction questions of the master bank', () => {
  it('asks something of every jurisdiction the bank knows, and names each one’s source', () => {
    for (const tag of JURISDICTIONS) {
      expect(questions.filter((q) => q.jurisdictions.includes(tag)).length, `questions tagged ${tag}`).toBeGreaterThan(0);
      // A row of the sources table starts with the tag.
      expect(sources, `docs/bank-sources.md has no row for ${tag}`).toMatch(new RegExp(`^\\| \`${tag}\` \\| [^|]+ \\| [^|]+ \\| https?://`, 'm'));
    }
  });

  it('is valid bank content with unique keys, written in English and French', () => {
    expect(contentProblems(bankGenericSections())).toEqual({});
    for (const section of jurisdictionSections()) {
      expect(section.fr?.title).toBeTruthy();
      for (const q of section.questions) {
        expect(q.jurisdictions.length, q.key).toBeGreaterThan(0);
        expect(q.fr?.prompt, q.key).toBeTruthy();
        expect(q.fr?.guidance, q.key).toMatch(/pas un avis juridique/);
        expect(q.guidance, q.key).toMatch(/not legal advice/);
        for (const c of q.options.choices ?? []) expect(q.fr?.choices[c.value], `${q.key}: ${c.value}`).toBeTruthy();
      }
    }
  });
});
