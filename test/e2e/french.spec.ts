/**
 * No English left in a French page: with the reader's language set to French, every page a site
 * admin, an app admin, an approver and a platform admin reach (and the public pages) is read — its
 * visible and screen-reader text, its aria-label, title, placeholder and alt attributes, and the
 * document title — and any English found fails the test, listed page by page. English is recognised
 * two ways: a string equal to an English message of the interface that differs from its French one
 * (messages with {{variables}} match whatever fills them), and, as a second net, common English words,
 * English month and day names, English times ("3:23 p.m.") and numbers ("1,234").
 *
 * What may stay English is listed once, in ALLOWED below, each with its reason.
 */
import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { auditEn } from '../../src/contracts/i18n/audit-en.js';
import { auditFr } from '../../src/contracts/i18n/audit-fr.js';
import { en } from '../../src/web/i18n/en.js';
import { fr } from '../../src/web/i18n/fr.js';
import { signIn, signOut, submitCatalogAppAssessment } from './session.js';

const expect = baseExpect.configure({ timeout: 30_000 });

const SITE_ADMIN = 'h.karimi@lakeshore.example';
const APP_ADMIN = 't.kowalczyk@lakeshore.example';
const APPROVER = 's.mcallister@lakeshore.example';
const OPERATOR = 'admin@vetted.example';
const PUBLIC_LIST = '/public/lakeshore-demo';

/**
 * The only English a French page may show. Elements declared English (`lang="en"`) are read as
 * English by screen readers and are allowed only when they match one of these selectors; any other
 * element declared English is itself a finding.
 */
const ALLOWED_ENGLISH_PARTS: Record<string, string> = {
  // The master bank is written in English and French: its templates, sections, questions, guidance,
  // choices and pre-answers are read in French (lang="fr") and checked like any French text. Only a
  // version's change log, which the operator writes in English alone, is declared English.
  '[data-bank-content][data-english-only]': 'a bank version’s change log, written in English only',
  // A language's own name ("English" on the switch to English) is written in that language.
  '[data-language-name]': 'the name of a language in that language',
  // The operator's mailbox (embedded mode) lists each mail as it was sent: its subject is in its
  // recipient's language.
  '[data-mail-content]': 'a mail as it was sent, in its recipient’s language',
};

/**
 * Data, not interface: what the operator's catalog, the institution's inventory and the institutions'
 * names hold, as written by the people who own it (app names, vendors, descriptions, purposes,
 * conditions of use, notes, institution names). Read
 * from the API at run time, so the test follows whatever the demo holds. The second net's words may
 * appear in these strings; a string equal to an interface message still counts as English.
 */
const DATA_FIELDS = ['name', 'vendor', 'description', 'purpose', 'conditionsOfUse', 'notes'];
/** The institution's own words in its assessments' risks (title, mitigation, owner), as the risk register lists them. */
const RISK_FIELDS = ['risk', 'mitigation', 'owner'];
const RISKS = '/api/v1/reports/risk-register';
const CATALOG = '/api/v1/catalog/apps';
const INVENTORY = '/api/v1/inventory';
const INSTITUTIONS = '/api/v1/institutions';

async function dataStrings(page: Page, lists: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const list of lists) {
    if (list === RISKS) {
      const response = await page.request.get(RISKS);
      expect(response.ok(), `${RISKS} answers`).toBe(true);
      const body = (await response.json()) as { rows: Record<string, unknown>[] };
      for (const row of body.rows) for (const field of RISK_FIELDS) if (typeof row[field] === 'string' && row[field]) found.add(row[field] as string);
      continue;
    }
    for (let n = 1; n <= 20; n++) {
      const response = await page.request.get(`${list}?pageSize=100&page=${n}`);
      expect(response.ok(), `${list} answers`).toBe(true);
      const body = (await response.json()) as { items: Record<string, unknown>[]; total?: number };
      for (const item of body.items) for (const field of DATA_FIELDS) if (typeof item[field] === 'string' && item[field]) found.add(item[field] as string);
      if (body.items.length < 100 || n * 100 >= (body.total ?? 0)) break;
    }
  }
  // Longest first: a name inside a longer description is taken out with the description.
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * Common English words no French sentence of ours uses (words shared with French, like "on", "an",
 * "but", "mon", "change", "oct." and "nov.", are left out).
 */
