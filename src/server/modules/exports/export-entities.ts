import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { SENSITIVE_DATA_ELEMENTS } from '../../../contracts/domain.js';
import { queryRows, type TenantScope, type Tx } from '../../platform/db.js';
import { PRIVATE_KEY, SEALED } from '../../platform/secret-values.js';
import { neutraliseText, type SheetCellType, type SheetColumn } from './spreadsheet.js';
import { byTenant } from '../../platform/tenant-filter.js';

/**
 * How a selected value becomes a cell: `text` (free text, checked for secrets and neutralised), `id`
 * (a uuid or a date as text: nothing in it can be a formula, markup or a secret), `int`, `bool`,
 * `list` (text values joined with "; ", each checked for secrets), `ts` (a timestamp, written as
 * ISO 8601 text) and `json` (a JSON value as PostgreSQL writes it, secrets in it blanked).
 */
type Kind = 'text' | 'id' | 'int' | 'bool' | 'list' | 'ts' | 'json';

interface Field {
  header: string;
  /** SQL expression over the entity's `from` clause. */
  expr: SQL;
  kind: Kind;
  /** Where the words of the column's codes are (see `export-words.ts`); none for a column of free text. */
  codes?: CodeWords;
}

/**
 * The message tree naming a coded column's values (`status`, `grade`, `auditAction`, …, or
 * `exports.<tree>` for the export's own), or `country` for ISO country codes in words.
 */
export type CodeWords = string;

/** The words of each code tree, in the reader's language: tree → code → words (see `export-words.ts`). */
export type WordMaps = Readonly<Record<CodeWords, Readonly<Record<string, string>>>>;

/** The two files an export writes: a workbook's sheets, or CSV files. */
export type SheetFormat = 'xlsx' | 'csv';

/** A page of an entity read by its key: the rows after `after` (null: from the start), at most `limit`. */
export interface PageWindow {
  after: string[] | null;
  limit: number;
}

/**
 * One sheet (XLSX) or file (CSV zip) of the full export. PostgreSQL writes its rows' cells as the
 * file holds them (`rowsQuery`, copied with `copyOptions`): secrets blanked, formulas neutralised,
 * codes in words. For a CSV file the process only adds the header and deflates; for a workbook it
 * writes each row's SpreadsheetML from the cells (`sheetRows` in spreadsheet.ts).
 */
export interface ExportEntity {
  /** Sheet name; the CSV file is its slug. */
  name: string;
  file: string;
  /** Key and English header of each column, and where the words of its codes are (coded columns only). */
  columns: (SheetColumn & { codes?: CodeWords })[];
  /** How a workbook types each cell of a row (a coded column's words, then its codes, as `entityLayout` lists them). */
  cellTypes: SheetCellType[];
  count(tx: Tx, scope: TenantScope): Promise<number>;
  /**
   * The query whose rows are the sheet's rows, a column per sheet column, each value its cell's text
   * (numbers as numbers; booleans as `true` and `false`; null for an empty cell). Values are written
   * into the text (COPY takes no parameters). The whole sheet comes in the order the database reads
   * it; with `page`, only that page, read by its key, in key order.
   */
  rowsQuery(scope: TenantScope, words: WordMaps, page?: PageWindow): string;
  /** How many rows the page after `after` holds (at most `limit`), and its last row's key. */
  pageEnd(tx: Tx, scope: TenantScope, after: string[] | null, limit: number): Promise<{ rows: number; last: string[] | null }>;
}

/**
 * How `copy` writes an entity's `rowsQuery` for `format`. CSV files are PostgreSQL's own CSV (fields
 * quoted when they hold a comma, a quote or a line end, quotes doubled, an empty text as `""`, each
 * record ended by a line feed). A workbook's cells come as COPY's text format (a row per line, tabs
 * between fields, `\N` for null, backslash escapes), which the process reads without quoting rules.
 */
export function copyOptions(format: SheetFormat): string {
  return format === 'csv' ? 'format csv' : 'format text';
}

