import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the build, at the highest
 * levels: the server sends them as they are, so no request pays for compression.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'vetted-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((f) => /\.(js|css|html|svg|json|txt)$/.test(f));
      await Promise.all(
        files.map(async (f) => {
          const file = path.join(outDir, f);
          const body = await readFile(file);
          const [br, gz] = await Promise.all([
            brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
            gzipped(body, { level: 9 }),
          ]);
          await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
        }),
      );
    },
  };
}

/**
 * Starts loading the reader's language while the page's scripts load, not after they run: a small
 * script in the page's head picks the language as `src/web/i18n/index.ts` does (the stored choice,
 * else the browser's) and adds a module preload of that language's messages, so the first render
 * does not wait for another request. Only that language's file is fetched. The script is inline (no
 * request of its own); the server allows it by its hash in the content security policy
 * (`inlineScriptHashes`, src/server/platform/web-page.ts).
 *
 * It also sets `<html lang>` to that language before the body is parsed: the page's frame
 * (index.html, ADR 0023), painted before the client's scripts run, shows its loading status in the
 * language `html[lang]` names, and a screen reader reads it in that language. The client sets the
 * same value again once i18next has started.
 */
function languagePreload(): Plugin {
  return {
    name: 'vetted-language-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const files: Record<string, string> = {};
        for (const chunk of Object.values(ctx.bundle ?? {})) {
          const language = chunk.type === 'chunk' ? /[\\/]i18n[\\/](en|fr)-core\.ts$/.exec(chunk.facadeModuleId ?? '')?.[1] : undefined;
          if (language) files[language] = `/${chunk.fileName}`;
        }
        if (!files['en'] || !files['fr']) throw new Error('the build has no en-core or fr-core chunk to preload');
        const script =
          `(function(){var f=${JSON.stringify(files)},l=null;try{l=localStorage.getItem("vetted.language")}catch(e){}` +
          `if(l!=="en"&&l!=="fr")l=navigator.language.toLowerCase().indexOf("fr")===0?"fr":"en";` +
          `document.documentElement.lang=l;var k=document.createElement("link");k.rel="modulepreload";k.crossOrigin="";k.href=f[l];document.head.appendChild(k)})()`;
        // Before the page's first script or style sheet: run as soon as the parser reaches it (a script
        // after a style sheet would wait for it), after the character set and the viewport.
        const at = html.search(/<script type="module"|<link rel="stylesheet"/);
        if (at < 0) throw new Error('the page has no script or style sheet to put the language preload before');
        return `${html.slice(0, at)}<script>${script}</script>\n    ${html.slice(at)}`;
      },
    },
  };
}

/** The web client: built from src/web into dist/web, which the server serves at `/`. */
export default defineConfig({
  // Under vitest (when no vitest.config.ts takes precedence) keep the repository root as root.
  root: process.env['VITEST'] ? undefined : 'src/web',
  plugins: [react(), languagePreload(), precompress()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // Security: no source maps in the build the server serves (they would publish the client's whole source).
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Libraries every page needs change less often than the app: their own chunks cache better.
        // Other libraries (charts, date pickers) stay with the pages that import them, which load
        // on demand, so the sign-in page does not carry them.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
            // What the first page needs, in one file rather than dozens of small ones.
            { name: 'shell', tags: ['$initial'], priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
