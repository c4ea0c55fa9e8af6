/**
 * The signed bank bundle: the operator's catalog and master bank as one JSON document, published by
 * the primary region and applied by the other cells (docs/operations.md, "Signed bank bundle").
 *
 * Generic by construction: the tables are the drizzle definitions in BANK_TABLES, and each row carries
 * every column those definitions declare, so a column added later travels without a code change (a
 * test fails when a bank column is missing). A reference to a person (who published a version) never
 * travels: any column with a foreign key to `users` is null, a neutral actor.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { getTableColumns, sql, type Table } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { REGIONS, type Region } from '../../../contracts/domain.js';
import { catalogApps, piaTemplateQuestions, piaTemplates, piaTemplateSections, piaTemplateVersions, users } from '../../db/schema/index.js';
import { canonicalJson, digest } from '../../platform/audit.js';
import { queryRows, type Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

export const BUNDLE_FORMAT = 'vetted-bank-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

/** The bank's tables, parents first (the order rows are applied in). */
export const BANK_TABLES: readonly PgTable[] = [catalogApps, piaTemplates, piaTemplateVersions, piaTemplateSections, piaTemplateQuestions];

/**
 * Which rows travel, per table: drafts are the operator's work in progress and stay in the primary;
 * a published version travels with its sections and questions. Every other row travels.
 */
const ROW_FILTER: Record<string, ReturnType<typeof sql>> = {
  pia_template_versions: sql`t.status = 'published'`,
  pia_template_sections: sql`t.version_id in (select id from pia_template_versions where status = 'published')`,
  pia_template_questions: sql`t.version_id in (select id from pia_template_versions where status = 'published')`,
};

type JsonRow = Record<string, unknown>;

/** One bank table's description, read from its drizzle definition. */
export interface BankTable {
  name: string;
  /** Every column, by its SQL name. */
  columns: string[];
  primaryKey: string[];
  /** Columns naming a person (a foreign key to `users`): null in a bundle. */
  personColumns: string[];
}

/** The bank tables as their drizzle definitions declare them. */
export function bankTables(): BankTable[] {
  return BANK_TABLES.map((table) => {
    const config = getTableConfig(table);
    const columns = Object.values(getTableColumns(table as Table)).map((c) => c.name);
    const primaryKey = [
      ...config.columns.filter((c) => c.primary).map((c) => c.name),
      ...config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)),
    ];
    const personColumns = config.foreignKeys
      .filter((fk) => fk.reference().foreignTable === users)
      .flatMap((fk) => fk.reference().columns.map((c) => c.name));
    return { name: config.name, columns, primaryKey, personColumns };
  });
}

export interface BankBundle {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  /** Grows by one with each bundle the primary publishes; a cell applies only a higher one. */
  sequence: number;
  createdAt: string;
  /** The region that published it. */
  region: Region;
  tables: Record<string, { primaryKey: string[]; rows: JsonRow[] }>;
  /** SHA-256 of the canonical JSON of every field above. */
  contentDigest: string;
  /** Ed25519 over the canonical JSON of the document without `signature`. */
  signature: { alg: 'Ed25519'; keyId: string; value: string };
}

const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int(),
  sequence: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  region: z.enum(REGIONS),
  tables: z.record(z.string(), z.strictObject({ primaryKey: z.array(z.string()), rows: z.array(z.record(z.string(), z.unknown())) })),
  contentDigest: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.strictObject({ alg: z.literal('Ed25519'), keyId: z.string().regex(/^[0-9a-f]{16}$/), value: z.string().min(1) }),
});

// ---------- keys ----------

// DER wrappers of a raw Ed25519 key (RFC 8410): node reads and writes keys in these forms.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

/** The private key of a 32-byte Ed25519 seed (BUNDLE_SIGNING_KEY). */
export function signingKeyOf(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error('BUNDLE_SIGNING_KEY must be 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw 32-byte public key of a seed: what the other cells list in BUNDLE_TRUSTED_KEYS. */
export function publicKeyOf(seed: Buffer): Buffer {
  return createPublicKey(signingKeyOf(seed)).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519.length);
}

/** A public key's id: the first 16 hex digits of its SHA-256. */
export function keyIdOf(publicKey: Buffer): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}

function verifierOf(publicKey: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
}

// ---------- making ----------

/** Reads the bank into bundle tables (system scope, one snapshot: the caller's transaction). */
export async function readBankTables(tx: Tx): Promise<BankBundle['tables']> {
  const out: BankBundle['tables'] = {};
  for (const t of bankTables()) {
    const where = ROW_FILTER[t.name] ?? sql`true`;
    const order = sql.join(
      t.primaryKey.map((c) => sql`t.${sql.identifier(c)}`),
      sql`, `,
    );
    const rows = await queryRows<{ r: JsonRow }>(
      tx,
      sql`select to_jsonb(t) as r from ${sql.identifier(t.name)} t where ${where} order by ${order}`,
    );
    out[t.name] = {
      primaryKey: t.primaryKey,
      rows: rows.map(({ r }) => {
        const row: JsonRow = {};
        for (const c of t.columns) {
          if (!(c in r)) throw new Error(`Column ${t.name}.${c} is not in the database: migrate it first`);
          row[c] = t.personColumns.includes(c) ? null : r[c];
        }
        return row;
      }),
    };
  }
  return out;
}

