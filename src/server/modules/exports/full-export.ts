import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createZipWriter } from './zip.js';
import { copyAll, copyOut, withTenantRead, withTenantSnapshots, type Db, type TenantScope, type Tx } from '../../platform/db.js';
import { LANGUAGES, type Language } from '../../../contracts/domain.js';
import { copyOptions, EXPORT_ENTITIES, type ExportEntity, type SheetFormat } from './export-entities.js';
import { entityLayout, type EntityLayout } from './export-words.js';
import { createXlsxWriter, csvText, sheetRows, type SheetCellType } from './spreadsheet.js';

/**
 * Rows per page on the embedded database, where each page is one short transaction: its single
 * connection is shared by every request, which interleave with an export between pages.
 */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * How an export reads a sheet: `fn` is given its bytes as COPY writes them (CSV records, or the text
 * format's lines for a workbook), in order, with how many rows they hold (for progress, at most: a
 * CSV line end inside a quoted field counts as a row); resolves with the sheet's exact number of rows.
 */
interface ExportReader {
  forEachChunk(index: number, fn: (bytes: Buffer, rows: number) => Promise<void>): Promise<number>;
}

/**
 * Readies a process for exports before one comes (the process started ahead of the next export):
 * the words of every sheet in every language, and the workbook's row writer run on made-up rows
 * until the engine has compiled it, so that the export itself does not pay for either.
 */
