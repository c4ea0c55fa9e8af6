import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('the Node version the project names', () => {
  const lowest = semver.minVersion(pkg.engines.node)!.version;

  it('is supported by every installed package, so `npm ci` has no engine to warn about', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, p]) => {
        const node = Array.isArray(p.engines) ? undefined : p.engines?.node;
        return node && !semver.satisfies(lowest, node) ? [`${path.replace(/^.*node_modules\//, '')}@${p.version}: node ${node}`] : [];
      });
    expect(refusing).toEqual([]);
  });

  it('is the one the README names, and the one running the tests meets it', () => {
    const major = semver.major(lowest);
    expect(readme).toMatch(new RegExp(`Node(\\.js)? ${major}`));
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
  });
});
