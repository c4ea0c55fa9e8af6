/** The shape of a message tree with every leaf widened to `string` (so French must match English keys). */
export type DeepStrings<T> = { readonly [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
