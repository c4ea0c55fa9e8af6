/**
 * Publishing and applying the signed bank bundle between region cells. The primary (the cell with
 * BUNDLE_SIGNING_KEY) publishes; the others apply what a trusted key signed, from an upload by a
 * platform admin or from the scheduled pull (BUNDLE_PULL_URL). Every write is one transaction with
 * its audit event; a refused bundle changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { bankBundles } from '../../db/schema/index.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, systemActor, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { queryRows, withSystem, type Tx } from '../../platform/db.js';
import { AppError, pgCode } from '../../platform/errors.js';
import { defineJob, type AnyJobDefinition } from '../../platform/jobs.js';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  applyBankTables,
  checkBundleTables,
  keyIdOf,
  openBundle,
  publicKeyOf,
  readBankTables,
  serializeBundle,
  signBundle,
} from './bank-bundle.js';

/** One published or applied bundle, as the platform console lists it. */
export interface BundleRecord {
  id: string;
  direction: 'exported' | 'imported';
  sequence: number;
  contentDigest: string;
  keyId: string;
  bundleCreatedAt: string;
  at: string;
}

/** What this cell does with bundles, and what it did. */
export interface BundleStatus {
  region: string;
  /** The key id this cell signs with (the primary), or null. */
  signingKeyId: string | null;
  trustedKeyIds: string[];
  pullUrl: string | null;
  pullCron: string | null;
  bundles: BundleRecord[];
}

export interface ImportResult {
  sequence: number;
  counts: Record<string, number>;
  /** Published versions new to this cell: their adopters get an update notice. */
  newVersions: number;
}

const present = (r: typeof bankBundles.$inferSelect): BundleRecord => ({
  id: r.id,
  direction: r.direction as BundleRecord['direction'],
  sequence: r.sequence,
  contentDigest: r.contentDigest,
  keyId: r.keyId,
  bundleCreatedAt: r.bundleCreatedAt.toISOString(),
  at: r.createdAt.toISOString(),
});

