import { sql, type SQL } from 'drizzle-orm';
import { SENSITIVE_DATA_ELEMENTS } from '../../../contracts/domain.js';
import { queryRows, type TenantScope, type Tx } from '../../platform/db.js';
import { isSecretText, withoutSecretValues } from '../../platform/secret-values.js';
import type { SheetCell, SheetColumn } from './spreadsheet.js';
import { byTenant } from '../../platform/tenant-filter.js';

/** How a selected value becomes a cell. */
type Kind = 'text' | 'int' | 'bool' | 'list' | 'ts' | 'json';

interface Field {
  header: string;
  /** SQL expression over the entity's `from` clause, or null for a value computed in `derive`. */
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

/**
 * One sheet (XLSX) or file (CSV zip) of the full export. Rows are read in pages ordered by a unique
 * key (keyset pagination; see full-export.ts for the transactions they are read in) so neither the database nor the
 * process holds the whole table.
 */
export interface ExportEntity {
  /** Sheet name; the CSV file is its slug. */
  name: string;
  file: string;
  /** Key and English header of each column, and where the words of its codes are (coded columns only). */
  columns: (SheetColumn & { codes?: CodeWords })[];
  count(tx: Tx, scope: TenantScope): Promise<number>;
  /** Rows after `cursor` (null: from the start), at most `limit`; `cursor` of the last row. */
  page(tx: Tx, scope: TenantScope, cursor: string | null, limit: number): Promise<{ rows: SheetCell[][]; cursor: string | null }>;
  /**
   * The whole entity in one statement, in the pages' order: a row per sheet row, its one column
   * (`row`) the row's values as JSON array text. For a server-side cursor (see full-export.ts).
   */
  statement(scope: TenantScope): SQL;
  /** The rows of `statement`, as `row` texts, made into cells. */
  cells(texts: readonly string[]): SheetCell[][];
}

/**
 * A value as its sheet cell. No secret leaves in an export, whichever field would carry it (a change
 * recorded in the audit log): a sealed value or a private key, at any depth, is blanked.
 */
function toCell(kind: Kind, value: unknown): SheetCell {
  // Text, most cells, is checked on its own (without the copy `withoutSecretValues` makes).
  const v = typeof value === 'string' ? (isSecretText(value) ? null : value) : withoutSecretValues(value).value;
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'int':
      return Number(v);
    case 'bool':
      return Boolean(v);
    case 'list':
      return (v as unknown[]).map(String);
    case 'json':
      return JSON.stringify(v);
    default:
      return String(v);
  }
}

/**
 * A field as the page query selects it. Timestamps come as ISO 8601 text in UTC with milliseconds
 * (what `Date.toISOString` writes; microseconds are cut, as a JavaScript Date does).
 */
