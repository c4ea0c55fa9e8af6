/**
 * The institution archive: every row of one institution as versioned JSON (docs/archive-format.md,
 * JSON Schema in docs/archive-format.schema.json). One format serves backups, restore, the
 * portability download and moving an institution to another deployment.
 *
 * Generic by construction: the tables come from the database catalog (every table with a
 * `tenant_id` column), each row is PostgreSQL's own JSON rendering of it (`to_jsonb`) and restore
 * is `jsonb_populate_recordset` — so types round-trip exactly and tables added later are included.
 */
import { sql } from 'drizzle-orm';
import { archiveSchema } from '../../../contracts/archive.js';
import { canonicalJson, digest } from '../../platform/audit.js';
import { endRequestTransaction, queryRows, type Db, type Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { withoutSecretValues } from '../../platform/secret-values.js';
import { checkSharedReferences, collectSharedRows, restoreSharedRows, type SharedSection } from './shared-rows.js';
import { listTenantTables, type TenantTable } from './tenant-tables.js';

export const ARCHIVE_FORMAT = 'vetted-institution-archive';
export const ARCHIVE_FORMAT_VERSION = 1;

/**
 * Tenant tables left out of every archive, each with its reason. The coverage test fails when a
 * tenant table is neither archived nor listed here.
 */
export const EXCLUDED_TABLES: Record<string, string> = {
  sessions: 'sign-in state: short-lived, useless elsewhere; people sign in again after a restore',
  sso_login_states: 'sign-in in flight at an identity provider: ten minutes at most',
  saml_seen_assertions: 'replay guard: kept only until the assertions would have expired',
  auth_tokens: 'single-use links and sign-in challenges: short-lived; people ask for new ones',
};

/**
 * Columns blanked (set to null) in a portability archive, which a site admin downloads: stored
 * secrets of sign-in are of no use to anyone else and must not leave the service — password hashes,
 * link and session tokens, OIDC client secrets, TOTP secrets and recovery codes, the SAML service
 * provider's signing key (`saml_sp_key`), kept ID tokens and PKCE verifiers. Backups keep them so
 * people can still sign in after a restore (docs/archive-format.md).
 */
export function isSecretColumn(column: string): boolean {
  return /(^|_)(password_hash|token_hash|csrf_token|secret|mfa_secret|recovery_codes|sp_key|private_key|signing_key|id_token|code_verifier)$/.test(column);
}

/** The institution's own row in a portability archive: no secret value (it has no secret column). */
function portableInstitution(row: JsonRow, redactedColumns: Record<string, string[]>): JsonRow {
  const blanked = new Set<string>();
  const out = portableRow(row, [], blanked);
  if (blanked.size) redactedColumns.institutions = [...blanked];
  return out;
}

/** A row of a portability archive: secret columns blanked, then any secret value left; the columns it blanked are added to `blanked`. */
function portableRow(row: JsonRow, secretColumns: readonly string[], blanked: Set<string>): JsonRow {
  const out: JsonRow = {};
  for (const [column, v] of Object.entries(row)) {
    if (secretColumns.includes(column)) {
      out[column] = null;
      continue;
    }
    const r = withoutSecretValues(v);
    out[column] = r.value;
    if (r.redacted) blanked.add(column);
  }
  return out;
}

export type ArchiveKind = 'backup' | 'portability';
type JsonRow = Record<string, unknown>;

export interface InstitutionArchive {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  kind: ArchiveKind;
  createdAt: string;
  region: string;
  institutionId: string;
  institution: JsonRow;
  tables: Record<string, { primaryKey: string[]; rows: JsonRow[] }>;
  /**
   * The master-bank records (operator-owned: catalog apps, PIA templates) the institution's rows
   * refer to, so it restores into a database that lacks them. Absent from archives made before it
   * existed. Not part of `contentDigest`: it is not the institution's data.
   */
  shared?: SharedSection;
  /** Per table, the columns blanked in a portability archive. */
  redactedColumns: Record<string, string[]>;
  /** SHA-256 of the canonical `institution` and `tables`: equal content, equal digest. */
  contentDigest: string;
}

/** The content digest of an archive: only data, not when or why it was made. */
export function contentDigestOf(a: Pick<InstitutionArchive, 'institution' | 'tables'>): string {
  return digest({ institution: a.institution, tables: a.tables });
}

/** Runs `fn` as vetted_system in one read-only snapshot, so an archive is consistent across tables. */
export async function withSnapshot<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // Its own isolation level, so not the request's held transaction: that one ends first, and a request
  // never holds two connections at once.
  await endRequestTransaction();
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`set local role vetted_system`);
      return fn(tx);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** The archived tables of the catalog (every tenant table but the excluded ones), in restore order. */
