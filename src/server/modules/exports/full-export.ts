import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { STREAMED_COMPRESSION_LEVEL, yazl } from './zip.js';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, withTenantRead, withTenantSnapshots, type Db, type TenantScope, type Tx } from '../../platform/db.js';
import type { Language } from '../../../contracts/domain.js';
import { EXPORT_ENTITIES, type ExportEntity } from './export-entities.js';
import { entityLayout } from './export-words.js';
import { createCsvStream, createXlsxWriter, type SheetCell } from './spreadsheet.js';

/**
 * Rows per page. On the embedded database each page is one short transaction: its single connection
 * is shared by every request, which interleave with an export between pages. On PostgreSQL all pages
 * are read in one transaction; there too 1,000 rows beat 5,000 and 20,000 (measured in one process on
 * a 5,000-app institution: XLSX 3.6–3.8 s against 5.7–6.3 s and 6.3–7.7 s), the database reading the
 * next page while the process writes the last, with less garbage from large page texts.
 */
export const EXPORT_PAGE_SIZE = 1000;

/** How an export reads: calls `fn` with each page of `entity` (EXPORT_PAGE_SIZE rows at most), in order. */
interface ExportReader {
  forEachPage(entity: ExportEntity, fn: (rows: SheetCell[][]) => Promise<void>): Promise<void>;
}

/**
 * Runs `fn` with the export's reader. On PostgreSQL every sheet is read in read-only REPEATABLE
 * READ transactions sharing one snapshot under the tenant's role and settings (withTenantSnapshots),
 * so every sheet shows the institution at the same instant, each through a server-side cursor over
 * the entity's whole statement (`cursorReader`). On the embedded database each page is a short
 * transaction of its own (withTenantRead), read by its key (`keysetReader`).
 */
async function withExportReader<T>(
  db: Db,
  scope: TenantScope,
  entities: readonly ExportEntity[],
  fn: (reader: ExportReader) => Promise<T>,
): Promise<T> {
  const snapshot = await withTenantSnapshots(db, scope, SNAPSHOT_CONNECTIONS, async (txs) => {
    const reader = cursorReader(txs, scope, entities);
    try {
      return await fn(reader);
    } finally {
      // Nothing asked for ahead may still run on a connection once its transaction ends.
      await reader.settled();
    }
  });
  return snapshot ? snapshot.value : fn(keysetReader(db, scope));
}

/** How many rows the export will write (for the progress bar). */
export async function countExportRows(db: Db, scope: TenantScope, entities: readonly ExportEntity[] = EXPORT_ENTITIES): Promise<number> {
  return withTenantRead(db, scope, async (tx) => {
    let total = 0;
    for (const e of entities) total += await e.count(tx, scope);
    return total;
  });
}

/** A page read, and whether another may follow it. */
interface Page {
  rows: SheetCell[][];
  more: boolean;
}

/**
 * Reads pages one ahead: the next page is asked for (`read`, given the page before it) before `fn`
 * writes the current one, so the database reads a page while the process writes the last.
 */
async function readAhead<P extends Page>(
  first: Promise<P>,
  read: (last: P) => Promise<P>,
  fn: (rows: SheetCell[][]) => Promise<void>,
): Promise<void> {
  let next: Promise<P> | null = first;
  while (next) {
    const page: P = await next;
    next = page.more ? quiet(read(page)) : null;
    if (page.rows.length) await fn(page.rows);
  }
}

/**
 * A read asked for ahead of need: a failure surfaces where it is awaited; until then (or if the
 * writing fails first, and it is never awaited) it does not count as an unhandled rejection.
 */
function quiet<T>(read: Promise<T>): Promise<T> {
  read.catch(() => {});
  return read;
}

/** Pages read by their key, each in a short transaction of its own (the embedded database). */
function keysetReader(db: Db, scope: TenantScope): ExportReader {
  const size = EXPORT_PAGE_SIZE;
  const read = async (entity: ExportEntity, cursor: string | null) => {
    const page = await withTenantRead(db, scope, (tx) => entity.page(tx, scope, cursor, size));
    return { ...page, more: page.rows.length === size && page.cursor !== null };
  };
  return {
    forEachPage: (entity, fn) => readAhead(quiet(read(entity, null)), (last) => read(entity, last.cursor), fn),
  };
}

/**
 * How many connections a PostgreSQL export reads through, sharing one snapshot: one sheet's rows
 * are written while the next sheet's statement runs on the other connection.
 */
const SNAPSHOT_CONNECTIONS = 2;

/**
 * Each entity through a server-side cursor over its whole statement, fetched a page at a time, in
 * the snapshot transactions `txs` (entities taking turns). PostgreSQL runs each statement once, its
 * lookups as hash joins over each other table; pages read by their key would each probe an index
 * per row and per lookup, which for the answers of a 5,000-app institution cost 6.7 s against 1.8 s
 * (most of that writing the rows' JSON, all of it before the first row, the rows being sorted by
 * key). So that this work does not hold up the process, the next entity's cursor is opened and its
 * first page asked for, on the other connection, as soon as an entity's first page is read. A
 * cursor's plan is chosen for reading every row (`cursor_tuple_fraction` 1: PostgreSQL otherwise
 * plans a cursor for its first tenth), and it is closed at the end of its sheet, freeing what it holds.
 */