const ENGLISH_WORDS = [
  'the', 'and', 'with', 'your', 'you', 'this', 'that', 'these', 'those', 'of', 'to', 'for', 'from', 'has', 'have', 'been',
  'was', 'were', 'will', 'would', 'should', 'could', 'which', 'who', 'what', 'when', 'where', 'there', 'their', 'are', 'is',
  'not', 'yet', 'all', 'any', 'by', 'into', 'our', 'its', 'it', 'be', 'at', 'if', 'or', 'no', 'yes', 'none', 'only', 'each',
  'save', 'saved', 'saving', 'cancel', 'delete', 'edit', 'search', 'loading', 'close', 'back', 'next', 'previous', 'sign',
  'settings', 'users', 'reports', 'report', 'dashboard', 'download', 'submit', 'approve', 'approved', 'status', 'name',
  'email', 'assessment', 'assessments', 'inventory', 'pending', 'draft', 'review', 'show', 'hide', 'add', 'remove', 'open',
  'new', 'changed', 'created', 'updated', 'required', 'optional', 'unknown', 'select', 'choose', 'filter',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november',
  'december', 'jan', 'feb', 'apr', 'jun', 'jul', 'aug', 'sep', 'dec', 'monday', 'tuesday', 'wednesday',
  'thursday', 'friday', 'saturday', 'sunday', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'today', 'yesterday', 'ago',
];

/** English forms of times and numbers (French writes 15 h 23 and 1 234). */
const ENGLISH_FORMATS: [string, string][] = [
  ['\\b\\d{1,2}:\\d{2}(:\\d{2})?\\s?[ap]\\.?\\s?m\\.?(?![\\p{L}])', 'an English time'],
  ['\\b\\d{1,3}(,\\d{3})+\\b', 'an English number'],
];

function leafEntries(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'object' && value !== null ? leafEntries(value as object, path) : [[path, String(value)] as [string, string]];
  });
}

/** The English messages that differ from their French ones (keyed by their path, to name them in a failure). */
function englishCatalogue(): [string, string][] {
  // The pages' messages and the audit log's words (a namespace of their own, loaded where shown).
  const french = new Map([...leafEntries(fr), ...leafEntries(auditFr)]);
  return [...leafEntries(en), ...leafEntries(auditEn)].filter(([key, value]) => value.trim() !== '' && french.get(key)?.trim() !== value.trim());
}

const CATALOGUE = englishCatalogue();

type Findings = Record<string, string[]>;

/** Reads the page as it is now and returns every English string found, with why it counts as English. */
async function englishOn(page: Page, data: string[]): Promise<string[]> {
  return page.evaluate(
    ({ catalogue, words, formats, allowedParts, data }) => {
      const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
      // Exact messages, and messages with variables as patterns (each {{variable}} any text).
      const exact = new Map<string, string>();
      const patterns: [RegExp, string][] = [];
      for (const [key, value] of catalogue) {
        const v = norm(value);
        if (/{{\w+}}/.test(v)) {
          const literal = v.replace(/{{\w+}}/g, '');
          // A pattern made only of variables and punctuation would match anything.
          if (literal.replace(/[^\p{L}]/gu, '').length >= 3) patterns.push([new RegExp(`^${v.split(/{{\w+}}/).map(escape).join('.+?')}$`, 's'), key]);
        } else {
          exact.set(v, key);
        }
      }
      const wordSet = new Set(words);
      const formatRes = formats.map(([source, why]) => [new RegExp(source, 'u'), why] as const);
      const allowedSelector = allowedParts.join(', ');

      const found = new Set<string>();
      const check = (raw: string, where: string) => {
        const text = norm(raw);
        if (!text || !/\p{L}/u.test(text)) return;
        const key = exact.get(text) ?? patterns.find(([re]) => re.test(text))?.[1];
        if (key) {
          found.add(`${where} "${text}" is the English message ${key}`);
          return;
        }
        for (const [re, why] of formatRes) if (re.test(text)) found.add(`${where} "${text}" holds ${why}`);
        // The second net reads what is left once the data is taken out.
        let rest = text;
        for (const d of data) if (rest.includes(d)) rest = rest.split(d).join(' ');
        const english = rest
          .toLowerCase()
          .split(/[^\p{L}']+/u)
          .filter((w) => wordSet.has(w));
        if (english.length) found.add(`${where} "${text}" has the English word(s) ${[...new Set(english)].join(', ')}`);
      };

      /** Declared English on purpose (allowed kinds only); a finding when declared English elsewhere. */
      const declaredEnglish = (el: Element): boolean => {
        const owner = el.closest('[lang]');
        if (!owner || owner === document.documentElement || !/^en\b/i.test(owner.getAttribute('lang') ?? '')) return false;
        if (allowedSelector && owner.closest(allowedSelector)) return true;
        found.add(`an element declared English outside the allowed kinds: <${owner.tagName.toLowerCase()} lang="${owner.getAttribute('lang')}">`);
        return true;
      };
      const shown = (el: Element) => el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions);

      check(document.title, 'the title');
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        // A text area's text is the value typed in it: data, not interface.
        if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA'].includes(el.tagName)) continue;
        // Options of a native select are read by screen readers even while the list is closed.
        if (!shown(el) && el.tagName !== 'OPTION') continue;
        if ((allowedSelector && el.closest(allowedSelector)) || declaredEnglish(el)) continue;
        check(node.textContent ?? '', 'text');
      }
      for (const el of Array.from(document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type="button"], input[type="submit"]'))) {
        if (!shown(el) || (allowedSelector && el.closest(allowedSelector)) || declaredEnglish(el)) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
          const value = el.getAttribute(name);
          if (value) check(value, name);
        }
        if (el instanceof HTMLInputElement && (el.type === 'button' || el.type === 'submit')) check(el.value, 'button');
      }
      return [...found];
    },
    {
      catalogue: CATALOGUE,
      words: ENGLISH_WORDS,
      formats: ENGLISH_FORMATS,
      allowedParts: Object.keys(ALLOWED_ENGLISH_PARTS),
      data,
    },
  );
}