const dialect = new PgDialect();
/** SQL as text, its values written into it as literals (COPY takes no parameters). */
const inline = (query: SQL): string => dialect.sqlToQuery(query.inlineParams()).sql;
/** A text literal. */
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** True when the text `t` (SQL) is a sealed secret or holds a private key: `isSecretText`, in SQL. */
const secretSql = (t: string) =>
  `((${t} like 'v_.%' and ${t} ~ ${literal(SEALED.source)}) or (strpos(${t}, 'PRIVATE KEY-----') > 0 and ${t} ~ ${literal(PRIVATE_KEY.source)}))`;
/**
 * A JSON string (quoted, escapes kept) that is a sealed secret or holds a private key, not followed by
 * a colon (a value, never a key): replaced by null, as `withoutSecretValues` does at any depth.
 */
const SEALED_JSON = `"(${SEALED.source.slice(2, -2)})"(?!\\s*:)`;
const PRIVATE_KEY_JSON = `"(?:[^"\\\\]|\\\\.)*${PRIVATE_KEY.source}(?:[^"\\\\]|\\\\.)*"(?!\\s*:)`;
/** The JSON text `j` (SQL) with its secret values null; the patterns run only on text that could match. */
const jsonWithoutSecretsSql = (j: string) =>
  `case when strpos(${j}, 'v1.') > 0 or strpos(${j}, 'v2.') > 0 or strpos(${j}, 'PRIVATE KEY-----') > 0 then regexp_replace(regexp_replace(${j}, ${literal(SEALED_JSON)}, 'null', 'g'), ${literal(PRIVATE_KEY_JSON)}, 'null', 'g') else ${j} end`;
/**
 * Text that a spreadsheet would run as a formula (starting with = + - @ tab or carriage return) with
 * a leading apostrophe: `neutraliseText`, in SQL.
 */
const neutralisedSql = (t: string) => `case when ascii(${t}) in (9, 13, 43, 45, 61, 64) then '''' || ${t} else ${t} end`;
/** Free text as a cell holds it: nothing if it is a secret, else neutralised. */
const textCellSql = (t: string) => `case when ${secretSql(t)} then null else ${neutralisedSql(t)} end`;

/** A column of a sheet as the query writes it: its value (SQL over the rows `x`) and kind. */
interface SheetValue {
  expr: SQL;
  kind: Kind;
  /** The words of a code, written as the cell holds them; an unknown code's cell is its code's (the next column). */
  words?: true;
}

/**
 * A column of codes' words, each code (or each of a list) as its words. A single code's words are
 * written in the service's process as the cell holds them (neutralised), so the database only looks
 * them up; an unknown code is null here and its cell is the code's own. A list's words are joined and
 * checked as any list.
 */
function wordsOf(f: Field, words: WordMaps): SheetValue {
  const map = words[f.codes!] ?? {};
  if (f.kind === 'list') {
    const raw = sql`${JSON.stringify(map)}::jsonb`;
    return {
      expr: sql`array(select coalesce(${raw} ->> u.e, u.e) from unnest(${f.expr}) with ordinality u(e, i) order by u.i)`,
      kind: 'list',
    };
  }
  const written = Object.fromEntries(Object.entries(map).map(([code, text]) => [code, neutraliseText(text)]));
  return { expr: sql`${JSON.stringify(written)}::jsonb ->> (${f.expr})`, kind: 'text', words: true };
}

/**
 * A value read (`c`, SQL naming it) as text where its kind needs converting: timestamps as ISO 8601
 * text in UTC with milliseconds (as `Date.toISOString` writes them), JSON as its text, a list as its
 * elements joined. For a page, this comes after the sort, which then moves the values as they are
 * stored.
 */
