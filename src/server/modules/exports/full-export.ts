import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { STREAMED_COMPRESSION_LEVEL, yazl } from './zip.js';
import { copyAll, copyOut, withTenantRead, withTenantSnapshots, type Db, type TenantScope, type Tx } from '../../platform/db.js';
import type { Language } from '../../../contracts/domain.js';
import { copyOptions, EXPORT_ENTITIES, type ExportEntity, type SheetFormat } from './export-entities.js';
import { entityLayout, type EntityLayout } from './export-words.js';
import { createXlsxWriter, csvText } from './spreadsheet.js';

/**
 * Rows per page on the embedded database, where each page is one short transaction: its single
 * connection is shared by every request, which interleave with an export between pages.
 */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * How an export reads a sheet: `fn` is given its bytes as the file holds them (CSV records, or
 * SpreadsheetML rows), in order, with how many rows they hold (for progress, at most: a CSV line end
 * inside a quoted field counts as a row); resolves with the sheet's exact number of rows.
 */
interface ExportReader {
  forEachChunk(index: number, fn: (bytes: Buffer, rows: number) => Promise<void>): Promise<number>;
}

/** How many rows the export will write (for the progress bar). */
export async function countExportRows(db: Db, scope: TenantScope, entities: readonly ExportEntity[] = EXPORT_ENTITIES): Promise<number> {
  return withTenantRead(db, scope, async (tx) => {
    let total = 0;
    for (const e of entities) total += await e.count(tx, scope);
    return total;
  });
}

