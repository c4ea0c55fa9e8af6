/**
 * Lifecycle figures: backup, restore and purge of one institution of 5,000 inventory items and
 * 2,000 assessments (each with a revision, a section, 5 questions and their answers, a risk), on
 * each database run.ts names (in-memory PGlite, a PostgreSQL server).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import {
  assessmentAnswers,
  assessmentQuestions,
  assessmentRevisions,
  assessmentRisks,
  assessments,
  assessmentSections,
  inventoryItems,
} from '../../src/server/db/schema/index.js';
import { createBackupService } from '../../src/server/modules/lifecycle/backups.service.js';
import { systemPurgeInstitution } from '../../src/server/modules/lifecycle/purge.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { queryRows, withSystem, type Db } from '../../src/server/platform/db.js';
import { buildInstitution, buildUser } from '../support/factories.js';
import { scheduleDuePurge } from '../support/lifecycle.js';
import { openTestDatabase } from '../support/test-db.js';
import { load, machine, type BenchTable, type BenchTarget } from './support.js';

const ITEMS = 5000;
const ASSESSMENTS = 2000;

async function insertChunks<T>(
  db: Db,
  rows: T[],
  insert: (tx: Parameters<Parameters<typeof withSystem>[1]>[0], chunk: T[]) => Promise<unknown>,
) {
  for (let i = 0; i < rows.length; i += 500) await withSystem(db, (tx) => insert(tx, rows.slice(i, i + 500)));
}

async function populate(db: Db): Promise<string> {
  const { institution } = await buildInstitution(db);
  const tenantId = institution.id;
  await buildUser(db, { tenantId, role: 'site_admin' });
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    tenantId,
    id: randomUUID(),
    customName: `App ${i}`,
    name: `App ${i}`,
    purpose: 'Classroom use '.repeat(5),
    grades: ['3', '4'],
  }));
  await insertChunks(db, items, (tx, c) => tx.insert(inventoryItems).values(c));
  const a = items.slice(0, ASSESSMENTS).map((item) => ({
    item,
    id: randomUUID(),
    rev: randomUUID(),
    section: randomUUID(),
    questions: Array.from({ length: 5 }, () => randomUUID()),
  }));
  await insertChunks(db, a, (tx, c) =>
    tx.insert(assessments).values(c.map((x) => ({ tenantId, id: x.id, inventoryItemId: x.item.id, title: `PIA ${x.item.name}` }))),
  );
  await insertChunks(db, a, (tx, c) =>
    tx.insert(assessmentRevisions).values(c.map((x) => ({ tenantId, id: x.rev, assessmentId: x.id, number: 1 }))),
  );
  await insertChunks(db, a, (tx, c) =>
    tx
      .insert(assessmentSections)
      .values(c.map((x) => ({ tenantId, id: x.section, revisionId: x.rev, key: 'A', origin: 'operator', title: 'Screening' }))),
  );
  const qs = a.flatMap((x) => x.questions.map((q, i) => ({ x, q, i })));
  await insertChunks(db, qs, (tx, c) =>
    tx.insert(assessmentQuestions).values(
      c.map(({ x, q, i }) => ({
        tenantId,
        id: q,
        revisionId: x.rev,
        sectionId: x.section,
        key: `A${i}`,
        origin: 'operator',
        kind: 'long_text',
        prompt: 'Describe the data flows',
      })),
    ),
  );
  await insertChunks(db, qs, (tx, c) =>
    tx
      .insert(assessmentAnswers)
      .values(
        c.map(({ x, q }) => ({ tenantId, questionId: q, revisionId: x.rev, value: 'An answer of a few words', origin: 'institution' })),
      ),
  );
  await insertChunks(db, a, (tx, c) =>
    tx
      .insert(assessmentRisks)
      .values(c.map((x) => ({ tenantId, id: randomUUID(), revisionId: x.rev, title: 'Breach', likelihood: 2, impact: 3 }))),
  );
  const now = new Date();
  await scheduleDuePurge(db, tenantId, { endOfServiceAt: now, purgeAfter: now, requestedAt: now });
  return tenantId;
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const out = await fn();
  return [out, performance.now() - start];
}

export async function bench(on: BenchTarget): Promise<BenchTable> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vetted-bench-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const source = await openTestDatabase();
  const target = await openTestDatabase();
  try {
    const id = await populate(source.db);
    const loadAtStart = load();
    const backups = createBackupService({ db: source.db, config, jobs: undefined as never });
    const [backup, backupMs] = await time(() => backups.systemBackupInstitution(id));
    // Restore needs the master bank the institution refers to; these rows refer to none.
    const [, restoreMs] = await time(() =>
      createBackupService({ db: target.db, config, jobs: undefined as never }, backups.store).systemRestoreLatest(id),
    );
    const [cert, purgeMs] = await time(() =>
      systemPurgeInstitution({ db: source.db, store: backups.store, mailer: { send: async () => {}, folder: undefined } }, id),
    );
    const rows = Object.values(cert.tableCounts as Record<string, number>).reduce((a, b) => a + b, 0);
    const [left] = await queryRows<{ n: number }>(source.db, sql`select count(*)::int as n from inventory_items where tenant_id = ${id}`);
    return {
      title: `Data lifecycle on ${on.label}: backup, restore and purge of one institution`,
      setup: `${ITEMS.toLocaleString('en')} inventory items and ${ASSESSMENTS.toLocaleString('en')} assessments (each: 1 revision, 1 section, 5 questions and answers, 1 risk) — ${rows.toLocaleString('en')} rows in all; ${on.label}; one run of each step. Backup = export + gzip + AES-256-GCM + write; purge = batches of 1,000 rows, archives and key removed, catalog scan; ${left!.n} rows left after the purge. The lifecycle issue asks for these figures without setting a limit, so there is no target to meet. ${machine(loadAtStart)}`,
      columns: ['step', 'time (s)', 'target', 'meets target', 'detail'],
      rows: [
        ['backup', (backupMs / 1000).toFixed(2), 'none', '-', `${(backup.bytes / 1024).toFixed(0)} KiB encrypted archive`],
        ['restore into an empty database', (restoreMs / 1000).toFixed(2), 'none', '-', `${backup.rows} rows`],
        [
          'purge',
          (purgeMs / 1000).toFixed(2),
          'none',
          '-',
          `${rows} rows deleted, ${cert.archivesRemoved} archive removed, key destroyed: ${cert.keyDestroyed}`,
        ],
      ],
    };
  } finally {
    await source.close();
    await target.close();
    await rm(dir, { recursive: true, force: true });
  }
}
