/**
 * The notification centre in the browser, in English and in French: the day's digest (made when the
 * server's workers start, after the demo is seeded) names an agreement expiring in 60 days; the
 * person sees the unread count in the bell's name, opens the centre, follows the link to the app,
 * comes back, marks the notification read, and the count drops.
 */
import { expect, test, type Page } from '@playwright/test';
import { signIn, signOut } from './session.js';

const SITE_ADMIN = 'm.okafor@cedarvalley.example';
const APP_ADMIN = 'a.sandhu@cedarvalley.example';
// Its agreement expires 60 days after the demo was seeded (src/server/seed/demo-institutions.ts).
const APP = 'Quillpath Reading';

/** The bell, once the day's digest has reached this person (the job runs shortly after the server starts). */
async function bellWithUnread(page: Page, name: RegExp): Promise<number> {
  const bell = page.getByRole('link', { name });
  await expect(async () => {
    await page.reload();
    await expect(bell).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  return Number((await bell.getAttribute('aria-label'))!.match(/\d+/)![0]);
}

test('a site admin follows a reminder to the app, marks it read, and the count drops (English)', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, SITE_ADMIN);
  const before = await bellWithUnread(page, /^Notifications: \d+ unread$/);
  expect(before).toBeGreaterThanOrEqual(1);

  await page.getByRole('link', { name: `Notifications: ${before} unread` }).click();
  await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
  const list = page.getByRole('list', { name: 'My notifications' });
  const item = list.getByRole('listitem').filter({ hasText: APP }).filter({ hasText: 'Agreement expires in 60 days' });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Unread');

  // The link leads to the app.
  await item.getByRole('link', { name: APP }).click();
  await page.waitForURL(/\/inventory\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(APP);

  // Back in the centre: mark it read; the bell says one fewer.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
  await item.getByRole('button', { name: `Mark read: ${APP}` }).click();
  await expect(item).not.toContainText('Unread');
  await expect(item.getByRole('button', { name: `Mark read: ${APP}` })).toHaveCount(0);
  const after = before - 1;
  await expect(page.getByRole('link', { name: after === 0 ? 'Notifications: none unread' : `Notifications: ${after} unread` })).toBeVisible();
  // Kept after a reload: the server knows it is read.
  await page.reload();
  await expect(page.getByRole('link', { name: after === 0 ? 'Notifications: none unread' : `Notifications: ${after} unread` })).toBeVisible();
  await signOut(page);
});

test('an app admin marks every notification read, and the bell says none (French)', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, APP_ADMIN);
  // The rest in French.
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', /^fr/);
  const before = await bellWithUnread(page, /^Notifications : \d+ non lues?$/);
  expect(before).toBeGreaterThanOrEqual(1);

  await page.getByRole('link', { name: /^Notifications : \d+ non lues?$/ }).click();
  await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
  const item = page
    .getByRole('list', { name: 'Mes notifications' })
    .getByRole('listitem')
    .filter({ hasText: APP })
    .filter({ hasText: 'L’entente expire dans 60 jours' });
  await expect(item).toHaveCount(1);
  await item.getByRole('link', { name: APP }).click();
  await page.waitForURL(/\/inventory\/[0-9a-f-]{36}$/);
  await page.goBack();

  await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
  await expect(page.getByText('Toutes vos notifications sont marquées comme lues.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Notifications : aucune non lue' })).toBeVisible();
  await expect(item).not.toContainText('Non lue');
  // Kept after a reload (still in French: the browser remembers the choice).
  await page.reload();
  await expect(page.getByRole('link', { name: 'Notifications : aucune non lue' })).toBeVisible();
});
