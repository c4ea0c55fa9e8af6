/**
 * The operator's records an institution's data refers to — the master bank: catalog apps and PIA
 * templates with their versions, sections and questions. They belong to no institution, yet an
 * institution cannot be restored without them, so each archive carries the ones its rows refer to
 * (`shared`), and restore adds those a database lacks.
 *
 * Generic like the rest of the archive: the tables and their links come from the database catalog.
 * A shared table is a table of schema `public` without a `tenant_id` column (but `institutions`);
 * an archive takes the shared rows its tenant rows reference, what those reference in turn, and the
 * rows that are part of them (a foreign key with ON DELETE CASCADE: a version's questions).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { TenantTable } from './tenant-tables.js';

type JsonRow = Record<string, unknown>;
export type SharedSection = Record<string, { primaryKey: string[]; rows: JsonRow[] }>;

interface ForeignKey {
  from: string;
  column: string;
  to: string;
  key: string;
  cascade: boolean;
}
interface SharedTable {
  name: string;
  primaryKey: string;
  columns: string[];
}

/** Shared tables (single-column primary key) in restore order, and every single-column foreign key of the schema. */
async function catalog(tx: Tx): Promise<{ shared: SharedTable[]; tenant: Set<string>; fks: ForeignKey[] }> {
  const tables = await queryRows<{ name: string; tenant: boolean; pk: string[] | null; columns: string[] }>(
    tx,
    sql`select c.relname as name,
          exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as tenant,
          (select array_agg(a.attname::text order by k.ord) from pg_constraint pk
             cross join lateral unnest(pk.conkey) with ordinality as k(attnum, ord)
             join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
            where pk.conrelid = c.oid and pk.contype = 'p') as pk,
          (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
        from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        where c.relkind in ('r', 'p') and c.relname <> 'institutions' and c.relname not like '\\_\\_%'
        order by c.relname`,
  );
  const fks = await queryRows<ForeignKey>(
    tx,
    sql`select c.relname as "from", a.attname as "column", r.relname as "to", ra.attname as "key", fk.confdeltype = 'c' as cascade
        from pg_constraint fk
        join pg_class c on c.oid = fk.conrelid
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        join pg_class r on r.oid = fk.confrelid
        join pg_attribute a on a.attrelid = c.oid and a.attnum = fk.conkey[1]
        join pg_attribute ra on ra.attrelid = r.oid and ra.attnum = fk.confkey[1]
        where fk.contype = 'f' and cardinality(fk.conkey) = 1 and c.oid <> r.oid
        order by 1, 2`,
  );
  const tenant = new Set(tables.filter((t) => t.tenant).map((t) => t.name));
  const shared = tables
    .filter((t) => !t.tenant && t.pk?.length === 1)
    .map((t) => ({ name: t.name, primaryKey: t.pk![0]!, columns: t.columns }));
  const names = new Set(shared.map((t) => t.name));
  // Restore order: a table after the shared tables it references.
  const ordered: SharedTable[] = [];
  while (ordered.length < shared.length) {
    const placed = new Set(ordered.map((t) => t.name));
    const next = shared.find((t) => !placed.has(t.name) && fks.every((f) => f.from !== t.name || !names.has(f.to) || placed.has(f.to)));
    if (!next) throw new Error('Shared tables reference each other in a cycle');
    ordered.push(next);
  }
  return { shared: ordered, tenant, fks: fks.filter((f) => names.has(f.from) || names.has(f.to)) };
}

/** Distinct non-null values of `column` in `table` where `filter` holds. */
async function valuesOf(tx: Tx, table: string, column: string, filter: ReturnType<typeof sql>): Promise<string[]> {
  const rows = await queryRows<{ v: string }>(
    tx,
    sql`select distinct ${sql.identifier(column)}::text as v from ${sql.identifier(table)} where ${sql.identifier(column)} is not null and ${filter}`,
  );
  return rows.map((r) => r.v);
}

