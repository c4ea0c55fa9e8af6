// Mutation testing of the security-critical code (docs/mutation-testing.md). Not part of `npm test`
// or CI. The code is split into groups (test/mutation/groups.mjs), each run on its own:
//   MUTATION_GROUP=rules npm run test:mutation      (the default)
//   MUTATION_GROUP=lifecycle npm run test:mutation
//   MUTATION_GROUP=signin npm run test:mutation
import process from 'node:process';
import { mutationGroups } from './test/mutation/groups.mjs';

const name = process.env.MUTATION_GROUP ?? 'rules';
const group = mutationGroups[name];
if (!group) throw new Error(`Unknown MUTATION_GROUP "${name}": use one of ${Object.keys(mutationGroups).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: group.mutate,
  // Per-test coverage: each mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A loaded two-core machine: generous time-outs rather than false "timeout" kills.
  timeoutMS: 60_000,
  timeoutFactor: 3,
  dryRunTimeoutMinutes: 30,
  ignoreStatic: true,
  checkers: [],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 90, low: 80, break: null },
};
