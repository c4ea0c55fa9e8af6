/** English messages: the first page's (`en-core.ts`) and the other pages' (`en-pages.ts`), loaded as two chunks. */
import { enCore } from './en-core.js';
import { enPages } from './en-pages.js';

export const en = { ...enCore, ...enPages };