/** Reads pages for one person: the English found, page by page, and the data their pages show. */
interface Reader {
  page: Page;
  who: string;
  data: string[];
  findings: Findings;
}

/** Opens a page (or reads the one already open), waits for its one heading and its data, and records the English it shows. */
async function read(r: Reader, name: string, path?: string): Promise<void> {
  const { page } = r;
  if (path) await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('lang', /^fr/);
  const h1 = page.locator('h1');
  await expect(h1, `${r.who}: ${name} (${page.url()}) has one h1`).toHaveCount(1);
  await expect(h1).toBeVisible();
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => undefined);
  // Read once loaded (a loader's words are checked too, but the page's own are what matter).
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const found = await englishOn(page, r.data);
  if (found.length) r.findings[`${r.who}: ${name} (${new URL(page.url()).pathname})`] = found;
}

/** Signs in (in English, as the shared helpers do), then switches this browser to French. */
async function signInInFrench(page: Page, email: string): Promise<void> {
  await page.addInitScript(() => {
    // Only before the switch below: a test that switched to French keeps French on every page.
    if (!window.localStorage.getItem('vetted.language')) window.localStorage.setItem('vetted.language', 'en');
  });
  await signIn(page, email);
  await page.evaluate(() => window.localStorage.setItem('vetted.language', 'fr'));
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', /^fr/);
}

/** Every page the main navigation offers this person. */
async function navigationPaths(page: Page): Promise<string[]> {
  // Read once the navigation is drawn (the page's script may still be loading on a busy machine).
  await expect(page.locator('nav a[href^="/"]').first()).toBeVisible();
  const hrefs = await page.locator('nav a[href^="/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return [...new Set(hrefs.map((h) => h.split('?')[0]!))];
}

/** Reads every page of the navigation, then the extra ones given. */
async function readAll(r: Reader, extra: [string, string][] = []): Promise<void> {
  for (const path of await navigationPaths(r.page)) await read(r, path, path);
  for (const [name, path] of extra) await read(r, name, path);
}

/** Signs in in French and gets ready to read that person's pages. */
/**
 * Names French writes as they are, which the bank's French guidance cites: a state's name holding the
 * English word "new", and the official titles of statutes enacted in English only (French cites them
 * under their own title). Taken out before the second net only: a whole English message still counts.
 */
const PROPER_NAMES = [
  'New York',
  'Local Authority Freedom of Information and Protection of Privacy Act',
  'Freedom of Information and Protection of Privacy Act',
  'Access to Information and Protection of Privacy Act, 2015',
  'Protection of Privacy Act',
  'Parents’ Bill of Rights for Data Privacy and Security',
  'Student Data Transparency and Security Act',
  'Code of Virginia',
];

async function readerFor(page: Page, email: string, who: string, lists = [CATALOG, INVENTORY, RISKS]): Promise<Reader> {
  await signInInFrench(page, email);
  return { page, who, data: [...(await dataStrings(page, lists)), ...PROPER_NAMES], findings: {} };
}

test.describe.configure({ mode: 'serial' });

let itemPath = '';
let assessmentPath = '';

/** Records of its own to read: an app added by the app admin, its assessment adopted from the bank and submitted. */
test('an app and its assessment in review, to read in French', async ({ page }) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, APP_ADMIN);
  // A catalog app with a pre-answered bank PIA, added by this test.
  const made = await submitCatalogAppAssessment(page, 'Storyloom', /^Storyloom Book Creator/);
  itemPath = new URL(made.itemUrl).pathname;
  assessmentPath = new URL(made.assessmentUrl).pathname;
  await signOut(page);
});

