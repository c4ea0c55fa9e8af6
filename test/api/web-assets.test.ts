/**
 * The web client as the browser meets it: built for real, then served by the app. The sign-in page
 * loads only what it needs (no charts, no date pickers, no pages behind sign-in), every file goes
 * out precompressed, and hashed files are cached for good while the page is asked for each time.
 */
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { createMailer } from '../../src/server/platform/mail.js';
import { openTestDatabase } from '../support/test-db.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
let app: FastifyInstance;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
const chunks = new Map<string, Rolldown.OutputChunk>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vetted-web-'));
  // The production build, as `npm run build:web` makes it (the test runner sets NODE_ENV=test,
  // which would otherwise give React's development build).
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  await build({
    mode: 'production',
    configFile: path.join(root, 'vite.config.ts'),
    root: path.join(root, 'src/web'),
    logLevel: 'silent',
    build: { outDir: dir, emptyOutDir: true },
    plugins: [
      {
        name: 'record-chunks',
        generateBundle(_, bundle) {
          for (const out of Object.values(bundle)) if (out.type === 'chunk') chunks.set(out.fileName, out);
        },
      },
    ],
  }).finally(() => {
    process.env['NODE_ENV'] = nodeEnv;
  });
  database = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', JOB_WORKERS: 'false' });
  app = await buildApp({ config, db: database.db, mailer: createMailer(config) }, { logLevel: 'silent', webRoot: dir });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The files the page loads before it can draw: its scripts and styles, and what they import statically. */
async function firstLoad(): Promise<string[]> {
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const queue = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...(chunks.get(file)?.imports ?? []));
  }
  return [...seen];
}

/** The language chunk a reader of `lang` loads before the first render (see src/web/i18n/index.ts). */
function languageChunk(lang: 'en' | 'fr'): string[] {
  const chunk = [...chunks.values()].find((c) => c.facadeModuleId?.endsWith(`src/web/i18n/${lang}-core.ts`));
  if (!chunk) throw new Error(`no chunk for ${lang}`);
  return [chunk.fileName, ...chunk.imports];
}

const modulesOf = (files: string[]) => files.flatMap((f) => Object.keys(chunks.get(f)?.modules ?? {}));

describe('the sign-in page', () => {
  it('loads none of the charts, date pickers or signed-in pages, and only its reader’s language', async () => {
    const modules = modulesOf(await firstLoad());
    expect(modules.some((m) => m.includes('/src/web/features/identity/SignInPage.tsx'))).toBe(true);
    for (const absent of [
      '/recharts/',
      '/@mantine/dates/',
      '/dayjs/',
      'AppLayout.tsx',
      'DashboardPage.tsx',
      'BankPage.tsx',
      '/src/web/i18n/fr-core.ts',
      '/src/web/i18n/fr-pages.ts',
      '/src/web/i18n/en-pages.ts',
      '/src/web/i18n/en-core.ts',
    ])
      expect(
        modules.filter((m) => m.includes(absent)),
        absent,
      ).toEqual([]);
    expect(modulesOf(languageChunk('fr')).some((m) => m.includes('/i18n/en.ts') || m.includes('-en.ts'))).toBe(false);
  });

  it('weighs at most 150 KB of script and 250 KB in all on the wire, in either language', async () => {
    const first = await firstLoad();
    for (const lang of ['en', 'fr'] as const) {
      let script = 0;
      let all = 0;
      for (const file of [...first, ...languageChunk(lang)]) {
        const res = await app.inject({ method: 'GET', url: `/${file}`, headers: { 'accept-encoding': 'br, gzip' } });
        expect(res.statusCode, file).toBe(200);
        const size = res.rawPayload.length;
        all += size;
        if (file.endsWith('.js')) script += size;
      }
      const page = await app.inject({ method: 'GET', url: '/sign-in', headers: { 'accept-encoding': 'br, gzip' } });
      all += page.rawPayload.length;
      expect(script, `${lang}: script bytes`).toBeLessThanOrEqual(150 * 1024);
      expect(all, `${lang}: all bytes`).toBeLessThanOrEqual(250 * 1024);
    }
  });
});