// One publisher and one importer at a time per cell: the sequence check and the write are atomic.
const lockBundles = (tx: Tx, direction: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`vetted.bank-bundle.${direction}`}, 0))`);

export function createBundleService(ctx: Pick<AppContext, 'db' | 'config' | 'jobs'>, deps: { notify: AnyJobDefinition }) {
  const { db, config } = ctx;

  const service = {
    async status(actor: Actor): Promise<BundleStatus> {
      authorize(actor, 'manageBank');
      const rows = await withSystem(db, (tx) => tx.select().from(bankBundles).orderBy(desc(bankBundles.createdAt)).limit(50));
      const seed = config.bundle.signingKey;
      return {
        region: config.region,
        signingKeyId: seed ? keyIdOf(publicKeyOf(seed)) : null,
        trustedKeyIds: config.bundle.trustedKeys.map(keyIdOf),
        pullUrl: config.bundle.pullUrl ?? null,
        pullCron: config.bundle.pullUrl ? config.bundle.pullCron : null,
        bundles: rows.map(present),
      };
    },

    /** Publishes a new bundle of the current catalog and bank (the primary region only). */
    async publish(actor: Actor): Promise<BundleRecord & { document: string }> {
      authorize(actor, 'manageBank');
      return service.systemPublish(actor);
    },

    /** Publishes as `actor` (a platform admin, or the `bundle export` command). */
    async systemPublish(actor: Actor): Promise<BundleRecord & { document: string }> {
      const seed = config.bundle.signingKey;
      if (!seed)
        throw new AppError(
          'conflict',
          'This region does not publish the bank: BUNDLE_SIGNING_KEY is not set here (it is set in the primary region only).',
        );
      // Its own snapshot of the bank, so the bundle is consistent across tables.
      return db.transaction(
        async (tx) => {
          await tx.execute(sql`set local role vetted_system`);
          await lockBundles(tx, 'exported');
          const [last] = await queryRows<{ n: number | null }>(
            tx,
            sql`select max(sequence)::int as n from bank_bundles where direction = 'exported'`,
          );
          const bundle = signBundle(
            {
              format: BUNDLE_FORMAT,
              formatVersion: BUNDLE_FORMAT_VERSION,
              sequence: (last?.n ?? 0) + 1,
              createdAt: new Date().toISOString(),
              region: config.region,
              tables: await readBankTables(tx),
            },
            seed,
          );
          const document = serializeBundle(bundle);
          const [row] = await tx
            .insert(bankBundles)
            .values({
              id: randomUUID(),
              direction: 'exported',
              sequence: bundle.sequence,
              contentDigest: bundle.contentDigest,
              keyId: bundle.signature.keyId,
              bundleCreatedAt: new Date(bundle.createdAt),
              document,
            })
            .returning();
          await recordAudit(tx, actor, {
            action: 'bank.bundle.export',
            recordType: 'bank_bundle',
            recordId: row!.id,
            after: {
              sequence: bundle.sequence,
              contentDigest: bundle.contentDigest,
              keyId: bundle.signature.keyId,
              rows: countsOf(bundle.tables),
            },
            tenantId: null,
          });
          return { ...present(row!), document };
        },
        { isolationLevel: 'repeatable read' },
      );
    },

    /** The latest bundle this cell published, as signed (what the other cells pull), or null. */
    async latestDocument(): Promise<string | null> {
      const [row] = await withSystem(db, (tx) =>
        tx
          .select({ document: bankBundles.document })
          .from(bankBundles)
          .where(eq(bankBundles.direction, 'exported'))
          .orderBy(desc(bankBundles.sequence))
          .limit(1),
      );
      return row?.document ?? null;
    },

    /** Applies an uploaded bundle (a platform admin). */
    async importDocument(actor: Actor, text: string): Promise<ImportResult> {
      authorize(actor, 'manageBank');
      return service.systemImport(actor, text);
    },

    /**
     * Verifies and applies a bundle in one transaction with its audit event. Refused, changing
     * nothing: a bundle not signed by a trusted key or changed after signing, one of another shape
     * than this database's bank, one this cell already applied (same sequence) or older than it.
     */
    async systemImport(actor: Actor, text: string): Promise<ImportResult> {
      const bundle = openBundle(text, config.bundle.trustedKeys);
      checkBundleTables(bundle);
      return withSystem(db, async (tx) => {
        await lockBundles(tx, 'imported');
        const [last] = await tx
          .select()
          .from(bankBundles)
          .where(eq(bankBundles.direction, 'imported'))
          .orderBy(desc(bankBundles.sequence))
          .limit(1);
        if (last && bundle.sequence === last.sequence)
          throw new AppError(
            'conflict',
            last.contentDigest === bundle.contentDigest
              ? `Bank bundle ${bundle.sequence} was already applied here on ${last.createdAt.toISOString()}: nothing changed.`
              : `Another bank bundle numbered ${bundle.sequence} was already applied here: this one is refused, nothing changed.`,
          );
        if (last && bundle.sequence < last.sequence)
          throw new AppError(
            'conflict',
            `Bank bundle ${bundle.sequence} is older than bundle ${last.sequence}, applied here already: nothing changed.`,
          );
        const before = new Set(
          (await queryRows<{ id: string }>(tx, sql`select id from pia_template_versions where status = 'published'`)).map((r) => r.id),
        );
        let counts: Record<string, number>;
        try {
          counts = await applyBankTables(tx, bundle);
        } catch (err) {
          // A unique key held by another row: this cell's bank is not a copy of the primary's.
          if (pgCode(err) === '23505')
            throw new AppError(
              'conflict',
              'This cell’s bank holds records of its own in the place of the bundle’s (the same slug or version number under another id): it is not a copy of the primary region’s bank. Nothing changed.',
            );
          throw err;
        }
        const newVersions = (bundle.tables.pia_template_versions?.rows ?? []).filter(
          (r) => r.status === 'published' && !before.has(String(r.id)),
        );
        // In the same transaction: every notice job exists, or none does.
        for (const v of newVersions) await ctx.jobs.enqueue(tx, deps.notify, { versionId: String(v.id) });
        const [row] = await tx
          .insert(bankBundles)
          .values({
            id: randomUUID(),
            direction: 'imported',
            sequence: bundle.sequence,
            contentDigest: bundle.contentDigest,
            keyId: bundle.signature.keyId,
            bundleCreatedAt: new Date(bundle.createdAt),
          })
          .returning();
        await recordAudit(tx, actor, {
          action: 'bank.bundle.import',
          recordType: 'bank_bundle',
          recordId: row!.id,
          after: {
            sequence: bundle.sequence,
            contentDigest: bundle.contentDigest,
            keyId: bundle.signature.keyId,
            from: bundle.region,
            rows: counts,
            newVersions: newVersions.length,
          },
          tenantId: null,
        });
        return { sequence: bundle.sequence, counts, newVersions: newVersions.length };
      });
    },

    /** Fetches the primary's latest bundle and applies it; one already applied is no change. */
    async systemPull(): Promise<ImportResult | null> {
      const url = config.bundle.pullUrl;
      if (!url) return null;
      // The network call, outside any transaction.
      const res = await fetch(url, { signal: AbortSignal.timeout(60_000), headers: { accept: 'application/json' } });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`bank bundle pull: ${url} answered ${res.status}`);
      const text = await res.text();
      try {
        return await service.systemImport(systemActor('bank-bundle', 'job'), text);
      } catch (err) {
        if (err instanceof AppError && err.code === 'conflict' && /already applied here on/.test(err.message)) return null;
        throw err;
      }
    },
  };

  /** The scheduled pull (registered only where BUNDLE_PULL_URL is set). */
  const pullJob = defineJob({
    name: 'bank-bundle-pull',
    version: 1,
    payload: z.strictObject({}),
    singletonKey: () => 'pull',
    expireInSeconds: 600,
    ...(config.bundle.pullUrl ? { schedule: { cron: config.bundle.pullCron, payload: {} }, runAtStart: true } : {}),
    handle: async () => {
      await service.systemPull();
    },
  });

  return { ...service, jobs: config.bundle.pullUrl ? [pullJob] : [], pullJob };
}
export type BundleService = ReturnType<typeof createBundleService>;

function countsOf(tables: Record<string, { rows: unknown[] }>): Record<string, number> {
  return Object.fromEntries(Object.entries(tables).map(([n, t]) => [n, t.rows.length]));
}
