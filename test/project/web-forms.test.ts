import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web has one form system: a form under `src/web/features` holds its fields in react-hook-form
 * on an API contract (`useContractForm`, src/web/lib/form.ts), so a field's rule lives once and its
 * message reads the same whether the browser or the server finds it. A file that renders a form
 * (`<form`, `component="form"`) or submits one (`onSubmit=`) without the hook fails here.
 */
const features = join(import.meta.dirname, '..', '..', 'src', 'web', 'features');

/** Forms that are not field forms, each with the reason. */
const NOT_CONTRACT_FORMS: Readonly<Record<string, string>> = {
  // The autosaving answer of a PIA question: each change is saved at once, serialised per answer.
  'assessments/AnswerField.tsx': 'autosave, no submit',
  // The master bank's editor: its drafts are whole trees saved by the bank's own versioning.
  'assessments/BankEditor.tsx': 'the bank editor keeps its own draft state',
  // The frame of the pages outside the app: the page's form hands it its submit handler.
  'identity/PublicForm.tsx': 'layout of a form, its fields live in the page that uses it',
  // The first page a visitor loads: react-hook-form and the schema library would take it over its
  // 150 KB script budget (test/api/web-assets.test.ts); the server's 400 fields show under its fields.
  'identity/SignInPage.tsx': 'the first page stays within its script budget',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.tsx') ? [path] : [];
  });
}

describe('the web forms', () => {
  const handWritten = () =>
    files(features)
      .map((path) => ({ name: relative(features, path), source: readFileSync(path, 'utf8') }))
      .filter(({ name }) => !(name in NOT_CONTRACT_FORMS))
      .filter(({ source }) => /<form[\s>]|component="form"|\bonSubmit=/.test(source))
      .filter(({ source }) => !/\buseContractForm\(/.test(source))
      .map(({ name }) => name);

  it('hold their fields in react-hook-form on a contract', () => {
    expect(handWritten()).toEqual([]);
  });

  it('names only files that still exist among its exceptions', () => {
    for (const name of Object.keys(NOT_CONTRACT_FORMS)) expect(statSync(join(features, name)).isFile(), name).toBe(true);
  });
});