export async function archivedTables(tx: Tx): Promise<TenantTable[]> {
  return (await listTenantTables(tx)).filter((t) => !(t.name in EXCLUDED_TABLES));
}

function rowExpression(t: TenantTable): ReturnType<typeof sql> {
  // A reference to a row of another institution (a platform admin who sent an invitation) is not
  // this institution's data: it is left out, so the archive restores anywhere.
  let expr = sql`to_jsonb(t)`;
  for (const c of t.identityColumns) expr = sql`${expr} - ${c}::text`;
  for (const r of t.nullableRefs) {
    expr = sql`${expr} || jsonb_build_object(${r.column}::text, case when t.${sql.identifier(r.column)} is null or exists (
        select 1 from ${sql.identifier(r.table)} x where x.${sql.identifier(r.key)} = t.${sql.identifier(r.column)} and x.tenant_id = t.tenant_id)
      then t.${sql.identifier(r.column)} else null end)`;
  }
  return expr;
}

/**
 * Rewrites rows of a portability archive in place before its secrets are blanked: what the service
 * keeps encrypted for the institution (its attached documents) leaves in the clear, for the
 * institution itself.
 */
export type PortableRows = (tables: Record<string, JsonRow[]>) => void;

/**
 * Reads one institution into an archive (system scope; the caller has authorized). `kind`
 * `portability` blanks sign-in secrets.
 */
export async function systemExportInstitution(
  db: Db,
  institutionId: string,
  kind: ArchiveKind,
  opts: { portableRows?: PortableRows } = {},
): Promise<InstitutionArchive> {
  return withSnapshot(db, async (tx) => {
    const [institution] = await queryRows<{ r: JsonRow }>(tx, sql`select to_jsonb(i) as r from institutions i where i.id = ${institutionId}`);
    if (!institution) throw new AppError('not_found', 'Institution not found');
    const tables: InstitutionArchive['tables'] = {};
    const redactedColumns: Record<string, string[]> = {};
    const archived = await archivedTables(tx);
    const raw: Record<string, JsonRow[]> = {};
    for (const t of archived) {
      const order = t.primaryKey.length ? sql.join(t.primaryKey.map((c) => sql`t.${sql.identifier(c)}`), sql`, `) : sql`t.ctid`;
      const rows = await queryRows<{ r: JsonRow }>(
        tx,
        sql`select ${rowExpression(t)} as r from ${sql.identifier(t.name)} t where t.tenant_id = ${institutionId} order by ${order}`,
      );
      raw[t.name] = rows.map(({ r }) => r);
    }
    if (kind === 'portability') opts.portableRows?.(raw);
    for (const t of archived) {
      const rows = raw[t.name]!;
      if (kind === 'portability') {
        const secret = t.columns.filter(isSecretColumn);
        const blanked = new Set(secret);
        tables[t.name] = { primaryKey: t.primaryKey, rows: rows.map((r) => portableRow(r, secret, blanked)) };
        if (blanked.size) redactedColumns[t.name] = t.columns.filter((c) => blanked.has(c));
      } else {
        tables[t.name] = { primaryKey: t.primaryKey, rows };
      }
    }
    const archive = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      kind,
      createdAt: new Date().toISOString(),
      region: String(institution.r.region),
      institutionId,
      institution: kind === 'portability' ? portableInstitution(institution.r, redactedColumns) : institution.r,
      tables,
      shared: await collectSharedRows(tx, institutionId, archived),
      redactedColumns,
    } as const;
    return { ...archive, contentDigest: contentDigestOf(archive) };
  });
}