/** The line feeds in `bytes`: the rows a chunk of COPY's output holds (see ExportReader). */
function lineFeeds(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * How many connections a PostgreSQL export reads through, sharing one snapshot: while the process
 * writes one sheet, the next sheet's statement runs on the other connection.
 */
const SNAPSHOT_CONNECTIONS = 2;

/**
 * Each sheet as PostgreSQL writes it (`copy (…) to stdout`, see `ExportEntity.rowsQuery`), through the
 * snapshot transactions `txs`, sheets taking turns between them: sheet i runs on connection i mod 2
 * as soon as that connection's last sheet has been read to its end, so the database sorts and
 * writes the next sheet while the process deflates this one (it then waits, its output unread,
 * until its turn). The process parses no row: COPY's bytes go from the socket to the file.
 */
function copyReader(
  txs: Tx[],
  scope: TenantScope,
  format: SheetFormat,
  entities: readonly ExportEntity[],
  layouts: readonly EntityLayout[],
): ExportReader & { settled(): Promise<void> } {
  let stopped = false;
  const streams: (Readable & { rowCount: number })[] = [];
  const lanes: Promise<unknown>[] = txs.map(() => Promise.resolve());
  const started = entities.map((entity, i) => {
    const lane = i % txs.length;
    const stream = lanes[lane]!.then(() => {
      if (stopped) throw new Error('the export stopped before this sheet');
      const s = copyOut(txs[lane]!, entity.rowsQuery(scope, format, layouts[i]!.words), copyOptions(format));
      streams.push(s);
      return s;
    });
    // The connection's next sheet starts once this one has been read to its end (or failed).
    lanes[lane] = stream.then((s) => finished(s)).catch(() => {});
    stream.catch(() => {});
    return stream;
  });
  return {
    async forEachChunk(index, fn) {
      const stream = await started[index]!;
      for await (const chunk of stream) await fn(chunk as Buffer, lineFeeds(chunk as Buffer));
      return stream.rowCount;
    },
    /** Starts no more sheets; resolves once every statement sent has been read to its end (or has failed). */
    async settled() {
      stopped = true;
      for (const s of streams) if (!s.readableEnded && !s.destroyed) s.resume();
      await Promise.all(lanes);
    },
  };
}

/** Each sheet a page at a time by its key, each page a short transaction of its own (the embedded database). */
function pageReader(
  db: Db,
  scope: TenantScope,
  format: SheetFormat,
  entities: readonly ExportEntity[],
  layouts: readonly EntityLayout[],
): ExportReader {
  const size = EXPORT_PAGE_SIZE;
  return {
    async forEachChunk(index, fn) {
      const entity = entities[index]!;
      let after: string[] | null = null;
      let firstRow = 2;
      for (;;) {
        const page = await withTenantRead(db, scope, async (tx) => {
          const end = await entity.pageEnd(tx, scope, after, size);
          if (end.rows === 0) return { end, bytes: Buffer.alloc(0) };
          const query = entity.rowsQuery(scope, format, layouts[index]!.words, { after, limit: size, firstRow });
          return { end, bytes: await copyAll(db, tx, query, copyOptions(format)) };
        });
        if (page.end.rows > 0) await fn(page.bytes, page.end.rows);
        firstRow += page.end.rows;
        if (page.end.rows < size || page.end.last === null) return firstRow - 2;
        after = page.end.last;
      }
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
 * (headers, and the words of coded columns beside their codes: see `entityLayout`). The database
 * writes each sheet's rows as the file holds them (`ExportEntity.rowsQuery`); the process adds each file's
 * header and frame and deflates. Streams as it goes; the whole file is never in memory. `out` is
 * ended when the export is complete. `onProgress` is awaited as rows are written.
 *
 * On PostgreSQL every sheet is read in read-only REPEATABLE READ transactions sharing one snapshot
 * under the tenant's role and settings (withTenantSnapshots), so every sheet shows the institution
 * at the same instant. On the embedded database each page is a short transaction of its own.
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
  const layouts = entities.map((e) => entityLayout(e, language));
  const write = (reader: ExportReader) =>
    writeExport(
      reader,
      format,
      out,
      onProgress,
      entities.map((e, i) => ({ ...layouts[i]!, file: e.file })),
      files,
    );
  const snapshot = await withTenantSnapshots(db, scope, SNAPSHOT_CONNECTIONS, async (txs) => {
    const reader = copyReader(txs, scope, format, entities, layouts);
    try {
      await write(reader);
    } finally {
      // Nothing may still be copying on a connection once its transaction ends.
      await reader.settled();
    }
  });
  if (!snapshot) await write(pageReader(db, scope, format, entities, layouts));
}

async function writeExport(
  reader: ExportReader,
  format: 'xlsx' | 'csv',
  out: Writable,
  onProgress: (rowsDone: number) => Promise<void>,
  layouts: readonly (EntityLayout & { file: string })[],
  files: ExportFiles | undefined,
): Promise<void> {
  let before = 0;
  /** Reads sheet `index` into `add`, reporting progress as its rows go by, then the exact count of rows written. */
  const sheet = async (index: number, add: (bytes: Buffer) => Promise<void>) => {
    let done = before;
    before += await reader.forEachChunk(index, async (bytes, rows) => {
      await add(bytes);
      done += rows;
      await onProgress(done);
    });
    await onProgress(before);
  };
  const ended = once(out, 'finish');
  if (format === 'xlsx') {
    const book = createXlsxWriter(out);
    for (const [index, layout] of layouts.entries()) {
      const sink = book.addSheet(layout.name, layout.columns);
      await sheet(index, async (bytes) => {
        await sink.addXml(bytes);
        await drained(out);
      });
      await sink.end();
    }
    await book.finish();
  } else {
    const zip = new yazl.ZipFile();
    zip.outputStream.pipe(out);
    for (const [index, layout] of layouts.entries()) {
      const csv = new PassThrough();
      zip.addReadStream(csv, `${layout.file}.csv`, { compressionLevel: STREAMED_COMPRESSION_LEVEL });
      const consumed = once(csv, 'end');
      // UTF-8 with a BOM so spreadsheets read accents right; the header ends as PostgreSQL's records do.
      csv.write(`\ufeff${csvText([layout.columns.map((c) => c.header)]).replace(/\r\n$/, '\n')}`);
      await sheet(index, async (bytes) => {
        if (!csv.write(bytes)) await once(csv, 'drain');
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
  await ended;
}