export function warmUpExport(entities: readonly ExportEntity[] = EXPORT_ENTITIES): void {
  for (const language of LANGUAGES) for (const e of entities) entityLayout(e, language);
  const types = ['text', 'int', 'bool', 'text', 'text', 'text'] as const;
  const line = 'ab1f5c2e-7d1a-4b7e-9c51-3f6f9b2a8e10\t42\ttrue\tA sentence, of words & <marks>\t\\N\tline\\nend\n';
  const lines = Buffer.from(line.repeat(500));
  const rows = sheetRows(types);
  for (let round = 0; round < 40; round++) rows.push(lines);
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
 * The planner's settings of the export's transactions: no parallel workers. The export already runs
 * two statements at once while its process writes; a parallel worker's rows are handed to the
 * statement's own process one by one, which cost the database about a tenth more work for the
 * largest sheet (measured on 2 cores: system CPU of a 5,000-app export 1.23–1.54 s without, 1.37–1.67
 * s with), and an export, a background job, should not take cores from people's requests.
 */
const EXPORT_SETTINGS = 'set local max_parallel_workers_per_gather = 0';

/**
 * How many bytes of sheets not yet written the process may hold before it starts another sheet's
 * statement: the next sheets' statements run while this one is written, and wait for the process
 * once this much of them waits (a statement already running stops too, its stream full at this
 * much). It bounds what the process holds, whatever the institution's size, to a few times this.
 */
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/**
 * Each sheet as PostgreSQL writes it (`copy (…) to stdout`, see `ExportEntity.rowsQuery`), through the
 * snapshot transactions `txs`. The sheets' statements start in order, each on whichever connection is
 * free first (free once the server has sent the last statement's output), while the bytes read and
 * not yet written stay under READ_AHEAD_BYTES; each statement's output is read ahead into the process
 * as it comes, so two statements run at once: the database writes the next sheets while the process
 * writes this one. The process parses no row: COPY's bytes go from the socket to the file (or, for a
 * workbook, to its row writer).
 *
 * (Reading the largest sheet, the answers, as two statements over halves of its rows at once was
 * measured slower on 2 cores: each half hashes every question again, and the processor was already
 * busy.)
 */
function copyReader(
  txs: Tx[],
  scope: TenantScope,
  format: SheetFormat,
  entities: readonly ExportEntity[],
  layouts: readonly EntityLayout[],
): ExportReader & { settled(): Promise<void> } {
  let stopped = false;
  const streams: (Readable & { rowCount: number; done: Promise<void> })[] = [];
  const free = [...txs];
  const started = entities.map(() => {
    let resolve!: (s: Readable & { rowCount: number }) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<Readable & { rowCount: number }>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  });
  for (const s of started) s.promise.catch(() => {});
  let next = 0;
  /** Bytes read from the database and not yet written. */
  const held = () => streams.reduce((n, s) => (s.readableEnded ? n : n + s.readableLength), 0);
  /** Starts the next statements, in order, while a connection is free and the bytes held allow. */
  const pump = () => {
    while (!stopped && next < entities.length && free.length > 0 && held() < READ_AHEAD_BYTES) {
      const i = next++;
      const tx = free.shift()!;
      const s = copyOut(tx, entities[i]!.rowsQuery(scope, layouts[i]!.words), copyOptions(format), READ_AHEAD_BYTES);
      streams.push(s);
      void s.done.then(() => {
        free.push(tx);
        pump();
      });
      started[i]!.resolve(s);
    }
  };
  pump();
  return {
    async forEachChunk(index, fn) {
      const stream = await started[index]!.promise;
      // Each chunk as the stream was given it: in flowing mode a chunk at a time, where `read()`, and
      // so `for await`, would join every chunk the stream holds (up to READ_AHEAD_BYTES) into a copy.
      // A statement that failed before its sheet's turn has its stream destroyed already: `finished`
      // says so at once.
      await new Promise<void>((resolve, reject) => {
        const fail = (err: unknown) => {
          stream.off('data', onData);
          reject(err as Error);
        };
        const onData = (chunk: Buffer) => {
          stream.pause();
          fn(chunk, lineFeeds(chunk)).then(() => {
            pump();
            stream.resume();
          }, fail);
        };
        stream.on('data', onData);
        finished(stream).then(resolve, fail);
      });
      pump();
      return stream.rowCount;
    },
    /** Starts no more statements; resolves once every one sent has ended, its output read to its end. */
    async settled() {
      stopped = true;
      for (const s of started.slice(next)) s.reject(new Error('the export stopped before this sheet'));
      for (const s of streams) if (!s.readableEnded && !s.destroyed) s.resume();
      await Promise.all(streams.map((s) => s.done));
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
      let rows = 0;
      for (;;) {
        const page = await withTenantRead(db, scope, async (tx) => {
          const end = await entity.pageEnd(tx, scope, after, size);
          if (end.rows === 0) return { end, bytes: Buffer.alloc(0) };
          const query = entity.rowsQuery(scope, layouts[index]!.words, { after, limit: size });
          return { end, bytes: await copyAll(db, tx, query, copyOptions(format)) };
        });
        if (page.end.rows > 0) await fn(page.bytes, page.end.rows);
        rows += page.end.rows;
        if (page.end.rows < size || page.end.last === null) return rows;
        after = page.end.last;
      }
    },
  };
}

/** Hands each file to put beside the sheets of a zip export (path in the zip, bytes) to `add`. */
export type ExportFiles = (add: (name: string, bytes: Buffer) => Promise<void>) => Promise<void>;

/**
 * Writes an institution's full export to `out`: an XLSX workbook with a sheet per entity, or a zip
 * holding one CSV per entity and the files `files` gives (the attached documents), in `language`
 * (headers, and the words of coded columns beside their codes: see `entityLayout`). The database
 * writes each sheet's rows as the file holds them (`ExportEntity.rowsQuery`); the process adds each file's
 * header and frame and deflates. Streams as it goes; the whole file is never in memory. `out` is
 * ended when the export is complete. `onProgress` is awaited as rows are written. Resolves with the
 * number of rows written.
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
): Promise<number> {
  const layouts = entities.map((e) => entityLayout(e, language));
  const write = (reader: ExportReader) =>
    writeExport(
      reader,
      format,
      out,
      onProgress,
      entities.map((e, i) => ({ ...layouts[i]!, file: e.file, cellTypes: e.cellTypes })),
      files,
    );
  const snapshot = await withTenantSnapshots(
    db,
    scope,
    SNAPSHOT_CONNECTIONS,
    async (txs) => {
      const reader = copyReader(txs, scope, format, entities, layouts);
      try {
        return await write(reader);
      } finally {
        // Nothing may still be copying on a connection once its transaction ends.
        await reader.settled();
      }
    },
    EXPORT_SETTINGS,
  );
  return snapshot ? snapshot.value : write(pageReader(db, scope, format, entities, layouts));
}

async function writeExport(
  reader: ExportReader,
  format: 'xlsx' | 'csv',
  out: Writable,
  onProgress: (rowsDone: number) => Promise<void>,
  layouts: readonly (EntityLayout & { file: string; cellTypes: readonly SheetCellType[] })[],
  files: ExportFiles | undefined,
): Promise<number> {
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
      const rows = sheetRows(layout.cellTypes);
      await sheet(index, async (bytes) => {
        // The zip copies the rows before the next chunk is turned into rows over them.
        const xml = rows.push(bytes);
        if (xml.length > 0) await sink.addXml(xml);
      });
      rows.end();
      await sink.end();
    }
    await book.finish();
  } else {
    const zip = createZipWriter(out);
    for (const [index, layout] of layouts.entries()) {
      const csv = zip.stream(`${layout.file}.csv`);
      // UTF-8 with a BOM so spreadsheets read accents right; the header ends as PostgreSQL's records do.
      await csv.write(`\ufeff${csvText([layout.columns.map((c) => c.header)]).replace(/\r\n$/, '\n')}`);
      await sheet(index, (bytes) => csv.write(bytes));
      await csv.end();
    }
    // Files beside the sheets (attached documents), one at a time as the output takes them.
    await files?.((name, bytes) => zip.buffer(bytes, name));
    await zip.end();
  }
  await ended;
  return before;
}
