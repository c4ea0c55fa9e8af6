#!/usr/bin/env node
/**
 * Builds the web client and the server unless the build in dist/ was made from exactly these
 * sources: a SHA-256 over every input file (sources, lockfile, build configuration) is kept beside
 * the build, so `npm start` on an already built copy starts at once and a changed file rebuilds.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const STAMP = path.join(root, 'dist/.build-inputs');
const INPUTS = [
  'src',
  'package-lock.json',
  'package.json',
  'vite.config.ts',
  'tsconfig.base.json',
  'tsconfig.server.json',
  'tsconfig.web.json',
];
const OUTPUTS = ['dist/web/index.html', 'dist/server/main.js'];

function files(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !/\.test\.tsx?$/.test(d.name))
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)));
}

export function inputsDigest() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files).sort()) {
    hash
      .update(file.split(path.sep).join('/'))
      .update('\0')
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

const digest = inputsDigest();
const built = OUTPUTS.every((f) => existsSync(path.join(root, f))) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === digest;
if (built && !process.argv.includes('--force')) {
  console.log('Build is up to date with the sources.');
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  writeFileSync(STAMP, `${digest}\n`);
}
