/**
 * The master bank's editor shows the server's field messages in the operator's language: a
 * pre-answer that is valid JSON but does not fit its question is refused by the server, and the
 * message under the field is in French for a French-speaking operator.
 */
import { expect as baseExpect, test } from '@playwright/test';
import { signIn } from './session.js';

// Starting a draft copies the whole template: on a busy machine that takes longer than the default wait.
const expect = baseExpect.configure({ timeout: 30_000 });

test('the bank editor shows a field refused by the server in French', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin@vetted.example');
  await page.getByRole('button', { name: /français/i }).click();
  await page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Banque d’ÉFVP' }).click();
  await page.getByRole('link', { name: 'Évaluation des facteurs relatifs à la vie privée (EFVP) — technologie éducative (générique)' }).click();
  await page.getByRole('button', { name: 'Commencer une nouvelle version' }).click();
  await expect(page.getByRole('heading', { name: 'Version brouillon 2' })).toBeVisible();

  // Valid JSON, so the editor sends it; the server refuses it for a yes/no/unsure question.
  const preAnswer = page.locator('[data-bank-question="a.ai"]').getByLabel('Réponse de l’opérateur (JSON)');
  await preAnswer.fill('"maybe"');
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await expect(preAnswer).toHaveAccessibleDescription(/Ne convient pas à une question de type « Oui \/ non \/ incertain »/);
  await expect(preAnswer).toBeFocused();

  // Corrected, the draft saves.
  await preAnswer.fill('"unsure"');
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await expect(preAnswer).not.toHaveAccessibleDescription(/Ne convient pas/);

  // A version is published only in both languages: a question left without its French wording is named.
  const french = page.locator('[data-bank-question="a.ai"]').getByLabel(/^Formulation française de la question/);
  await expect(french).toHaveValue(/intelligence artificielle/);
  await expect(french).toHaveAttribute('lang', 'fr');
  await french.fill('');
  await page.getByRole('button', { name: 'Publier cette version' }).click();
  await expect(french).toHaveAccessibleDescription('Doit être traduit en français avant la publication de la version');
  await expect(french).toBeFocused();
  // The language chosen is kept on the account: back to English for the other journeys.
  await page.getByRole('button', { name: /english/i }).click();
});
