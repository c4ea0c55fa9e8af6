export type { DeepStrings } from '../../contracts/i18n/types.js';

/** The languages the web client speaks. */
export { LANGUAGES, type Language } from '../../contracts/domain.js';