/** Serialises an archive (canonical JSON: keys sorted, so equal archives are equal bytes). */
export function serializeArchive(a: InstitutionArchive): string {
  return canonicalJson(a);
}

/** Parses and checks an archive's envelope and digest. */
export function parseArchive(text: string): InstitutionArchive {
  let a: InstitutionArchive;
  try {
    a = JSON.parse(text) as InstitutionArchive;
  } catch {
    throw new AppError('bad_request', 'The archive is not valid JSON');
  }
  if (!archiveSchema.safeParse(a).success && a?.format === ARCHIVE_FORMAT && a.formatVersion === ARCHIVE_FORMAT_VERSION) {
    throw new AppError('bad_request', 'The archive does not follow the archive format (docs/archive-format.schema.json)');
  }
  if (a?.format !== ARCHIVE_FORMAT) throw new AppError('bad_request', 'This file is not a Vetted institution archive');
  if (a.formatVersion !== ARCHIVE_FORMAT_VERSION) throw new AppError('bad_request', `Archive format version ${String(a.formatVersion)} is not supported (expected ${ARCHIVE_FORMAT_VERSION})`);
  if (contentDigestOf(a) !== a.contentDigest) throw new AppError('bad_request', 'The archive content does not match its digest');
  return a;
}

const CHUNK = 500;

/**
 * Writes an archive into this database, in one transaction (system scope), adding the master-bank
 * records it carries that this database lacks. Refuses when the institution already has rows here,
 * a portability archive (its secrets are blanked), another region's archive, a table this database
 * does not have, or a master-bank record that is neither here nor in the archive.
 */
export async function systemRestoreInstitution(
  db: Db,
  archive: InstitutionArchive,
  region: string,
): Promise<{ counts: Record<string, number>; shared: Record<string, number> }> {
  if (archive.kind !== 'backup') throw new AppError('bad_request', 'Only a backup archive can be restored (a portability archive has no sign-in secrets)');
  if (archive.region !== region) throw new AppError('bad_request', `This archive belongs to the ${archive.region.toUpperCase()} region; this deployment serves ${region.toUpperCase()}`);
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local role vetted_system`);
    return writeArchive(tx, archive);
  });
}

/**
 * Writes an archive's institution and rows in the caller's transaction (system scope), after the
 * checks a restore makes: every table known here, no row of the institution here yet, every
 * master-bank record it refers to here or in the archive. A move into another region re-keys the
 * archive's secrets before it comes here.
 */
export async function writeArchive(tx: Tx, archive: InstitutionArchive): Promise<{ counts: Record<string, number>; shared: Record<string, number> }> {
  const id = archive.institutionId;
  const tables = await archivedTables(tx);
  const known = new Set(tables.map((t) => t.name));
  const unknown = Object.keys(archive.tables).filter((n) => !known.has(n));
  if (unknown.length) throw new AppError('bad_request', `This database has no table ${unknown.join(', ')}: migrate it first`);
  const [existing] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from institutions where id = ${id}`);
  if (existing && existing.n > 0) throw new AppError('conflict', 'This institution already exists in this database');
  for (const t of tables) {
    const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(t.name)} where tenant_id = ${id}`);
    if (row && row.n > 0) throw new AppError('conflict', `Table ${t.name} already holds rows of this institution`);
  }
  // The master bank first: refused, before anything is written, when a record it needs is nowhere.
  await checkSharedReferences(tx, archive.tables, archive.shared ?? {});
  const shared = await restoreSharedRows(tx, archive.shared ?? {});
  await tx.execute(sql`insert into institutions select * from jsonb_populate_record(null::institutions, ${JSON.stringify(archive.institution)}::jsonb)`);
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const rows = archive.tables[t.name]?.rows ?? [];
    counts[t.name] = rows.length;
    const cols = sql.join(t.columns.map((c) => sql.identifier(c)), sql`, `);
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = JSON.stringify(rows.slice(i, i + CHUNK));
      await tx.execute(
        sql`insert into ${sql.identifier(t.name)} (${cols}) select ${cols} from jsonb_populate_recordset(null::${sql.identifier(t.name)}, ${chunk}::jsonb)`,
      );
    }
  }
  return { counts, shared };
}
