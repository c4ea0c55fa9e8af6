/**
 * Source maps publish the web client's whole source: the production build emits none, and the
 * server in production serves none even if a build left some in its folder.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { createMailer } from '../../src/server/platform/mail.js';
import viteConfig from '../../vite.config.js';
import { openTestDatabase } from '../support/test-db.js';

let dir: string;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
const apps: FastifyInstance[] = [];

async function serve(isProduction: boolean) {
  const config = {
    ...loadConfig({ NODE_ENV: 'test', DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', JOB_WORKERS: 'false' }),
    isProduction,
  };
  const app = await buildApp(
    { config, db: database.db, mailer: createMailer(config) },
    { logLevel: 'silent', webRoot: path.join(dir, 'web') },
  );
  apps.push(app);
  return app;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vetted-maps-'));
  await mkdir(path.join(dir, 'web/assets'), { recursive: true });
  await writeFile(path.join(dir, 'web/index.html'), '<!doctype html><title>Vetted</title>');
  await writeFile(path.join(dir, 'web/assets/index-abc.js'), 'console.log(1)\n//# sourceMappingURL=index-abc.js.map');
  await writeFile(path.join(dir, 'web/assets/index-abc.js.map'), '{"version":3,"sources":["secret-source.tsx"]}');
  database = await openTestDatabase();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('source maps', () => {
  it('are not emitted by the production build', () => {
    const config = typeof viteConfig === 'function' ? null : viteConfig;
    expect(config?.build?.sourcemap).toBe(false);
  });

  it('are not served in production, whatever the spelling; the scripts are', async () => {
    const app = await serve(true);
    expect((await app.inject({ method: 'GET', url: '/assets/index-abc.js' })).statusCode).toBe(200);
    for (const url of [
      '/assets/index-abc.js.map',
      '/assets/index-abc.js.MAP',
      '/assets/index-abc.js.map?v=1',
      '/assets/%69ndex-abc.js.map',
      '/assets/index-abc.js.ma%70',
      '/assets/index-abc.js%2Emap',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('secret-source');
    }
  });

  it('are served outside production (local debugging)', async () => {
    const app = await serve(false);
    expect((await app.inject({ method: 'GET', url: '/assets/index-abc.js.map' })).body).toContain('secret-source');
  });
});
