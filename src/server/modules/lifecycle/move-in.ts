/**
 * Moving an institution into this region cell: its portability archive, made in the cell it leaves,
 * is written here with its region set to this cell's and its secrets re-keyed, in one transaction
 * with its audit event. The cell it left then purges it, with its deletion certificate
 * (docs/operations.md, "Moving an institution between regions").
 *
 * A portability archive and not a backup: a backup's secrets are sealed under the other region's
 * SECRETS_KEY, which never leaves that region. What the portability archive blanked is re-made here
 * (docs/archive-format.md): the attachment key is new and every attached document is encrypted
 * under it; a blanked link or status token is replaced by a value nobody holds (the links sent
 * before the move no longer open; new ones are sent from here); a blanked list is empty; a
 * second factor whose secret did not travel is off, so its owner enrols again. Passwords did not
 * travel: people set a new one with "Forgot your password".
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Region } from '../../../contracts/domain.js';
import { recordAudit } from '../../platform/audit.js';
import type { Actor } from '../../platform/authz.js';
import { queryRows, type Db, type Tx } from '../../platform/db.js';
import { AppError, invalidFields } from '../../platform/errors.js';
import type { Keyring } from '../../platform/secrets.js';
import { encryptAttachment, newSealedAttachmentKey, openAttachmentKey } from '../attachments/attachment-crypto.js';
import { otherRegionProblem } from '../tenants/region.js';
import { parseArchive, writeArchive, type InstitutionArchive } from './archive.js';

type JsonRow = Record<string, unknown>;

const fromPgHex = (v: string): Buffer => Buffer.from(v.replace(/^\\x/, ''), 'hex');
const toPgHex = (b: Buffer): string => `\\x${b.toString('hex')}`;

/** A refusal of the archive itself: a field-level 400 on `archive`. */
const refused = (message: string) => new AppError('validation', 'The archive was refused: nothing changed', { archive: message });

/** Columns of this database that are NOT NULL, per table. */
async function notNullColumns(tx: Tx): Promise<Map<string, Map<string, string>>> {
  const rows = await queryRows<{ table_name: string; column_name: string; data_type: string }>(
    tx,
    sql`select table_name::text, column_name::text, data_type::text from information_schema.columns where table_schema = 'public' and is_nullable = 'NO'`,
  );
  const out = new Map<string, Map<string, string>>();
  for (const r of rows) {
    if (!out.has(r.table_name)) out.set(r.table_name, new Map());
    out.get(r.table_name)!.set(r.column_name, r.data_type);
  }
  return out;
}

/** Re-makes, under this cell's keys, what a portability archive blanked (see the file comment). */
async function rekey(tx: Tx, archive: InstitutionArchive, keys: Keyring): Promise<InstitutionArchive> {
  const id = archive.institutionId;
  const tables: InstitutionArchive['tables'] = structuredClone(archive.tables);
  const notNull = await notNullColumns(tx);

  // Attached documents: the archive holds each file in the clear; here it is encrypted under a new key.
  const files = tables.attachments?.rows ?? [];
  const sealedKey = newSealedAttachmentKey(keys, id);
  const key = openAttachmentKey(keys, id, sealedKey);
  for (const row of files) {
    const plain = fromPgHex(String(row.content));
    if (typeof row.sha256 === 'string' && createHash('sha256').update(plain).digest('hex') !== row.sha256)
      throw refused(`attached document ${String(row.id)} does not match its SHA-256: the archive was changed`);
    row.content = toPgHex(encryptAttachment(key, id, String(row.id), plain));
  }
  const keyRows = tables.attachment_keys?.rows;
  if (keyRows?.length) for (const r of keyRows) r.sealed_key = sealedKey;
  else if (files.length) tables.attachment_keys = { primaryKey: ['tenant_id'], rows: [{ tenant_id: id, sealed_key: sealedKey }] };

  // Everything else the archive blanked.
  for (const [table, columns] of Object.entries(archive.redactedColumns)) {
    const required = notNull.get(table) ?? new Map<string, string>();
    for (const row of tables[table]?.rows ?? []) {
      for (const column of columns) {
        if (row[column] !== null && row[column] !== undefined) continue;
        if (table === 'attachment_keys' && column === 'sealed_key') continue;
        const type = required.get(column);
        if (!type) continue;
        if (type === 'ARRAY') row[column] = [];
        else if (/_hash$/.test(column)) row[column] = createHash('sha256').update(randomBytes(32)).digest('hex');
        else throw refused(`${table}.${column} did not travel and cannot be made again here`);
      }
    }
  }
  // A second factor whose secret did not travel: off, so its owner enrols again.
  for (const row of tables.users?.rows ?? []) if (row.mfa_secret === null) row.mfa_enabled_at = null;
  return { ...archive, tables };
}

/**
 * Writes a portability archive of another cell's institution into this one, in one transaction with
 * its audit event. Refused, changing nothing: an archive that is not a portability archive, whose
 * institution's country belongs to another region, or whose institution is already here.
 */
export async function systemMoveInInstitution(
  db: Db,
  text: string,
  opts: { region: Region; keys: Keyring; actor: Actor },
): Promise<{ institutionId: string; from: string; counts: Record<string, number> }> {
  let archive: InstitutionArchive;
  try {
    archive = parseArchive(text);
  } catch (err) {
    if (err instanceof AppError) throw refused(err.message);
    throw err;
  }
  if (archive.kind !== 'portability')
    throw refused(
      'is a backup: move an institution with its portability archive (a backup’s secrets are sealed under the other region’s key)',
    );
  const country = String((archive.institution as JsonRow).country ?? '');
  const elsewhere = otherRegionProblem(country, opts.region);
  if (elsewhere) throw invalidFields({ country: elsewhere }, 'This institution does not belong in this region: nothing changed');
  const id = archive.institutionId;
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local role vetted_system`);
    const [existing] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from institutions where id = ${id}`);
    if (existing && existing.n > 0) throw new AppError('conflict', 'This institution already exists in this region: nothing changed');
    const moved = await rekey(tx, { ...archive, institution: { ...archive.institution, region: opts.region } }, opts.keys);
    const { counts } = await writeArchive(tx, moved);
    await recordAudit(
      tx,
      { ...opts.actor, tenantId: id },
      {
        action: 'institution.import',
        recordType: 'institution',
        recordId: id,
        after: { from: archive.region, to: opts.region, archiveDigest: archive.contentDigest, rows: counts },
        tenantId: id,
      },
    );
    return { institutionId: id, from: archive.region, counts };
  });
}
