/**
 * `SECRETS_KEY` rotation: re-seals every secret kept encrypted at rest under the current key. Run
 * `main.js rotate-secrets` with the new key in `SECRETS_KEY` and the old one(s) in
 * `SECRETS_KEY_PREVIOUS`; once it reports nothing left under an old key, drop `SECRETS_KEY_PREVIOUS`.
 * See docs/operations.md.
 */
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { attachmentKeys, sessions, ssoConnections, users, vendorAnswerFiles, vendorQuestionnaires } from '../../db/schema/index.js';
import { systemActor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { Db, Tx } from '../../platform/db.js';
import { withSystem } from '../../platform/db.js';
import { isSealedUnderCurrent, openSecret, sealSecret, type Keyring } from '../../platform/secrets.js';
import { attachmentKeyAad } from '../attachments/attachment-crypto.js';
import { idTokenAad, samlLogoutAad } from './session.service.js';
import { spKeyAad } from './sso.service.js';
import { emailAad, fileKeyAad } from '../vendors/vendors.keys.js';

/** Every sealed column: its table, the column, the row key, the owning institution and the additional data it is bound to. */
interface SealedColumn {
  name: string;
  table: PgTable;
  column: AnyPgColumn;
  key: AnyPgColumn;
  tenant: AnyPgColumn;
  aad: (row: { key: string; tenantId: string | null }) => string;
  /** The row key itself is not for reports (a session's key opens nothing, but stays out of them). */
  hideKey?: boolean;
}

const SEALED: SealedColumn[] = [
  { name: 'users.mfa_secret', table: users, column: users.mfaSecret, key: users.id, tenant: users.tenantId, aad: (r) => `mfa:${r.key}` },
  {
    name: 'sso_connections.oidc_client_secret',
    table: ssoConnections,
    column: ssoConnections.oidcClientSecret,
    key: ssoConnections.id,
    tenant: ssoConnections.tenantId,
    aad: (r) => `oidc-client-secret:${r.tenantId}:${r.key}`,
  },
  {
    name: 'sessions.sso_id_token',
    table: sessions,
    column: sessions.ssoIdToken,
    key: sessions.id,
    tenant: sessions.tenantId,
    aad: (r) => idTokenAad(r.key),
    hideKey: true,
  },
  {
    name: 'sessions.sso_saml_logout',
    table: sessions,
    column: sessions.ssoSamlLogout,
    key: sessions.id,
    tenant: sessions.tenantId,
    aad: (r) => samlLogoutAad(r.key),
    hideKey: true,
  },
  {
    name: 'sso_connections.saml_sp_key',
    table: ssoConnections,
    column: ssoConnections.samlSpKey,
    key: ssoConnections.id,
    tenant: ssoConnections.tenantId,
    aad: (r) => spKeyAad(r.tenantId!, r.key),
  },
  {
    name: 'attachment_keys.sealed_key',
    table: attachmentKeys,
    column: attachmentKeys.sealedKey,
    key: attachmentKeys.tenantId,
    tenant: attachmentKeys.tenantId,
    aad: (r) => attachmentKeyAad(r.key),
  },
  {
    name: 'vendor_questionnaires.contact_email_secret',
    table: vendorQuestionnaires,
    column: vendorQuestionnaires.contactEmailSecret,
    key: vendorQuestionnaires.id,
    tenant: vendorQuestionnaires.tenantId,
    aad: (r) => emailAad(r.key),
    hideKey: true,
  },
  {
    name: 'vendor_answer_files.key_secret',
    table: vendorAnswerFiles,
    column: vendorAnswerFiles.keySecret,
    key: vendorAnswerFiles.id,
    tenant: vendorAnswerFiles.tenantId,
    aad: (r) => fileKeyAad(r.key),
  },
];

export interface RotationReport {
  /** The id of the key everything is now sealed under. */
  keyId: string;
  /** Values re-sealed, by column. */
  resealed: Record<string, number>;
  /** Values already under the current key. */
  current: Record<string, number>;
  /** Values no key of the ring opens (left as they are): add the missing key to SECRETS_KEY_PREVIOUS and run again. */
  unreadable: { column: string; key: string }[];
}

type Sealed = { key: string; tenantId: string | null; sealed: string };

async function sealedRows(tx: Tx, c: SealedColumn): Promise<Sealed[]> {
  return (await tx
    .select({ key: sql<string>`${c.key}::text`, tenantId: sql<string | null>`${c.tenant}::text`, sealed: sql<string>`${c.column}` })
    .from(c.table)
    .where(isNotNull(c.column))) as Sealed[];
}

/**
 * Re-seals, institution by institution (one transaction each, with its audit event; platform admins'
 * secrets in the operator's chain), every value not yet under the current key. A value changed
 * meanwhile (compare-and-set on the old ciphertext) is left for the next run.
 */
export async function rotateSealedSecrets(db: Db, keys: Keyring): Promise<RotationReport> {
  const report: RotationReport = { keyId: keys.current.id, resealed: {}, current: {}, unreadable: [] };
  const pending = new Map<string | null, { c: SealedColumn; row: Sealed; resealed: string }[]>();
  await withSystem(db, async (tx) => {
    for (const c of SEALED) {
      report.resealed[c.name] = 0;
      report.current[c.name] = 0;
      for (const row of await sealedRows(tx, c)) {
        if (isSealedUnderCurrent(keys, row.sealed)) {
          report.current[c.name]! += 1;
          continue;
        }
        let plain: string;
        try {
          plain = openSecret(keys, row.sealed, c.aad(row));
        } catch {
          report.unreadable.push({ column: c.name, key: c.hideKey ? '(a session)' : row.key });
          continue;
        }
        const list = pending.get(row.tenantId) ?? [];
        list.push({ c, row, resealed: sealSecret(keys, plain, c.aad(row)) });
        pending.set(row.tenantId, list);
      }
    }
  });
  const actor = systemActor('secrets-rotation', 'cli');
  for (const [tenantId, list] of pending) {
    await withSystem(db, async (tx) => {
      const counts: Record<string, number> = {};
      for (const { c, row, resealed } of list) {
        const done = await tx
          .update(c.table)
          .set({ [columnKey(c)]: resealed })
          .where(and(eq(sql`${c.key}::text`, row.key), eq(c.column, row.sealed), tenantId ? eq(c.tenant, tenantId) : isNull(c.tenant)))
          .returning({ key: c.key });
        if (done.length) counts[c.name] = (counts[c.name] ?? 0) + 1;
      }
      for (const [name, n] of Object.entries(counts)) report.resealed[name]! += n;
      await recordAudit(tx, actor, {
        action: 'secrets.rotate',
        recordType: tenantId ? 'institution' : 'operator',
        recordId: tenantId ?? 'operator',
        tenantId,
        after: { keyId: keys.current.id, resealed: counts },
      });
    });
  }
  return report;
}

/** The property name drizzle uses for a column in `.set()`. */
function columnKey(c: SealedColumn): string {
  const entry = Object.entries(c.table).find(([, v]) => v === c.column);
  if (!entry) throw new Error(`column ${c.name} not found`);
  return entry[0];
}