/** The page's inline scripts, as served. */
async function inlineScripts(): Promise<string[]> {
  const page = await app.inject({ method: 'GET', url: '/sign-in', headers: { 'accept-encoding': 'identity' } });
  return [...page.body.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
}

/**
 * Runs the page's preload script in a bare page of `stored` choice and browser `language`: what it
 * preloads, and the language it gives `<html lang>` (which the page's frame shows its status in).
 */
function runLanguageScript(script: string, stored: string | null, language: string): { preloaded: string[]; lang: string } {
  const links: { rel: string; href: string; crossOrigin: string | null }[] = [];
  const document = {
    documentElement: { lang: 'en' },
    createElement: () => ({ rel: '', href: '', crossOrigin: null }),
    head: { appendChild: (link: (typeof links)[number]) => links.push(link) },
  };
  const localStorage = {
    getItem: (key: string) => {
      if (stored === 'throws') throw new Error('storage disabled');
      return key === 'vetted.language' ? stored : null;
    },
  };
  runInNewContext(script, { document, localStorage, navigator: { language } });
  expect(links.every((l) => l.rel === 'modulepreload' && l.crossOrigin === '')).toBe(true);
  return { preloaded: links.map((l) => l.href), lang: document.documentElement.lang };
}

/** What the page's preload script preloads for a reader of `stored` choice and browser `language`. */
const preloadedBy = (script: string, stored: string | null, language: string) => runLanguageScript(script, stored, language).preloaded;

describe('the reader’s language', () => {
  it('is preloaded by the page’s one inline script, which the content security policy allows by its hash alone', async () => {
    const scripts = await inlineScripts();
    expect(scripts).toHaveLength(1);
    const page = await app.inject({ method: 'GET', url: '/sign-in' });
    const scriptSrc = /script-src ([^;]+)/.exec(String(page.headers['content-security-policy']))?.[1]?.split(' ');
    const hash = `'sha256-${createHash('sha256').update(scripts[0]!, 'utf8').digest('base64')}'`;
    expect(scriptSrc).toEqual(["'self'", hash]);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
  });

  it('is the one the client renders in: the stored choice, else the browser’s language, else English', async () => {
    const [script] = await inlineScripts();
    const en = `/${languageChunk('en')[0]}`;
    const fr = `/${languageChunk('fr')[0]}`;
    expect(preloadedBy(script!, null, 'fr-CA')).toEqual([fr]);
    expect(preloadedBy(script!, null, 'FR')).toEqual([fr]);
    expect(preloadedBy(script!, null, 'en-US')).toEqual([en]);
    expect(preloadedBy(script!, null, 'de-DE')).toEqual([en]);
    expect(preloadedBy(script!, 'fr', 'en-US')).toEqual([fr]);
    expect(preloadedBy(script!, 'en', 'fr-CA')).toEqual([en]);
    expect(preloadedBy(script!, 'de', 'fr-CA')).toEqual([fr]);
    expect(preloadedBy(script!, 'throws', 'fr-CA')).toEqual([fr]);
    for (const file of [en, fr]) expect((await app.inject({ method: 'GET', url: file })).statusCode, file).toBe(200);
  });
});

/** The served page's `#root`, which holds the frame until React renders in its place. */
async function servedRoot(url: string): Promise<{ page: string; frame: string }> {
  const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
  const page = res.body;
  const frame = /<div id="root">([\s\S]*?)<\/div>\s*(?:<script|<\/body>)/.exec(page)?.[1] ?? '';
  return { page, frame };
}

describe('the page’s frame, painted before the scripts run', () => {
  it('is in the page on every route: the header with the product’s name, and a loading status in both languages', async () => {
    for (const url of ['/sign-in', '/', '/inventory/123', '/signed-out']) {
      const { page, frame } = await servedRoot(url);
      expect(frame, url).toMatch(/<header>\s*<span class="frame-brand">Vetted<\/span>\s*<\/header>/);
      expect(frame, url).toMatch(/<main>/);
      expect(frame, url).toMatch(
        /<p class="frame-status" role="status"><span lang="en">Loading…<\/span><span lang="fr">Chargement…<\/span><\/p>/,
      );
      // Only the language `<html lang>` names is shown (the inline script sets it before the body).
      expect(page, url).toMatch(/html\[lang=fr\] \.frame-status \[lang=en\]\{display:none\}/);
      expect(page, url).toMatch(/\.frame-status \[lang=fr\][,{][^}]*display:none/);
      // Its style is in the page: it waits for no file.
      expect(page.indexOf('.frame-brand{'), url).toBeGreaterThan(0);
      expect(page.indexOf('.frame-brand{'), url).toBeLessThan(page.indexOf('<body>'));
    }
  });

  it('tells a reader without scripts, in English and French, that the app needs them', async () => {
    const { frame } = await servedRoot('/sign-in');
    const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(frame)?.[1] ?? '';
    expect(noscript).toMatch(/<p lang="en">[^<]*JavaScript[^<]*<\/p>/);
    expect(noscript).toMatch(/<p lang="fr">[^<]*JavaScript[^<]*<\/p>/);
  });

  it('holds nothing a reader could focus (it goes away under them) nor the sign-in form (wrong on other routes)', async () => {
    const { frame } = await servedRoot('/sign-in');
    expect(frame).not.toMatch(/<(a|button|input|select|textarea|form|h1)\b|tabindex/i);
  });

  it('is in the reader’s language: the inline script sets <html lang> as the client chooses it', async () => {
    const [script] = await inlineScripts();
    const lang = (stored: string | null, language: string) => runLanguageScript(script!, stored, language).lang;
    expect(lang(null, 'fr-CA')).toBe('fr');
    expect(lang(null, 'en-CA')).toBe('en');
    expect(lang(null, 'de-DE')).toBe('en');
    expect(lang('fr', 'en-US')).toBe('fr');
    expect(lang('en', 'fr-CA')).toBe('en');
    expect(lang('de', 'fr-CA')).toBe('fr');
    expect(lang('throws', 'fr-CA')).toBe('fr');
  });
});

describe('serving the build', () => {
  it('sends the precompressed copy the browser accepts, and the file itself otherwise', async () => {
    const [file] = (await firstLoad()).filter((f) => f.endsWith('.js'));
    const plain = await readFile(path.join(dir, file!));
    const br = await app.inject({ method: 'GET', url: `/${file}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(plain)).toBe(true);
    const gz = await app.inject({ method: 'GET', url: `/${file}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(plain)).toBe(true);
    const none = await app.inject({ method: 'GET', url: `/${file}`, headers: { 'accept-encoding': 'identity' } });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.rawPayload.equals(plain)).toBe(true);
  });

  it('lets browsers keep hashed files for a year and asks them to check the page each time', async () => {
    const [file] = await firstLoad();
    const asset = await app.inject({ method: 'GET', url: `/${file}`, headers: { 'accept-encoding': 'br' } });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/sign-in', '/inventory/123']) {
      const page = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toMatch(/^text\/html/);
      expect(page.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('answers a missing script with 404, not with the page', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/missing-abcdefgh.js' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/json/);
  });
});