/** The shared rows an institution's archived rows need, closed under references and parts (system scope, in the archive's snapshot). */
export async function collectSharedRows(tx: Tx, institutionId: string, tenantTables: TenantTable[]): Promise<SharedSection> {
  const { shared, tenant, fks } = await catalog(tx);
  const byName = new Map(shared.map((t) => [t.name, t]));
  const keys = new Map<string, Set<string>>(shared.map((t) => [t.name, new Set()]));
  let frontier: { table: string; values: string[] }[] = [];
  const add = (table: string, values: string[]) => {
    const set = keys.get(table)!;
    const fresh = values.filter((v) => !set.has(v));
    for (const v of fresh) set.add(v);
    if (fresh.length) frontier.push({ table, values: fresh });
  };
  const archived = new Set(tenantTables.map((t) => t.name));
  for (const f of fks) {
    if (!archived.has(f.from) || !byName.has(f.to) || byName.get(f.to)!.primaryKey !== f.key) continue;
    add(f.to, await valuesOf(tx, f.from, f.column, sql`tenant_id = ${institutionId}`));
  }
  while (frontier.length) {
    const batch = frontier;
    frontier = [];
    for (const { table, values } of batch) {
      const pk = byName.get(table)!.primaryKey;
      const these = sql`${sql.identifier(pk)}::text in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`;
      // What these rows reference…
      for (const f of fks.filter((f) => f.from === table && byName.has(f.to) && byName.get(f.to)!.primaryKey === f.key)) {
        add(f.to, await valuesOf(tx, table, f.column, these));
      }
      // …and the rows that are part of them.
      for (const f of fks.filter((f) => f.to === table && f.cascade && byName.has(f.from))) {
        const part = byName.get(f.from)!;
        add(
          part.name,
          await valuesOf(
            tx,
            part.name,
            part.primaryKey,
            sql`${sql.identifier(f.column)}::text in (${sql.join(
              values.map((v) => sql`${v}`),
              sql`, `,
            )})`,
          ),
        );
      }
    }
  }
  const out: SharedSection = {};
  for (const t of shared) {
    const wanted = [...keys.get(t.name)!];
    if (!wanted.length) continue;
    // A shared row's reference to a person (who published a template version) is not carried: it is null.
    let expr = sql`to_jsonb(x)`;
    for (const f of fks.filter((f) => f.from === t.name && tenant.has(f.to)))
      expr = sql`${expr} || jsonb_build_object(${f.column}::text, null)`;
    const rows = await queryRows<{ r: JsonRow }>(
      tx,
      sql`select ${expr} as r from ${sql.identifier(t.name)} x
          where x.${sql.identifier(t.primaryKey)}::text in (${sql.join(
            wanted.map((v) => sql`${v}`),
            sql`, `,
          )})
          order by x.${sql.identifier(t.primaryKey)}`,
    );
    out[t.name] = { primaryKey: [t.primaryKey], rows: rows.map((r) => r.r) };
  }
  return out;
}

/**
 * Before a restore writes anything: every shared row the archive's rows refer to must be in this
 * database already or in the archive. Refuses, naming what is missing, when it is not.
 */
export async function checkSharedReferences(tx: Tx, tables: Record<string, { rows: JsonRow[] }>, shared: SharedSection): Promise<void> {
  const { shared: sharedTables, fks } = await catalog(tx);
  const byName = new Map(sharedTables.map((t) => [t.name, t]));
  const missing: string[] = [];
  for (const target of sharedTables) {
    const carried = new Set((shared[target.name]?.rows ?? []).map((r) => String(r[target.primaryKey])));
    const wanted = new Set<string>();
    for (const f of fks.filter((f) => f.to === target.name && f.key === target.primaryKey && !byName.has(f.from))) {
      for (const r of tables[f.from]?.rows ?? [])
        if (r[f.column] != null && !carried.has(String(r[f.column]))) wanted.add(String(r[f.column]));
    }
    if (!wanted.size) continue;
    const present = new Set(
      await valuesOf(
        tx,
        target.name,
        target.primaryKey,
        sql`${sql.identifier(target.primaryKey)}::text in (${sql.join(
          [...wanted].map((v) => sql`${v}`),
          sql`, `,
        )})`,
      ),
    );
    const absent = [...wanted].filter((v) => !present.has(v));
    if (absent.length) missing.push(`${target.name} (${absent.length})`);
  }
  if (missing.length) {
    throw new AppError(
      'bad_request',
      `This database lacks records of the master bank that the institution's data refers to, and the archive does not carry them: ${missing.join(', ')}. ` +
        'Restore into a database of the same region that holds them, or use a backup made by a version of Vetted that includes them.',
    );
  }
}

/**
 * Adds the archive's shared rows this database lacks (rows it has, by primary key, are the region's
 * own and are kept). Refuses when a row cannot be added because this database holds a different
 * record in its place (another template with the same slug): its master bank is not the region's.
 */
export async function restoreSharedRows(tx: Tx, shared: SharedSection): Promise<Record<string, number>> {
  const { shared: sharedTables } = await catalog(tx);
  const unknown = Object.keys(shared).filter((n) => !sharedTables.some((t) => t.name === n));
  if (unknown.length) throw new AppError('bad_request', `This database has no table ${unknown.join(', ')}: migrate it first`);
  const added: Record<string, number> = {};
  // In restore order, each table checked before the next is written: a clash is reported as such, never as a broken reference.
  for (const t of sharedTables) {
    const rows = shared[t.name]?.rows ?? [];
    if (!rows.length) continue;
    const cols = sql.join(
      t.columns.map((c) => sql.identifier(c)),
      sql`, `,
    );
    const [r] = await queryRows<{ n: number }>(
      tx,
      sql`with ins as (insert into ${sql.identifier(t.name)} (${cols}) select ${cols} from jsonb_populate_recordset(null::${sql.identifier(t.name)}, ${JSON.stringify(rows)}::jsonb)
            on conflict do nothing returning 1) select count(*)::int as n from ins`,
    );
    added[t.name] = r?.n ?? 0;
    const ids = rows.map((row) => String(row[t.primaryKey]));
    const present = new Set(
      await valuesOf(
        tx,
        t.name,
        t.primaryKey,
        sql`${sql.identifier(t.primaryKey)}::text in (${sql.join(
          ids.map((v) => sql`${v}`),
          sql`, `,
        )})`,
      ),
    );
    const absent = ids.filter((v) => !present.has(v));
    if (absent.length) {
      throw new AppError(
        'conflict',
        `This database's master bank holds other records where the archive's belong: ${t.name} (${absent.length}). ` +
          'It is not a copy of the region this archive comes from; nothing was restored.',
      );
    }
  }
  return added;
}
