import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';
// @ts-expect-error a plain module shared with stryker.config.mjs
import { mutationGroups } from './test/mutation/groups.mjs';

/** The test files of one mutation group (MUTATION_GROUP, see stryker.config.mjs); the rest as `npm test`. */
const group = (mutationGroups as Record<string, { tests: string[] } | undefined>)[process.env.MUTATION_GROUP ?? 'rules'];

// Tests that run a command in a child process skip themselves: the child runs the code unmutated.
process.env.VETTED_MUTATION_RUN = '1';

export default defineConfig({ ...base, test: { ...base.test, include: group?.tests ?? [] } });
