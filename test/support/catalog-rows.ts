/**
 * Rows for any table, built from the database catalog alone: each column's type, NOT NULL, CHECK,
 * unique and foreign-key constraints. Tests that must cover every tenant table — the ones there are
 * and the ones added later — seed them with this instead of a list kept by hand. A table whose row
 * cannot be built fails with its name and the reason.
 *
 * Rows are written as the connecting (migration) role, which row-level security does not confine.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../src/server/platform/db.js';

export type Row = Record<string, unknown>;
interface References {
  fixed: Row;
  lazy: Record<string, () => Promise<unknown>>;
}
type Runner = Db | Tx;

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  /** Identity or generated: the database fills it. */
  automatic: boolean;
  /** Values a single-column CHECK `col = ANY (ARRAY[...])` allows. */
  allowed: string[] | null;
}
interface ForeignKey {
  columns: string[];
  table: string;
  refColumns: string[];
}
export interface CatalogTable {
  name: string;
  columns: Column[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
  /** CHECK constraints by name, with the columns they read. */
  checks: Map<string, string[]>;
  /** `tenant_id`, or `id` for the tenants' own table; null for a shared table. */
  tenantColumn: string | null;
}
export interface Catalog {
  tables: Map<string, CatalogTable>;
  /** The table `tenant_id` refers to (institutions). */
  tenantTable: string;
}

/** Every ordinary table of schema public, as the catalog describes it. */
export async function readCatalog(db: Runner): Promise<Catalog> {
  const columns = await queryRows<{ table: string; name: string; type: string; not_null: boolean; has_default: boolean; automatic: boolean }>(
    db,
    sql`select c.relname as table, a.attname as name, t.typname as type, a.attnotnull as not_null, a.atthasdef as has_default,
          (a.attidentity <> '' or a.attgenerated <> '') as automatic
        from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        join pg_type t on t.oid = a.atttypid
        where c.relkind in ('r', 'p') order by c.relname, a.attnum`,
  );
  const constraints = await queryRows<{ table: string; name: string; type: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null; def: string }>(
    db,
    sql`select c.relname as table, k.conname as name, k.contype::text as type,
          (select array_agg(a.attname::text order by x.ord) from unnest(k.conkey) with ordinality x(attnum, ord)
             join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.attnum) as columns,
          r.relname as ref_table,
          (select array_agg(a.attname::text order by x.ord) from unnest(k.confkey) with ordinality x(attnum, ord)
             join pg_attribute a on a.attrelid = k.confrelid and a.attnum = x.attnum) as ref_columns,
          pg_get_constraintdef(k.oid) as def
        from pg_constraint k join pg_class c on c.oid = k.conrelid
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        left join pg_class r on r.oid = k.confrelid
        where k.contype in ('p', 'f', 'c') order by c.relname, k.conname`,
  );
  const tables = new Map<string, CatalogTable>();
  for (const c of columns) {
    let t = tables.get(c.table);
    if (!t) tables.set(c.table, (t = { name: c.table, columns: [], primaryKey: [], foreignKeys: [], checks: new Map(), tenantColumn: null }));
    t.columns.push({ name: c.name, type: c.type, notNull: c.not_null, hasDefault: c.has_default, automatic: c.automatic, allowed: null });
  }
  let tenantTable: string | undefined;
  for (const k of constraints) {
    const t = tables.get(k.table);
    if (!t) continue;
    if (k.type === 'p') t.primaryKey = k.columns;
    if (k.type === 'f') {
      t.foreignKeys.push({ columns: k.columns, table: k.ref_table!, refColumns: k.ref_columns! });
      if (k.columns.length === 1 && k.columns[0] === 'tenant_id') tenantTable = k.ref_table!;
    }
    if (k.type === 'c') {
      t.checks.set(k.name, k.columns);
      // One column's list of values, alone or beside `is null` (`CHECK ((col = ANY (ARRAY[...])))`).
      const m = /\(\(?(\w+) = ANY \(ARRAY\[(.*?)\]\)\)/.exec(k.def);
      const column = m && k.columns.length === 1 ? t.columns.find((c) => c.name === m[1]) : undefined;
      if (column) column.allowed = [...m![2]!.matchAll(/'((?:[^']|'')*)'::/g)].map((v) => v[1]!.replace(/''/g, "'"));
    }
  }
  if (!tenantTable) throw new Error('No table has a foreign key tenant_id: cannot tell the tenants table');
  for (const t of tables.values()) {
    t.tenantColumn = t.columns.some((c) => c.name === 'tenant_id') ? 'tenant_id' : t.name === tenantTable ? t.primaryKey[0]! : null;
  }
  return { tables, tenantTable };
}

/** The tables holding one tenant's rows (a `tenant_id` column), and the tenants' table itself. */
export function tenantTablesOf(catalog: Catalog): CatalogTable[] {
  return [...catalog.tables.values()].filter((t) => t.tenantColumn !== null);
}

let counter = 0;
const token = () => `${(counter++).toString(36)}${randomUUID().slice(0, 8)}`;

/** Candidate values for a column, the first preferred. `[]` when the type is unknown. */
/** The last of the growing integers `candidates` hands out (see there). */
let ascending = 10_000; // within a smallint, above any position a test reaches

function candidates(table: string, c: Column, full: boolean): unknown[] {
  const orNull = c.notNull ? [] : [null];
  if (c.allowed) return full ? [...c.allowed, ...orNull] : [...c.allowed.slice().reverse(), ...orNull];
  const t = c.type.startsWith('_') ? c.type.slice(1) : c.type;
  let values: unknown[];
  switch (t) {
    case 'uuid':
      values = [randomUUID()];
      break;
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
      values = [`${c.name}-${token()}`];
      break;
    case 'int2':
    case 'int4':
    case 'int8':
    case 'numeric':
    case 'float4':
    case 'float8': {
      // First a large value that grows with every row made: positions in a sequence (an audit chain,
      // whose anchor refuses a position at or behind it) stay ahead of what the service used from 1
      // up. Then small ones, for ranges a CHECK allows (tried when it refuses the first).
      const n = 1 + Math.floor(Math.random() * 4);
      values = [(ascending += 1), n, 5, 1, 0];
      break;
    }
    case 'bool':
      values = full ? [true, false] : [false, true];
      break;
    case 'timestamptz':
    case 'timestamp':
      values = [new Date(Date.UTC(2030, 0, 1) + Math.floor(Math.random() * 1e10)).toISOString()];
      break;
    case 'date':
      values = [new Date(Date.UTC(2030, 0, 1) + Math.floor(Math.random() * 1e10)).toISOString().slice(0, 10)];
      break;
    case 'jsonb':
    case 'json':
      values = [{ [c.name]: token() }];
      break;
    case 'bytea':
      values = [`\\x${Buffer.from(token()).toString('hex')}`];
      break;
    default:
      throw new Error(`${table}.${c.name}: no value can be built for type ${c.type}; teach test/support/catalog-rows.ts this type`);
  }
  if (c.type.startsWith('_')) values = values.map((v) => [v]);
  return [...values, ...orNull];
}

function pgCode(err: unknown): string | undefined {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (typeof e.code === 'string') return e.code;
  return undefined;
}
function pgConstraint(err: unknown): string | undefined {
  for (let e = err as { constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (typeof e.constraint === 'string') return e.constraint;
  return undefined;
}

/** Inserts `row` into `table` (values through jsonb_populate_record: every type from its JSON) and returns it as stored. */
export async function insertRow(tx: Runner, table: string, row: Row): Promise<Row> {
  const cols = sql.join(Object.keys(row).map((c) => sql.identifier(c)), sql`, `);
  const [r] = await queryRows<{ r: Row }>(
    tx,
    sql`insert into ${sql.identifier(table)} as t (${cols}) select ${cols} from jsonb_populate_record(null::${sql.identifier(table)}, ${JSON.stringify(row)}::jsonb) returning to_jsonb(t) as r`,
  );
  return r!.r;
}

/**
 * Builds and inserts rows. `full`: every column gets a value (nullable ones and those with a default
 * too), so a copy that loses a column shows; otherwise only what NOT NULL and the keys require.
 */
export class RowMaker {
  /** One row per (table, tenant) that others refer to. */
  private readonly refs = new Map<string, Row>();
  private readonly building: string[] = [];

  constructor(
    readonly catalog: Catalog,
    private readonly opts: { full: boolean } = { full: false },
  ) {}

  table(name: string): CatalogTable {
    const t = this.catalog.tables.get(name);
    if (!t) throw new Error(`No table ${name}`);
    return t;
  }

  /** A new tenant (a row of the tenants' table). */
  async tenant(db: Runner): Promise<string> {
    const t = this.table(this.catalog.tenantTable);
    const id = randomUUID();
    const row = await this.insert(db, t.name, id);
    this.refs.set(`${t.name}:${id}`, row);
    return id;
  }

  /** The row of `table` that rows of `tenantId` refer to, made on first use. */
  async referenced(db: Runner, table: string, tenantId: string | null): Promise<Row> {
    const t = this.table(table);
    const key = `${table}:${t.tenantColumn ? tenantId : ''}`;
    let row = this.refs.get(key);
    if (!row) {
      if (table === this.catalog.tenantTable) throw new Error(`Rows refer to tenant ${tenantId}, which is not made yet`);
      row = await this.insert(db, table, t.tenantColumn ? tenantId : null);
      this.refs.set(key, row);
    }
    return row;
  }

  /**
   * Inserts one new row of `table` for `tenantId` (null: a shared table), trying other allowed
   * values when a CHECK or a unique key refuses one. Each try runs in a savepoint of `db`.
   */
  async insert(db: Runner, table: string, tenantId: string | null, opts: { filled?: string } = {}): Promise<Row> {
    const t = this.table(table);
    if (this.building.includes(table)) throw new Error(`${table}: its foreign keys lead back to it (${[...this.building, table].join(' → ')}); make one of them nullable or teach test/support/catalog-rows.ts`);
    this.building.push(table);
    try {
      return await this.solve(db, t, (fresh) => this.references(db, t, tenantId, fresh, opts.filled), opts.filled);
    } finally {
      this.building.pop();
    }
  }

  /**
   * The values of a new row's foreign keys: the referenced rows, of the same tenant when the
   * referenced table is a tenant table — shared ones, or `fresh` ones when a unique key refused the
   * shared ones (one assessment per inventory item).
   */
  private async references(db: Runner, t: CatalogTable, tenantId: string | null, fresh: boolean, filled?: string): Promise<References> {
    const fixed: Row = {};
    /** Nullable single-column references left null, and how to fill one when a CHECK asks for it. */
    const lazy: Record<string, () => Promise<unknown>> = {};
    if (t.tenantColumn) fixed[t.tenantColumn] = tenantId;
    const refOf = (table: string) => {
      const tenant = table === this.catalog.tenantTable || this.table(table).tenantColumn ? tenantId : null;
      return fresh && table !== this.catalog.tenantTable ? this.insert(db, table, tenant) : this.referenced(db, table, tenant);
    };
    for (const fk of t.foreignKeys) {
      const unset = fk.columns.filter((c) => !(c in fixed));
      if (!unset.length) continue;
      const required = unset.some((c) => c === filled || t.columns.find((x) => x.name === c)!.notNull);
      if (!required && (!this.opts.full || this.building.includes(fk.table))) {
        for (const c of unset) fixed[c] = null;
        // One column left to fill (a single-column key, or a composite one whose tenant column is set):
        // a CHECK may ask for it (`attachments`: exactly one of its app or its assessment).
        if (unset.length === 1 && !this.building.includes(fk.table)) {
          const [c] = unset as [string];
          lazy[c] = async () => (await refOf(fk.table))[fk.refColumns[fk.columns.indexOf(c)]!];
        }
        continue;
      }
      const ref = await refOf(fk.table);
      fk.columns.forEach((c, i) => {
        if (!(c in fixed)) fixed[c] = ref[fk.refColumns[i]!];
      });
    }
    return { fixed, lazy };
  }

  private async solve(db: Runner, t: CatalogTable, resolve: (fresh: boolean) => Promise<References>, filled?: string): Promise<Row> {
    let { fixed, lazy } = await resolve(false);
    const free = t.columns.filter((c) => !c.automatic && !(c.name in fixed) && (c.name === filled || this.opts.full || (c.notNull && !c.hasDefault)));
    const valuesOf = (c: Column) => candidates(t.name, c, this.opts.full).filter((v) => v !== null || c.name !== filled);
    const fresh = () => Object.fromEntries(free.map((c) => [c.name, valuesOf(c)])) as Record<string, unknown[]>;
    let choices = fresh();
    const pick = (over: Row = {}): Row => ({ ...Object.fromEntries(free.map((c) => [c.name, choices[c.name]![0]])), ...fixed, ...over });
    const errors: string[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      // Each CHECK that refused: every combination of its free columns' candidates (the constraint's own columns only).
      // A row may meet one CHECK only to be refused by the next: each refusing CHECK is expanded
      // once, on top of the values of the try it refused (which already satisfied the earlier ones).
      const tries: Row[] = [pick()];
      const expanded = new Set<string>();
      let last: unknown;
      for (let i = 0; i < tries.length && i < 200; i++) {
        try {
          return await db.transaction((sp) => insertRow(sp as Tx, t.name, tries[i]!));
        } catch (err) {
          last = err;
          const code = pgCode(err);
          const constraint = pgConstraint(err);
          errors.push(`${code ?? '?'} ${constraint ?? ''} ${(err as Error).message.split('\n')[0]}`);
          if (code === '23514' && constraint && !expanded.has(constraint)) {
            expanded.add(constraint);
            // The constraint's columns: free ones take their candidates; nullable ones left out or
            // left null (references included) take null or a value.
            let combos: Row[] = [{}];
            for (const c of t.checks.get(constraint) ?? []) {
              const column = t.columns.find((x) => x.name === c)!;
              let values: unknown[] | undefined = choices[c];
              if (!values && lazy[c]) values = [null, await lazy[c]()];
              else if (!values && !(c in fixed) && !column.notNull && !column.automatic) values = [null, ...candidates(t.name, column, true).filter((v) => v !== null)];
              else if (!values && c in fixed && fixed[c] !== null && !column.notNull && c !== t.tenantColumn) values = [fixed[c], null];
              if (values && c === filled) values = values.filter((v) => v !== null);
              if (values) combos = combos.flatMap((combo) => values.map((v) => ({ ...combo, [c]: v })));
            }
            const base = tries[i]!;
            tries.push(...combos.map((combo) => ({ ...base, ...combo })));
          } else if (code !== '23514' && code !== '23505') break;
        }
      }
      // A unique key or an unsolved check: new random values (and, for a unique key, new referenced rows).
      if (!['23505', '23514'].includes(pgCode(last) ?? '')) break;
      choices = fresh();
      if (pgCode(last) === '23505') ({ fixed, lazy } = await resolve(true));
    }
    throw new Error(`${t.name}: no row could be built from the catalog (${errors.slice(-3).join('; ')}); teach test/support/catalog-rows.ts`);
  }
}

/**
 * Every row of one tenant in each of `tables` (default: every tenant table), as PostgreSQL renders
 * it (`to_jsonb`: every column), ordered by primary key; the columns the database numbers itself
 * (identity) are left out after ordering, so copies that renumber them compare equal in order.
 */
export async function rowsOfTenant(db: Runner, catalog: Catalog, tenantId: string, tables = tenantTablesOf(catalog)): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const t of tables) {
    const order = sql.join(t.primaryKey.map((c) => sql`x.${sql.identifier(c)}`), sql`, `);
    let expr = sql`to_jsonb(x)`;
    for (const c of t.columns.filter((c) => c.automatic)) expr = sql`${expr} - ${c.name}::text`;
    const rows = await queryRows<{ r: Row }>(db, sql`select ${expr} as r from ${sql.identifier(t.name)} x where x.${sql.identifier(t.tenantColumn!)} = ${tenantId} order by ${order}`);
    out[t.name] = rows.map((r) => r.r);
  }
  return out;
}

/** Columns of `table` that are null in every row given. */
export function columnsNeverFilled(t: CatalogTable, rows: Row[]): string[] {
  return t.columns.filter((c) => !c.automatic && rows.every((r) => r[c.name] === null || r[c.name] === undefined)).map((c) => c.name);
}
