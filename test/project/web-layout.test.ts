import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web client is one tree by module, as the server is: every page and its parts live in
 * `src/web/features/<module>`, named after the server module that answers it; shared parts sit in
 * `components`, `lib`, `i18n` and `routes`. A second tree (a `pages/` folder beside `features/`)
 * or a feature folder with no server module fails here.
 */
const web = join(import.meta.dirname, '..', '..', 'src', 'web');
const dirs = (path: string): string[] => readdirSync(path).filter((name) => statSync(join(path, name)).isDirectory()).sort();

describe('the web tree', () => {
  it('holds only the features tree and the shared folders', () => {
    expect(dirs(web)).toEqual(['components', 'features', 'i18n', 'lib', 'routes']);
  });

  it('names each feature folder after a server module', () => {
    const serverModules = new Set(dirs(join(web, '..', 'server', 'modules')));
    const orphans = dirs(join(web, 'features')).filter((name) => !serverModules.has(name));
    expect(orphans).toEqual([]);
  });
});