function cellExpr(f: Field): SQL {
  return f.kind === 'ts' ? sql`to_char(${f.expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : f.expr;
}

const select = (tx: Tx, query: SQL) => queryRows<Record<string, unknown>>(tx, query);

/** A column of the unique ordering key, with the SQL type its cursor value is cast back to. */
interface KeyPart {
  expr: SQL;
  type: 'uuid' | 'bigint' | 'text' | 'date';
}
const uuidKey = (expr: SQL): KeyPart[] => [{ expr, type: 'uuid' }];

/**
 * A table-backed entity. A page takes the next `limit` rows of `table` (alias `x`) of the tenant by
 * its unique key — an index range scan, since tenant_id leads every key — and only then joins what
 * the sheet shows from other tables (`joins`), so a page costs the same at the end as at the start.
 *
 * What the sheet shows from other tables is looked up by primary key for each row of the page:
 * `cross join lateral (select … where <key> ${one})`, `one` being `limit 1` in a page. The `limit 1`
 * (each matches one row anyway) keeps PostgreSQL from flattening the lookup into a join, which it
 * plans as a hash join over the whole other table on every page: for the 88,000 answers of a large
 * institution, a scan of all 88,000 questions on each of 89 pages — three to four times the cost of
 * the lookups per page (on PGlite and PostgreSQL alike), and growing with the institution.
 *
 * The whole entity's statement (`statement`, read through a cursor) leaves the `limit 1` out: there
 * the lookups become joins, hashed once for the whole table. For those 88,000 answers, 89 pages of
 * index probes cost PostgreSQL 6.7 s; the one statement 1.8 s, most of it writing the rows' JSON.
 *
 * A page comes back as one JSON text, an array with an array per row (its cells, then its key): the
 * drivers hand over one value instead of decoding every column of every row on its own, which was
 * most of the cost of reading a page on PGlite.
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
  const kinds = entries.map(([, f]) => f.kind);
  const cells = entries.map(([, f]) => cellExpr(f));
  const cellsAndKey = sql.join([...cells, ...opts.key.map((k) => sql`${k.expr}::text`)], sql`, `);
  const orderBy = sql.join(
    opts.key.map((k) => k.expr),
    sql`, `,
  );
  const tenant = (scope: TenantScope) => byTenant(sql`x.${sql.identifier(opts.tenantColumn ?? 'tenant_id')}`, scope);
  const after = (cursor: string[]) => {
    const values = opts.key.map((k, i) => sql`${cursor[i]}::${sql.raw(k.type)}`);
    return opts.key.length === 1 ? sql`${opts.key[0]!.expr} > ${values[0]}` : sql`(${orderBy}) > (${sql.join(values, sql`, `)})`;
  };
  return {
    name: opts.name,
    file: opts.file,
    columns: entries.map(([key, f]) => (f.codes ? { key, header: f.header, codes: f.codes } : { key, header: f.header })),
    async count(tx, scope) {
      const table = typeof opts.table === 'function' ? opts.table({ tenant: tenant(scope), from: sql`true`, limit: null }) : opts.table;
      const [r] = await select(tx, sql`select count(*)::int as n from ${table} x where ${tenant(scope)}`);
      return Number(r?.n ?? 0);
    },
    async page(tx, scope, cursor, limit) {
      const at = cursor === null ? null : (JSON.parse(cursor) as string[]);
      const where = at === null ? sql`true` : after(at);
      const from = at === null ? sql`true` : sql`${opts.key[0]!.expr} >= ${at[0]}::${sql.raw(opts.key[0]!.type)}`;
      const table = typeof opts.table === 'function' ? opts.table({ tenant: tenant(scope), from, limit }) : opts.table;
      const [found] = await select(
        tx,
        sql`select json_agg(json_build_array(${cellsAndKey}) order by ${orderBy})::text as page
          from (select * from ${table} x where ${tenant(scope)} and ${where} order by ${orderBy} limit ${limit}) x
          ${opts.joins?.(sql`limit 1`) ?? sql``}`,
      );
      const rows = found?.page ? (JSON.parse(found.page as string) as unknown[][]) : [];
      const last = rows[rows.length - 1];
      const next = last ? JSON.stringify(last.slice(kinds.length)) : null;
      return { rows: toCells(rows), cursor: next };
    },
    statement(scope) {
      const table = typeof opts.table === 'function' ? opts.table({ tenant: tenant(scope), from: sql`true`, limit: null }) : opts.table;
      // The rows are sorted with their values as they are, and written as JSON only after the
      // sort, a page at a time as the cursor is read (a subquery with an ORDER BY is not merged into
      // its query): otherwise PostgreSQL writes every row before handing over the first, and the
      // process waits (for the answers of a 5,000-app institution, 1.7 s against 0.7 s to the first page).
      return sql`select json_build_array(${sql.raw(cells.map((_, i) => `s.c${i}`).join(', '))})::text as row
        from (select ${sql.join(
          cells.map((c, i) => sql`${c} as ${sql.raw(`c${i}`)}`),
          sql`, `,
        )} from ${table} x ${opts.joins?.(sql``) ?? sql``} where ${tenant(scope)} order by ${orderBy}) s`;
    },
    cells(texts) {
      return texts.length ? toCells(JSON.parse(`[${texts.join(',')}]`) as unknown[][]) : [];
    },
  };

  /** Each parsed row becomes its cells in place (a key after them cut off). */
  function toCells(rows: unknown[][]): SheetCell[][] {
    for (const r of rows) {
      for (let i = 0; i < kinds.length; i++) r[i] = toCell(kinds[i]!, r[i]);
      r.length = kinds.length;
    }
    return rows as SheetCell[][];
  }
}

const f = (header: string, expr: SQL, kind: Kind = 'text'): Field => ({ header, expr, kind });
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
      id: f('ID', sql`x.id`),
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
      id: f('ID', sql`x.id`),
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
      id: f('ID', sql`x.id`),
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
      id: f('ID', sql`x.id`),
      name: f('App', sql`x.name`),
      vendor: f('Vendor', sql`x.vendor`),
      catalogAppId: f('Catalog app ID', sql`x.catalog_app_id`),
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
      ownerUserId: f('Owner user ID', sql`x.owner_user_id`),
      conditionsOfUse: f('Conditions of use', sql`x.conditions_of_use`),
      agreementType: coded('Agreement type', sql`x.agreement_type`, 'agreementType'),
      agreementSigned: f('Agreement signed', sql`x.agreement_signed`, 'bool'),
      agreementSignedOn: f('Agreement signed on', sql`x.agreement_signed_on::text`),
      agreementExpiresOn: f('Agreement expires on', sql`x.agreement_expires_on::text`),
      agreementUrl: f('Agreement link', sql`x.agreement_url`),
      nextReviewOn: f('Next review', sql`x.next_review_on::text`),
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
      id: f('ID', sql`x.id`),
      app: f('App', sql`x.app_name`),
      vendor: f('Vendor', sql`x.app_vendor`),
      catalogAppId: f('Catalog app ID', sql`x.catalog_app_id`),
      website: f('Website', sql`x.app_website`),
      purpose: f('Purpose', sql`x.purpose`),
      grades: coded('Grades', sql`x.grades`, 'grade', 'list'),
      schoolIds: f('School IDs', sql`x.school_ids::text[]`, 'list'),
      audiences: coded('Audiences', sql`x.audiences`, 'audience', 'list'),
      studentCount: f('Students', sql`x.student_count`, 'int'),
      dataElements: coded('Data elements', sql`x.data_elements`, 'dataElement', 'list'),
      status: coded('Status', sql`x.status`, 'exports.staffRequestStatus'),
      declineReason: f('Reason declined', sql`x.decline_reason`),
      mergedIntoId: f('Merged into request ID', sql`x.merged_into_id`),
      inventoryItemId: f('Inventory item ID', sql`x.inventory_item_id`),
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
    // (the cursor's item) has none left.
    table: ({ tenant, from, limit }) =>
      sql`(select x.tenant_id, x.id, x.name, x.audiences, e.element
        from (select * from inventory_items x where ${tenant} and ${from} and cardinality(x.data_elements) > 0
          order by x.id ${limit === null ? sql`` : sql`limit ${limit + 1}`}) x
        cross join lateral unnest(x.data_elements) as e(element))`,
    key: [
      { expr: sql`x.id`, type: 'uuid' },
      { expr: sql`x.element`, type: 'text' },
    ],
    fields: {
      inventoryItemId: f('Inventory item ID', sql`x.id`),
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
      id: f('ID', sql`x.id`),
      inventoryItemId: f('Inventory item ID', sql`x.inventory_item_id`),
      app: f('App', sql`i.name`),
      title: f('Title', sql`x.title`),
      status: coded('Status', sql`x.status`, 'reports.codes'),
      currentRevision: f('Current revision', sql`x.current_revision`, 'int'),
      approvedRevision: f('Approved revision', sql`x.approved_revision`, 'int'),
      templateId: f('Template ID', sql`x.template_id`),
      baseVersionId: f('Template version ID', sql`x.base_version_id`),
      createdBy: f('Created by user ID', sql`x.created_by`),
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
      id: f('ID', sql`x.id`),
      assessmentId: f('Assessment ID', sql`x.assessment_id`),
      number: f('Revision', sql`x.number`, 'int'),
      status: coded('Status', sql`x.status`, 'reports.codes'),
      templateVersionId: f('Template version ID', sql`x.template_version_id`),
      createdBy: f('Created by user ID', sql`x.created_by`),
      submittedAt: f('Submitted at', sql`x.submitted_at`, 'ts'),
      decidedAt: f('Decided at', sql`x.decided_at`, 'ts'),
      conditions: f('Conditions of use', sql`x.conditions`),
      nextReviewOn: f('Next review', sql`x.next_review_on::text`),
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
      assessmentId: f('Assessment ID', sql`r.assessment_id`),
      revisionId: f('Revision ID', sql`x.revision_id`),
      revision: f('Revision', sql`r.number`, 'int'),
      questionId: f('Question ID', sql`x.question_id`),
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
      evidenceSeenOn: f('Evidence seen on', sql`x.evidence_seen_on::text`),
      vendorAnsweredOn: f('Answered by the vendor on', sql`x.vendor_answered_on::text`),
      reviewedOn: f('Reviewed by the operator on', sql`x.reviewed_on::text`),
      updatedBy: f('Updated by user ID', sql`x.updated_by`),
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
      id: f('ID', sql`x.id`),
      assessmentId: f('Assessment ID', sql`r.assessment_id`),
      revisionId: f('Revision ID', sql`x.revision_id`),
      title: f('Risk', sql`x.title`),
      description: f('Description', sql`x.description`),
      likelihood: f('Likelihood', sql`x.likelihood`, 'int'),
      impact: f('Impact', sql`x.impact`, 'int'),
      inherent: f('Inherent level', sql`(x.likelihood * x.impact)`, 'int'),
      mitigation: f('Mitigation', sql`x.mitigation`),
      owner: f('Owner', sql`x.owner`),
      dueOn: f('Due on', sql`x.due_on::text`),
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
      id: f('ID', sql`x.id`),
      assessmentId: f('Assessment ID', sql`r.assessment_id`),
      revisionId: f('Revision ID', sql`x.revision_id`),
      revision: f('Revision', sql`r.number`, 'int'),
      userId: f('User ID', sql`x.user_id`),
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
      id: f('ID', sql`x.id`),
      inventoryItemId: f('Inventory ID', sql`x.inventory_item_id`),
      assessmentId: f('Assessment ID', sql`x.assessment_id`),
      kind: coded('Kind', sql`x.kind`, 'exports.attachmentKind'),
      fileName: f('File name', sql`x.file_name`),
      contentType: f('Type', sql`x.content_type`),
      byteSize: f('Size (bytes)', sql`x.byte_size`, 'int'),
      sha256: f('SHA-256', sql`x.sha256`),
      agreementExpiresOn: f('Agreement expires on', sql`x.agreement_expires_on::text`),
      uploadedBy: f('Uploaded by (user ID)', sql`x.uploaded_by`),
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
      actorUserId: f('Actor user ID', sql`x.actor_user_id`),
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
