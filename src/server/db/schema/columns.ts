import { sql } from 'drizzle-orm';
import { text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** `created_at` / `updated_at`, on every table. */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** A list of text values, never null, empty by default (grades, audiences, data elements…). */
export const textList = (name: string) => text(name).array().notNull().default(sql`'{}'::text[]`);
/** A list of ids, never null, empty by default. */
export const uuidList = (name: string) => uuid(name).array().notNull().default(sql`'{}'::uuid[]`);
