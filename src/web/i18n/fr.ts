/** Messages français : ceux de la première page (`fr-core.ts`) et des autres pages (`fr-pages.ts`), chargés en deux morceaux. Mêmes clés que `en.ts`. */
import type { en } from './en.js';
import { frCore } from './fr-core.js';
import { frPages } from './fr-pages.js';
import type { DeepStrings } from './types.js';

export const fr: DeepStrings<typeof en> = { ...frCore, ...frPages };
