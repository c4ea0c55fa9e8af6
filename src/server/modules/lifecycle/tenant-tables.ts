/**
 * The catalog of tenant tables, read from the database itself: every table of schema `public` with a
 * `tenant_id` column. Backup, restore, export and purge are driven by it, so a table added by any
 * module later is included without anyone remembering to add it.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../platform/db.js';

export interface TenantTable {
  name: string;
  /** Primary-key columns, in key order (rows are exported in this order). */
  primaryKey: string[];
  /** Tenant tables this one references by foreign key (restored before it, purged after it). */
  references: string[];
  /** GENERATED ALWAYS identity columns: surrogate numbers left out of archives and renumbered on restore. */
  identityColumns: string[];
  /** Every other column, in table order. */
  columns: string[];
  /** Single-column foreign keys to another tenant table (`users.id`…) whose column may be null. */
  nullableRefs: { column: string; table: string; key: string }[];
}

/** Tenant tables, ordered so that every table comes after the tables it references. */
export async function listTenantTables(tx: Tx): Promise<TenantTable[]> {
  const rows = await queryRows<{
      name: string;
      pk: string[] | null;
      refs: string[] | null;
      identity: string[] | null;
      columns: string[];
      nrefs: { column: string; table: string; key: string }[] | null;
    }>(tx, sql`
      select c.relname as name,
        (select array_agg(a.attname::text order by k.ord)
           from pg_constraint pk
           cross join lateral unnest(pk.conkey) with ordinality as k(attnum, ord)
           join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
          where pk.conrelid = c.oid and pk.contype = 'p') as pk,
        (select array_agg(distinct r.relname::text)
           from pg_constraint fk join pg_class r on r.oid = fk.confrelid
          where fk.conrelid = c.oid and fk.contype = 'f' and r.oid <> c.oid) as refs,
        (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
          where a.attrelid = c.oid and a.attnum > 0 and a.attidentity = 'a' and not a.attisdropped) as identity,
        (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
          where a.attrelid = c.oid and a.attnum > 0 and a.attidentity <> 'a' and not a.attisdropped) as columns,
        (select json_agg(json_build_object('column', a.attname, 'table', r.relname, 'key', ra.attname))
           from pg_constraint fk
           join pg_class r on r.oid = fk.confrelid
           join pg_attribute a on a.attrelid = c.oid and a.attnum = fk.conkey[1]
           join pg_attribute ra on ra.attrelid = r.oid and ra.attnum = fk.confkey[1]
          where fk.conrelid = c.oid and fk.contype = 'f' and cardinality(fk.conkey) = 1 and not a.attnotnull
            and exists (select 1 from pg_attribute x where x.attrelid = r.oid and x.attname = 'tenant_id' and not x.attisdropped)) as nrefs
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      where c.relkind in ('r', 'p')
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
      order by c.relname`);
  const names = new Set(rows.map((r) => r.name));
  const tables = rows.map((r) => ({
    name: r.name,
    primaryKey: r.pk ?? [],
    references: (r.refs ?? []).filter((n) => names.has(n)),
    identityColumns: r.identity ?? [],
    columns: r.columns,
    nullableRefs: r.nrefs ?? [],
  }));
  // Topological order (Kahn), alphabetical among equals so the order is stable.
  const out: TenantTable[] = [];
  const placed = new Set<string>();
  while (out.length < tables.length) {
    const next = tables.find((t) => !placed.has(t.name) && t.references.every((n) => placed.has(n)));
    if (!next) throw new Error(`Tenant tables reference each other in a cycle: ${tables.filter((t) => !placed.has(t.name)).map((t) => t.name).join(', ')}`);
    out.push(next);
    placed.add(next.name);
  }
  return out;
}
