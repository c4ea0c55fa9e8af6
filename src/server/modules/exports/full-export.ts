import { once } from 'node:events';
import type { Writable } from 'node:stream';
import yazl from 'yazl';
import { withTenantRead, type Db, type TenantScope } from '../../platform/db.js';
import type { Language } from '../../../contracts/domain.js';
import { EXPORT_ENTITIES, type ExportEntity } from './export-entities.js';
import { entityLayout } from './export-words.js';
import { createCsvStream, createXlsxWriter } from './spreadsheet.js';

/** Rows per page: each page is one short transaction, so other requests interleave with an export. */
export const EXPORT_PAGE_SIZE = 1000;

export interface ExportProgress {
  rowsDone: number;
  rowsTotal: number;
}

/** How many rows the export will write (for the progress bar). */
export async function countExportRows(db: Db, scope: TenantScope, entities: readonly ExportEntity[] = EXPORT_ENTITIES): Promise<number> {
  return withTenantRead(db, scope, async (tx) => {
    let total = 0;
    for (const e of entities) total += await e.count(tx, scope);
    return total;
  });
}

type Page = Awaited<ReturnType<ExportEntity['page']>>;

/**
 * Calls `fn` with each page of `entity`. The next page is asked for before `fn` writes the current
 * one, so on PostgreSQL the database reads a page while the process writes the last.
 */
async function forEachPage(db: Db, scope: TenantScope, entity: ExportEntity, fn: (rows: Page['rows']) => Promise<void>): Promise<void> {
  const read = (cursor: string | null) => {
    const page = withTenantRead(db, scope, (tx) => entity.page(tx, scope, cursor, EXPORT_PAGE_SIZE));
    // A failed read surfaces where the page is awaited; until then (or if `fn` fails first) it must
    // not count as an unhandled rejection.
    page.catch(() => {});
    return page;
  };
  let next: Promise<Page> | null = read(null);
  while (next) {
    const page: Page = await next;
    next = page.rows.length < EXPORT_PAGE_SIZE || page.cursor === null ? null : read(page.cursor);
    if (page.rows.length) await fn(page.rows);
  }
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
 * page; the whole file is never in memory. `out` is ended when the export is complete. `onProgress`
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
  let done = 0;
  const finished = once(out, 'finish');
  if (format === 'xlsx') {
    const book = createXlsxWriter(out);
    for (const entity of entities) {
      const layout = entityLayout(entity, language);
      const sheet = book.addSheet(layout.name, layout.columns);
      await forEachPage(db, scope, entity, async (rows) => {
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
      zip.addReadStream(csv, `${entity.file}.csv`);
      const consumed = once(csv, 'end');
      await forEachPage(db, scope, entity, async (rows) => {
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