function cursorReader(txs: Tx[], scope: TenantScope, entities: readonly ExportEntity[]): ExportReader & { settled(): Promise<void> } {
  const size = EXPORT_PAGE_SIZE;
  // One statement at a time on each connection: each runs once the one before it is answered.
  const lanes = new Map<Tx, Promise<unknown>>();
  const inTurn = <T>(tx: Tx, query: () => Promise<T>): Promise<T> => {
    const run = (lanes.get(tx) ?? Promise.resolve()).then(query);
    lanes.set(
      tx,
      run.catch(() => {}),
    );
    return run;
  };
  const fetch = (tx: Tx, entity: ExportEntity, name: SQL): Promise<Page> =>
    inTurn(tx, async () => {
      const rows = await queryRows<{ row: string }>(tx, sql`fetch ${sql.raw(String(size))} from ${name}`);
      return { rows: entity.cells(rows.map((r) => r.row)), more: rows.length === size };
    });
  const opened = new Map<ExportEntity, { tx: Tx; name: SQL; first: Promise<Page> }>();
  let closed = false;
  /** Declares the entity's cursor and asks for its first page, on its connection, after what that connection has to do first. */
  const open = (index: number) => {
    const entity = entities[index];
    if (!entity || opened.has(entity) || closed) return;
    const tx = txs[index % txs.length]!;
    const name = sql`${sql.identifier(`export_${index}`)}`;
    // The first statement on each connection chooses its cursors' plans for reading every row.
    if (!lanes.has(tx)) void quiet(inTurn(tx, () => tx.execute(sql`set local cursor_tuple_fraction = 1`)));
    void quiet(inTurn(tx, () => tx.execute(sql`declare ${name} no scroll cursor for ${entity.statement(scope)}`)));
    opened.set(entity, { tx, name, first: quiet(fetch(tx, entity, name)) });
  };
  return {
    async forEachPage(entity, fn) {
      const index = entities.indexOf(entity);
      if (index < 0) throw new Error(`${entity.name} is not a sheet of this export`);
      open(index);
      const { tx, name, first } = opened.get(entity)!;
      await readAhead(
        first.then((page) => {
          open(index + 1);
          return page;
        }),
        () => fetch(tx, entity, name),
        fn,
      );
      await inTurn(tx, () => tx.execute(sql`close ${name}`));
    },
    /** Opens no more cursors; resolves once every statement sent is answered (or has failed). */
    async settled() {
      closed = true;
      await Promise.all(lanes.values());
    },
  };
}

/** Resolves once `out` has room again (backpressure from the file or response it writes to). */
async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain) await once(out, 'drain');
}

/** Hands each file to put beside the sheets of a zip export (path in the zip, bytes) to `add`. */
export type ExportFiles = (add: (name: string, bytes: Buffer) => Promise<void>) => Promise<void>;

/**
 * Writes an institution's full export to `out`: an XLSX workbook with a sheet per entity, or a zip
 * holding one CSV per entity and the files `files` gives (the attached documents), in `language`
 * (headers, and the words of coded columns beside their codes: see `entityLayout`). Streams page by
 * page (see withExportReader); the whole file is never in memory. `out` is ended when the export is complete. `onProgress`
 * is awaited after every page.
 */
export async function writeFullExport(
  db: Db,
  scope: TenantScope,
  format: 'xlsx' | 'csv',
  out: Writable,
  onProgress: (rowsDone: number) => Promise<void> = async () => {},
  entities: readonly ExportEntity[] = EXPORT_ENTITIES,
  files?: ExportFiles,
  language: Language = 'en',
): Promise<void> {
  await withExportReader(db, scope, entities, (reader) => writeExport(reader, format, out, onProgress, entities, files, language));
}

async function writeExport(
  reader: ExportReader,
  format: 'xlsx' | 'csv',
  out: Writable,
  onProgress: (rowsDone: number) => Promise<void>,
  entities: readonly ExportEntity[],
  files: ExportFiles | undefined,
  language: Language,
): Promise<void> {
  let done = 0;
  const finished = once(out, 'finish');
  if (format === 'xlsx') {
    const book = createXlsxWriter(out);
    for (const entity of entities) {
      const layout = entityLayout(entity, language);
      const sheet = book.addSheet(layout.name, layout.columns);
      await reader.forEachPage(entity, async (rows) => {
        await sheet.addRows(layout.rows(rows));
        done += rows.length;
        await onProgress(done);
        await drained(out);
      });
      await sheet.end();
    }
    await book.finish();
  } else {
    const zip = new yazl.ZipFile();
    zip.outputStream.pipe(out);
    for (const entity of entities) {
      const layout = entityLayout(entity, language);
      const csv = createCsvStream(layout.columns);
      zip.addReadStream(csv, `${entity.file}.csv`, { compressionLevel: STREAMED_COMPRESSION_LEVEL });
      const consumed = once(csv, 'end');
      await reader.forEachPage(entity, async (rows) => {
        if (!csv.addRows(layout.rows(rows))) await once(csv, 'drain');
        done += rows.length;
        await onProgress(done);
      });
      csv.end();
      await consumed;
    }
    // Files beside the sheets (attached documents), one at a time as the output takes them.
    await files?.(async (name, bytes) => {
      zip.addBuffer(bytes, name);
      await drained(out);
    });
    zip.end();
  }
  await finished;
}