/** The digest a bundle's content must have. */
export function bundleDigestOf(b: Omit<BankBundle, 'contentDigest' | 'signature'>): string {
  return digest({
    format: b.format,
    formatVersion: b.formatVersion,
    sequence: b.sequence,
    createdAt: b.createdAt,
    region: b.region,
    tables: b.tables,
  });
}

/** What the signature covers: the canonical document without its signature. */
const signedBytes = (b: Omit<BankBundle, 'signature'>) => Buffer.from(canonicalJson({ ...b, signature: undefined }));

/** Signs bundle content with the seed; returns the whole document. */
export function signBundle(content: Omit<BankBundle, 'contentDigest' | 'signature'>, seed: Buffer): BankBundle {
  const unsigned = { ...content, contentDigest: bundleDigestOf(content) };
  const value = sign(null, signedBytes(unsigned), signingKeyOf(seed)).toString('base64');
  return { ...unsigned, signature: { alg: 'Ed25519', keyId: keyIdOf(publicKeyOf(seed)), value } };
}

/** The file as published: canonical JSON, so any byte changed is a different document. */
export function serializeBundle(b: BankBundle): string {
  return canonicalJson(b);
}

// ---------- opening ----------

/** A refusal of the document itself: a field-level 400 on `document`, nothing written. */
const refused = (message: string) => new AppError('validation', 'The bank bundle was refused: nothing changed', { document: message });

/**
 * Parses and verifies a bundle: its form, that it is byte for byte the document that was signed, that
 * a trusted key signed it, and its digest. Throws a 400 naming what is wrong.
 */
export function openBundle(text: string, trustedKeys: readonly Buffer[]): BankBundle & { publicKey: Buffer } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refused('is not valid JSON: it is not a bank bundle, or it was cut or changed');
  }
  const checked = bundleSchema.safeParse(parsed);
  if (!checked.success) throw refused('is not a Vetted bank bundle (format vetted-bank-bundle)');
  const bundle = checked.data as BankBundle;
  if (bundle.formatVersion !== BUNDLE_FORMAT_VERSION)
    throw refused(
      `has format version ${bundle.formatVersion}; this cell reads version ${BUNDLE_FORMAT_VERSION}: run both cells on the same version`,
    );
  // Security: the signed form is canonical, so a byte changed anywhere (even where JSON ignores it) is refused.
  if (serializeBundle(bundle) !== text.replace(/\n$/, ''))
    throw refused('was changed after it was signed: it is not the document as published');
  const publicKey = trustedKeys.find((k) => keyIdOf(k) === bundle.signature.keyId);
  if (!publicKey) throw refused(`is signed by key ${bundle.signature.keyId}, which this cell does not trust (BUNDLE_TRUSTED_KEYS)`);
  const { signature, ...unsigned } = bundle;
  if (!verify(null, signedBytes(unsigned), verifierOf(publicKey), Buffer.from(signature.value, 'base64')))
    throw refused('has a signature that does not match its content: it was changed after it was signed');
  // A valid signature over a wrong digest is the primary's own fault; still, nothing unverified is applied.
  if (bundleDigestOf(unsigned) !== bundle.contentDigest) throw refused('content does not match its digest');
  return { ...bundle, publicKey };
}

/** Checks that the bundle's tables are exactly this database's bank tables, column for column. */
export function checkBundleTables(bundle: BankBundle): void {
  const tables = bankTables();
  const known = new Set(tables.map((t) => t.name));
  const extra = Object.keys(bundle.tables).filter((n) => !known.has(n));
  if (extra.length) throw refused(`holds tables this cell does not have (${extra.join(', ')}): upgrade this cell first`);
  for (const t of tables) {
    const table = bundle.tables[t.name];
    if (!table) throw refused(`has no table ${t.name}: it was made by another version of Vetted; run both cells on the same version`);
    for (const row of table.rows) {
      const missing = t.columns.filter((c) => !(c in row));
      const unknown = Object.keys(row).filter((c) => !t.columns.includes(c));
      if (unknown.length)
        throw refused(`has columns of ${t.name} this cell does not have (${unknown.join(', ')}): upgrade this cell first`);
      if (missing.length) throw refused(`lacks columns of ${t.name} (${missing.join(', ')}): upgrade the primary region first`);
      for (const c of t.personColumns)
        if (row[c] !== null) throw refused(`names a person in ${t.name}.${c}: a bundle carries no personal data`);
    }
  }
}

const CHUNK = 500;

/**
 * Writes the bundle's rows (inserted, or updated by primary key), parents first, in the caller's
 * transaction. Applying the same rows twice leaves the same rows. Returns the rows per table.
 */
export async function applyBankTables(tx: Tx, bundle: BankBundle): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of bankTables()) {
    const rows = bundle.tables[t.name]?.rows ?? [];
    counts[t.name] = rows.length;
    const cols = sql.join(
      t.columns.map((c) => sql.identifier(c)),
      sql`, `,
    );
    const key = sql.join(
      t.primaryKey.map((c) => sql.identifier(c)),
      sql`, `,
    );
    const updates = sql.join(
      t.columns.filter((c) => !t.primaryKey.includes(c)).map((c) => sql`${sql.identifier(c)} = excluded.${sql.identifier(c)}`),
      sql`, `,
    );
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = JSON.stringify(rows.slice(i, i + CHUNK));
      await tx.execute(
        sql`insert into ${sql.identifier(t.name)} (${cols}) select ${cols} from jsonb_populate_recordset(null::${sql.identifier(t.name)}, ${chunk}::jsonb)
            on conflict (${key}) do update set ${updates}`,
      );
    }
  }
  return counts;
}