function converted(kind: Kind, c: string): string {
  switch (kind) {
    case 'ts':
      return `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'json':
      return `(${c})::text`;
    case 'list':
      return `array_to_string(${c}, '; ')`;
    default:
      return c;
  }
}

/**
 * Column `c` (SQL naming its converted value) as its cell's text or typed value. A list is checked
 * for secrets as the text it is joined into (a private key in any element, a sealed value as the
 * only one); its values are codes or names a person chose. JSON text can start with a formula's
 * character only as a bare number (`-1`), which holds no text to blank: it is neutralised, and any
 * other has its secret values blanked.
 */
function cellSql(kind: Kind, c: string): string {
  switch (kind) {
    case 'text':
      return textCellSql(c);
    case 'list':
      return `nullif(${textCellSql(c)}, '')`;
    case 'json':
      return `case when ascii(${c}) in (9, 13, 43, 45, 61, 64) then '''' || ${c} else ${jsonWithoutSecretsSql(c)} end`;
    default:
      return c;
  }
}

/** A field from its value as `cellSql` writes it (booleans as `true` and `false`). */
function fieldSql(kind: Kind, v: string): string {
  return kind === 'bool' ? `case when ${v} then 'true' when not ${v} then 'false' end` : v;
}

const select = (tx: Tx, query: SQL) => queryRows<Record<string, unknown>>(tx, query);

/** A column of the unique ordering key, with the SQL type its cursor value is cast back to. */
interface KeyPart {
  expr: SQL;
  type: 'uuid' | 'bigint' | 'text' | 'date';
}
const uuidKey = (expr: SQL): KeyPart[] => [{ expr, type: 'uuid' }];

/**
 * A table-backed entity. The whole sheet is one statement whose lookups in other tables (`joins`) are
 * hash joins, each other table hashed once. A page (the embedded database reads a page at a time, in
 * a short transaction of its own) takes the next `limit` rows of `table` (alias `x`) of the tenant by
 * its unique key — an index range scan, since tenant_id leads every key — and only then joins what
 * the sheet shows from other tables, so a page costs the same at the end as at the start.
 *
 * In a page, what the sheet shows from other tables is looked up by primary key for each row:
 * `cross join lateral (select … where <key> ${one})`, `one` being `limit 1`. The `limit 1` (each
 * matches one row anyway) keeps PostgreSQL from flattening the lookup into a join, which it plans as
 * a hash join over the whole other table on every page: for the 88,000 answers of a large
 * institution, a scan of all 88,000 questions on each of 89 pages.
 *
 * The query has three levels: the rows' plain values (a page's sorted by key); those values converted
 * to text where their kind needs it, kept from being merged into the next level (`offset 0`), which
 * would convert a value once for each use of it; then each value as its cell's text (secrets
 * blanked, formulas neutralised, a code's words or else the code).
 */
function tableEntity(opts: {
  name: string;
  file: string;
  /**
   * The rows (aliased `x`). A derived table is given the tenant condition, a condition on the first
   * key part (`>=` the cursor's) and the page size, to read no more of its source than a page needs.
   */
  table: SQL | ((window: { tenant: SQL; from: SQL; limit: number | null }) => SQL);
  tenantColumn?: string;
  /** Lookups in other tables; `one` is `limit 1` in a page, nothing in the whole statement. */
  joins?: (one: SQL) => SQL;
  key: KeyPart[];
  fields: Record<string, Field>;
}): ExportEntity {
  const entries = Object.entries(opts.fields);
  const orderBy = sql.join(
    opts.key.map((k) => k.expr),
    sql`, `,
  );
  const tenant = (scope: TenantScope) => byTenant(sql`x.${sql.identifier(opts.tenantColumn ?? 'tenant_id')}`, scope);
  const tableOf = (scope: TenantScope, from: SQL, limit: number | null) =>
    typeof opts.table === 'function' ? opts.table({ tenant: tenant(scope), from, limit }) : opts.table;
  const after = (cursor: string[]) => {
    const values = opts.key.map((k, i) => sql`${cursor[i]}::${sql.raw(k.type)}`);
    return opts.key.length === 1 ? sql`${opts.key[0]!.expr} > ${values[0]}` : sql`(${orderBy}) > (${sql.join(values, sql`, `)})`;
  };
  /** The tenant's rows of `table` after `cursor` (null: from the start), in key order, `limit` of them. */
  const windowed = (scope: TenantScope, cursor: string[] | null, limit: number): SQL => {
    const from = cursor === null ? sql`true` : sql`${opts.key[0]!.expr} >= ${cursor[0]}::${sql.raw(opts.key[0]!.type)}`;
    const where = cursor === null ? sql`true` : after(cursor);
    return sql`(select * from ${tableOf(scope, from, limit)} x where ${tenant(scope)} and ${where} order by ${orderBy} limit ${limit}) x`;
  };
  /** The sheet's columns, a coded field's words before its codes. */
  const values = (words: WordMaps): SheetValue[] =>
    entries.flatMap(([, f]) => (f.codes ? [wordsOf(f, words), { expr: f.expr, kind: f.kind }] : [{ expr: f.expr, kind: f.kind }]));
  const typeOf = (kind: Kind): SheetCellType => (kind === 'int' || kind === 'bool' ? kind : 'text');
  return {
    name: opts.name,
    file: opts.file,
    columns: entries.map(([key, f]) => (f.codes ? { key, header: f.header, codes: f.codes } : { key, header: f.header })),
    cellTypes: values({}).map((v) => typeOf(v.kind)),
    async count(tx, scope) {
      const [r] = await select(tx, sql`select count(*)::int as n from ${tableOf(scope, sql`true`, null)} x where ${tenant(scope)}`);
      return Number(r?.n ?? 0);
    },
    rowsQuery(scope, words, page) {
      const columns = values(words);
      const picked = sql.join(
        columns.map((v, i) => sql`${v.expr} as ${sql.raw(`c${i}`)}`),
        sql`, `,
      );
      // A page is in key order; the whole sheet in the order the database reads it (sorting it by a
      // key of random ids was a third of the work of its largest sheet).
      const rows = page
        ? sql`select ${picked} from ${windowed(scope, page.after, page.limit)} ${opts.joins?.(sql`limit 1`) ?? sql``} order by ${orderBy}`
        : sql`select ${picked} from ${tableOf(scope, sql`true`, null)} x ${opts.joins?.(sql``) ?? sql``} where ${tenant(scope)}`;
      // The values converted, then written as cells, in a level of their own (`offset 0`): merged into
      // the next, a converted value would be computed once for each use of it.
      const texts = `select ${columns.map((v, i) => `${converted(v.kind, `s.c${i}`)} as c${i}`).join(', ')} from (${inline(rows)}) s offset 0`;
      const cells = columns.map((v, i) => (v.words ? `s.c${i}` : fieldSql(v.kind, cellSql(v.kind, `s.c${i}`))));
      return `select ${cells.map((c, i) => (columns[i]!.words ? `coalesce(${c}, ${cells[i + 1]})` : c)).join(', ')} from (${texts}) s`;
    },
    async pageEnd(tx, scope, cursor, limit) {
      const keys = sql.join(
        opts.key.map((k) => sql`${k.expr}::text`),
        sql`, `,
      );
      const descending = sql.join(
        opts.key.map((k) => sql`${k.expr} desc`),
        sql`, `,
      );
      const [r] = await select(
        tx,
        sql`select count(*)::int as n, (array_agg(json_build_array(${keys}) order by ${descending}))[1]::text as last from ${windowed(scope, cursor, limit)}`,
      );
      return { rows: Number(r?.n ?? 0), last: r?.last ? (JSON.parse(r.last as string) as string[]) : null };
    },
  };
}

const f = (header: string, expr: SQL, kind: Kind = 'text'): Field => ({ header, expr, kind });
/** A uuid column, or a date as text. */
const id = (header: string, expr: SQL): Field => ({ header, expr, kind: 'id' });
/** A column of codes (or a list of codes), written in words with the codes in a column of their own. */
const coded = (header: string, expr: SQL, codes: CodeWords, kind: 'text' | 'list' = 'text'): Field => ({ header, expr, kind, codes });
const sensitiveList = sql`array[${sql.join(
  [...SENSITIVE_DATA_ELEMENTS].map((e) => sql`${e}`),
  sql`, `,
)}]::text[]`;

/** Every entity of an institution's full export, in sheet order. Nothing secret (password hashes, tokens) is ever exported. */
export const EXPORT_ENTITIES: readonly ExportEntity[] = [
  tableEntity({
    name: 'Institution',
    file: 'institution',
    table: sql`institutions`,
    tenantColumn: 'id',
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      name: f('Name', sql`x.name`),
      kind: coded('Kind', sql`x.kind`, 'kind'),
      country: coded('Country', sql`x.country`, 'country'),
      subdivision: f('Province or state', sql`x.subdivision`),
      region: coded('Data region', sql`x.region`, 'region'),
      gradeLevels: coded('Grade levels', sql`x.grade_levels`, 'grade', 'list'),
      status: coded('Status', sql`x.status`, 'institutionStatus'),
      publicSlug: f('Public list address', sql`x.public_slug`),
      createdAt: f('Created at', sql`x.created_at`, 'ts'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Schools',
    file: 'schools',
    table: sql`schools`,
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      name: f('Name', sql`x.name`),
      gradeFrom: coded('From grade', sql`x.grade_from`, 'grade'),
      gradeTo: coded('To grade', sql`x.grade_to`, 'grade'),
      position: f('Position', sql`x.position`, 'int'),
      createdAt: f('Created at', sql`x.created_at`, 'ts'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Users',
    file: 'users',
    table: sql`users`,
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      email: f('Email', sql`x.email`),
      firstName: f('First name', sql`x.first_name`),
      lastName: f('Last name', sql`x.last_name`),
      role: coded('Role', sql`x.role`, 'role'),
      canApprove: f('Can approve', sql`x.can_approve`, 'bool'),
      status: coded('Status', sql`x.status`, 'userStatus'),
      createdAt: f('Created at', sql`x.created_at`, 'ts'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Inventory',
    file: 'inventory',
    table: sql`inventory_items`,
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      name: f('App', sql`x.name`),
      vendor: f('Vendor', sql`x.vendor`),
      catalogAppId: id('Catalog app ID', sql`x.catalog_app_id`),
      isCustom: f('Custom app', sql`(x.catalog_app_id is null)`, 'bool'),
      customWebsite: f('Custom app website', sql`x.custom_website`),
      status: coded('Status', sql`x.status`, 'status'),
      grades: coded('Grades', sql`x.grades`, 'grade', 'list'),
      schools: f(
        'Schools',
        sql`array(select s.name from schools s where s.tenant_id = x.tenant_id and s.id = any(x.school_ids) order by s.position, s.name)`,
        'list',
      ),
      schoolIds: f('School IDs', sql`x.school_ids::text[]`, 'list'),
      audiences: coded('Audiences', sql`x.audiences`, 'audience', 'list'),
      dataElements: coded('Data elements', sql`x.data_elements`, 'dataElement', 'list'),
      purpose: f('Purpose', sql`x.purpose`),
      ownerUserId: id('Owner user ID', sql`x.owner_user_id`),
      conditionsOfUse: f('Conditions of use', sql`x.conditions_of_use`),
      agreementType: coded('Agreement type', sql`x.agreement_type`, 'agreementType'),
      agreementSigned: f('Agreement signed', sql`x.agreement_signed`, 'bool'),
      agreementSignedOn: id('Agreement signed on', sql`x.agreement_signed_on::text`),
      agreementExpiresOn: id('Agreement expires on', sql`x.agreement_expires_on::text`),
      agreementUrl: f('Agreement link', sql`x.agreement_url`),
      nextReviewOn: id('Next review', sql`x.next_review_on::text`),
      notes: f('Notes', sql`x.notes`),
      isPublic: f('On the public list', sql`x.is_public`, 'bool'),
      version: f('Version', sql`x.version`, 'int'),
      createdAt: f('Created at', sql`x.created_at`, 'ts'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Staff requests',
    file: 'staff-requests',
    table: sql`staff_requests`,
    key: uuidKey(sql`x.id`),
    // Nothing of the requester: their sealed email and the status link's hash never leave.
    fields: {
      id: id('ID', sql`x.id`),
      app: f('App', sql`x.app_name`),
      vendor: f('Vendor', sql`x.app_vendor`),
      catalogAppId: id('Catalog app ID', sql`x.catalog_app_id`),
      website: f('Website', sql`x.app_website`),
      purpose: f('Purpose', sql`x.purpose`),
      grades: coded('Grades', sql`x.grades`, 'grade', 'list'),
      schoolIds: f('School IDs', sql`x.school_ids::text[]`, 'list'),
      audiences: coded('Audiences', sql`x.audiences`, 'audience', 'list'),
      studentCount: f('Students', sql`x.student_count`, 'int'),
      dataElements: coded('Data elements', sql`x.data_elements`, 'dataElement', 'list'),
      status: coded('Status', sql`x.status`, 'exports.staffRequestStatus'),
      declineReason: f('Reason declined', sql`x.decline_reason`),
      mergedIntoId: id('Merged into request ID', sql`x.merged_into_id`),
      inventoryItemId: id('Inventory item ID', sql`x.inventory_item_id`),
      triagedAt: f('Triaged at', sql`x.triaged_at`, 'ts'),
      createdAt: f('Created at', sql`x.created_at`, 'ts'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Data elements',
    file: 'data-elements',
    // One row per element of an item. A page unnests only the next items by id: those with at least
    // one element, one more than the page size, so they hold a page's rows even when the first
    // (the cursor's item) has none left. The whole sheet at once is in the order read.
    table: ({ tenant, from, limit }) =>
      sql`(select x.tenant_id, x.id, x.name, x.audiences, e.element
        from (select * from inventory_items x where ${tenant} and ${from} and cardinality(x.data_elements) > 0
          ${limit === null ? sql`` : sql`order by x.id limit ${limit + 1}`}) x
        cross join lateral unnest(x.data_elements) as e(element))`,
    key: [
      { expr: sql`x.id`, type: 'uuid' },
      { expr: sql`x.element`, type: 'text' },
    ],
    fields: {
      inventoryItemId: id('Inventory item ID', sql`x.id`),
      app: f('App', sql`x.name`),
      element: coded('Data element', sql`x.element`, 'dataElement'),
      sensitive: f('Sensitive', sql`(x.element = any(${sensitiveList}))`, 'bool'),
      audiences: coded('Audiences', sql`x.audiences`, 'audience', 'list'),
    },
  }),
  tableEntity({
    name: 'Assessments',
    file: 'assessments',
    table: sql`assessments`,
    joins: (one) =>
      sql`cross join lateral (select i.name from inventory_items i where i.tenant_id = x.tenant_id and i.id = x.inventory_item_id ${one}) i`,
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      inventoryItemId: id('Inventory item ID', sql`x.inventory_item_id`),
      app: f('App', sql`i.name`),
      title: f('Title', sql`x.title`),
      status: coded('Status', sql`x.status`, 'reports.codes'),
      currentRevision: f('Current revision', sql`x.current_revision`, 'int'),
      approvedRevision: f('Approved revision', sql`x.approved_revision`, 'int'),
      templateId: id('Template ID', sql`x.template_id`),
      baseVersionId: id('Template version ID', sql`x.base_version_id`),
      createdBy: id('Created by user ID', sql`x.created_by`),
      version: f('Version', sql`x.version`, 'int'),
      createdAt: f('Created at', sql`x.created_at`, 'ts'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Assessment revisions',
    file: 'assessment-revisions',
    table: sql`assessment_revisions`,
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      assessmentId: id('Assessment ID', sql`x.assessment_id`),
      number: f('Revision', sql`x.number`, 'int'),
      status: coded('Status', sql`x.status`, 'reports.codes'),
      templateVersionId: id('Template version ID', sql`x.template_version_id`),
      createdBy: id('Created by user ID', sql`x.created_by`),
      submittedAt: f('Submitted at', sql`x.submitted_at`, 'ts'),
      decidedAt: f('Decided at', sql`x.decided_at`, 'ts'),
      conditions: f('Conditions of use', sql`x.conditions`),
      nextReviewOn: id('Next review', sql`x.next_review_on::text`),
      createdAt: f('Created at', sql`x.created_at`, 'ts'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Answers',
    file: 'answers',
    table: sql`assessment_answers`,
    // Lookups by primary key, one index probe per answer of the page (see `tableEntity`).
    joins: (
      one,
    ) => sql`cross join lateral (select q.key, q.kind, q.prompt, q.origin, q.section_id from assessment_questions q where q.tenant_id = x.tenant_id and q.id = x.question_id ${one}) q
      cross join lateral (select sec.code, sec.title from assessment_sections sec where sec.tenant_id = x.tenant_id and sec.id = q.section_id ${one}) sec
      cross join lateral (select r.assessment_id, r.number from assessment_revisions r where r.tenant_id = x.tenant_id and r.id = x.revision_id ${one}) r`,
    // By revision: a page holds a few revisions' answers, so their lookups repeat (and are cached).
    key: [
      { expr: sql`x.revision_id`, type: 'uuid' },
      { expr: sql`x.question_id`, type: 'uuid' },
    ],
    fields: {
      assessmentId: id('Assessment ID', sql`r.assessment_id`),
      revisionId: id('Revision ID', sql`x.revision_id`),
      revision: f('Revision', sql`r.number`, 'int'),
      questionId: id('Question ID', sql`x.question_id`),
      section: f('Section', sql`sec.code`),
      sectionTitle: f('Section title', sql`sec.title`),
      questionKey: f('Question key', sql`q.key`),
      kind: coded('Kind', sql`q.kind`, 'exports.questionKind'),
      prompt: f('Question', sql`q.prompt`),
      questionOrigin: coded('Question added by', sql`q.origin`, 'exports.origin'),
      value: f('Answer (JSON)', sql`x.value`, 'json'),
      origin: coded('Answered by', sql`x.origin`, 'exports.origin'),
      evidenceUrl: f('Evidence link', sql`x.evidence_url`),
      evidenceQuote: f('Evidence quotation or document', sql`x.evidence_quote`),
      evidenceSeenOn: id('Evidence seen on', sql`x.evidence_seen_on::text`),
      vendorAnsweredOn: id('Answered by the vendor on', sql`x.vendor_answered_on::text`),
      reviewedOn: id('Reviewed by the operator on', sql`x.reviewed_on::text`),
      updatedBy: id('Updated by user ID', sql`x.updated_by`),
      version: f('Version', sql`x.version`, 'int'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Risks',
    file: 'risks',
    table: sql`assessment_risks`,
    joins: (one) =>
      sql`cross join lateral (select r.assessment_id, r.number from assessment_revisions r where r.tenant_id = x.tenant_id and r.id = x.revision_id ${one}) r`,
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      assessmentId: id('Assessment ID', sql`r.assessment_id`),
      revisionId: id('Revision ID', sql`x.revision_id`),
      title: f('Risk', sql`x.title`),
      description: f('Description', sql`x.description`),
      likelihood: f('Likelihood', sql`x.likelihood`, 'int'),
      impact: f('Impact', sql`x.impact`, 'int'),
      inherent: f('Inherent level', sql`(x.likelihood * x.impact)`, 'int'),
      mitigation: f('Mitigation', sql`x.mitigation`),
      owner: f('Owner', sql`x.owner`),
      dueOn: id('Due on', sql`x.due_on::text`),
      residualLikelihood: f('Residual likelihood', sql`x.residual_likelihood`, 'int'),
      residualImpact: f('Residual impact', sql`x.residual_impact`, 'int'),
      residual: f('Residual level', sql`(x.residual_likelihood * x.residual_impact)`, 'int'),
      position: f('Position', sql`x.position`, 'int'),
      createdAt: f('Created at', sql`x.created_at`, 'ts'),
      updatedAt: f('Updated at', sql`x.updated_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Sign-offs',
    file: 'sign-offs',
    table: sql`assessment_signoffs`,
    joins: (one) =>
      sql`cross join lateral (select r.assessment_id, r.number from assessment_revisions r where r.tenant_id = x.tenant_id and r.id = x.revision_id ${one}) r`,
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      assessmentId: id('Assessment ID', sql`r.assessment_id`),
      revisionId: id('Revision ID', sql`x.revision_id`),
      revision: f('Revision', sql`r.number`, 'int'),
      userId: id('User ID', sql`x.user_id`),
      signerName: f('Signed by', sql`x.signer_name`),
      role: coded('Role', sql`x.role`, 'role'),
      decision: coded('Decision', sql`x.decision`, 'exports.decision'),
      comment: f('Comment', sql`x.comment`),
      at: f('At', sql`x.at`, 'ts'),
    },
  }),
  // What describes each attached document (the zip export also carries the files; see writeFullExport).
  tableEntity({
    name: 'Attachments',
    file: 'attachments',
    table: sql`attachments`,
    key: uuidKey(sql`x.id`),
    fields: {
      id: id('ID', sql`x.id`),
      inventoryItemId: id('Inventory ID', sql`x.inventory_item_id`),
      assessmentId: id('Assessment ID', sql`x.assessment_id`),
      kind: coded('Kind', sql`x.kind`, 'exports.attachmentKind'),
      fileName: f('File name', sql`x.file_name`),
      contentType: f('Type', sql`x.content_type`),
      byteSize: f('Size (bytes)', sql`x.byte_size`, 'int'),
      sha256: f('SHA-256', sql`x.sha256`),
      agreementExpiresOn: id('Agreement expires on', sql`x.agreement_expires_on::text`),
      uploadedBy: id('Uploaded by (user ID)', sql`x.uploaded_by`),
      createdAt: f('Uploaded at', sql`x.created_at`, 'ts'),
    },
  }),
  tableEntity({
    name: 'Audit events',
    file: 'audit-events',
    table: sql`audit_events`,
    key: [{ expr: sql`x.id`, type: 'bigint' }],
    fields: {
      id: f('ID', sql`x.id`, 'int'),
      at: f('At', sql`x.at`, 'ts'),
      actorUserId: id('Actor user ID', sql`x.actor_user_id`),
      actorLabel: f('Actor', sql`x.actor_label`),
      actorRole: coded('Actor role', sql`x.actor_role`, 'role'),
      action: coded('Action', sql`x.action`, 'auditAction'),
      recordType: coded('Record type', sql`x.record_type`, 'auditRecordType'),
      recordId: f('Record ID', sql`x.record_id`),
      changes: f('Changes (JSON)', sql`x.changes`, 'json'),
      beforeDigest: f('Before digest', sql`x.before_digest`),
      afterDigest: f('After digest', sql`x.after_digest`),
      requestId: f('Request ID', sql`x.request_id`),
      source: f('Source', sql`x.source`),
    },
  }),
  tableEntity({
    name: 'Report runs',
    file: 'report-runs',
    table: sql`report_runs`,
    key: [
      { expr: sql`x.day`, type: 'date' },
      { expr: sql`x.report`, type: 'text' },
    ],
    fields: {
      day: f('Day (UTC)', sql`x.day::text`),
      report: coded('Report', sql`x.report`, 'reports.titles'),
      runCount: f('Runs', sql`x.run_count`, 'int'),
    },
  }),
];