async function readSignedOut(browser: Browser, data: string[], findings: Findings): Promise<void> {
  const context = await browser.newContext();
  await context.addInitScript(() => window.localStorage.setItem('vetted.language', 'fr'));
  const r: Reader = { page: await context.newPage(), who: 'signed out', data, findings };
  await read(r, 'sign-in', '/sign-in');
  await read(r, 'forgot password', '/forgot-password');
  await read(r, 'public list', PUBLIC_LIST);
  await read(r, 'privacy policy', '/privacy');
  await context.close();
}

test('no English on a French page: signed out, site admin', async ({ page, browser }) => {
  test.setTimeout(600_000);
  const r = await readerFor(page, SITE_ADMIN, 'site admin');
  // The public list shows this institution's inventory: the same data.
  await readSignedOut(browser, r.data, r.findings);
  await readAll(r, [
    ['an inventory item', itemPath],
    ['the add-item form', '/inventory/new'],
    ['an assessment', assessmentPath],
  ]);
  // Each report.
  await page.goto('/reports');
  await expect(page.locator('main a[href^="/reports/"]').first()).toBeVisible();
  const reports = await page.locator('main a[href^="/reports/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(reports.length).toBeGreaterThan(3);
  for (const path of reports) await read(r, `report ${path}`, path);
  // The adopted PIA's bank text is French, and declared so; none of it falls back to English.
  await page.goto(assessmentPath);
  await expect(page.getByRole('heading', { name: 'A. Examen préliminaire' })).toBeVisible();
  await expect(page.locator('main [data-bank-content][lang="fr"]').first()).toBeVisible();
  await expect(page.locator('main [data-bank-content][lang="en"]:not([data-english-only])')).toHaveCount(0);
  // The assessment's other tabs.
  for (const tab of await page.getByRole('tab').all()) {
    const name = (await tab.textContent()) ?? '';
    await tab.click();
    await read(r, `assessment tab ${name}`);
  }
  expect(r.findings).toEqual({});
});

test('no English on a French page: app admin', async ({ page }) => {
  test.setTimeout(400_000);
  const r = await readerFor(page, APP_ADMIN, 'app admin');
  await readAll(r, [['the add-item form', '/inventory/new']]);
  expect(r.findings).toEqual({});
});

test('no English on a French page: approver and the decision', async ({ page }) => {
  test.setTimeout(400_000);
  const r = await readerFor(page, APPROVER, 'approver');
  await readAll(r);
  await page.goto(assessmentPath);
  await page.getByRole('tab', { name: fr.assessments.workflow.title }).click();
  await read(r, 'the decision');
  expect(r.findings).toEqual({});
});

test('no English on a French page: platform admin', async ({ page }) => {
  test.setTimeout(400_000);
  // A platform admin has no inventory of their own; the institutions are theirs to see.
  const r = await readerFor(page, OPERATOR, 'platform admin', [CATALOG, INSTITUTIONS]);
  // A template no other journey opens a draft of (bank-errors drafts the generic one, the axe suite
  // Quillpath's): its published version, read-only, in French. The draft editor is not read here: it
  // shows the English being edited beside the French, as an editor must.
  await page.goto('/bank');
  const tallyloop = page.locator('main a[href^="/bank/"]').filter({ hasText: 'Tallyloop' }).first();
  await expect(tallyloop).toBeVisible();
  const template = (await tallyloop.getAttribute('href'))!;
  await readAll(r, [['a bank template', template]]);
  // The bank's text is French, and declared so.
  await page.goto(template);
  await expect(page.locator('h1 [data-bank-content]')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('h1')).toContainText('Évaluation des facteurs relatifs à la vie privée (EFVP) — Tallyloop');
  await expect(page.locator('main [data-bank-content][lang="en"]:not([data-english-only])')).toHaveCount(0);
  expect(r.findings).toEqual({});
});
