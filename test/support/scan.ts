/** Finds a string anywhere in the database: every text, varchar, text[] and json(b) column of every table. */
import { sql } from 'drizzle-orm';
import { queryRows, withSystem, type Db } from '../../src/server/platform/db.js';

/** `table.column` of every place `needle` appears (case-insensitive), across every schema but the catalogs. */
export async function columnsHolding(db: Db, needle: string): Promise<string[]> {
  return withSystem(db, async (tx) => {
    const columns = await queryRows<{ schema: string; table: string; column: string; type: string }>(
      tx,
      sql`select c.table_schema as schema, c.table_name as table, c.column_name as column, c.data_type as type
            from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
           where c.table_schema not in ('pg_catalog', 'information_schema')
             and (c.data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea') or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
           order by 1, 2, 3`,
    );
    const found: string[] = [];
    const pattern = `%${needle.toLowerCase()}%`;
    for (const c of columns) {
      const col = sql.identifier(c.column);
      const value = c.type === 'bytea' ? sql`lower(encode(${col}, 'escape'))` : sql`lower(${col}::text)`;
      const rows = await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from ${sql.identifier(c.schema)}.${sql.identifier(c.table)} where ${value} like ${pattern}`,
      );
      if ((rows[0]?.n ?? 0) > 0) found.push(`${c.schema}.${c.table}.${c.column}`);
    }
    return found;
  });
}
