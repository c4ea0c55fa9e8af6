/**
 * The PostgreSQL transaction handles are built without drizzle's relational query builders (one per
 * table, for every request's transaction: see postgresSettingsTransaction in platform/db.ts), so the
 * server's code must not use relational queries (`tx.query.<table>.findMany(...)`): they would work on
 * the embedded database and fail on PostgreSQL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const server = path.resolve(import.meta.dirname, '../../src/server');

describe("the server's queries", () => {
  it('never use drizzle relational queries', () => {
    const using = readdirSync(server, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && /\.ts$/.test(d.name) && !/\.test\.ts$/.test(d.name))
      .map((d) => path.join(d.parentPath, d.name))
      .filter((file) => /\.query\.\w+\.find(First|Many)\b/.test(readFileSync(file, 'utf8')));
    expect(using.map((f) => path.relative(server, f))).toEqual([]);
  });
});
