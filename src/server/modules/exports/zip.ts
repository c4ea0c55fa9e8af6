import { once } from 'node:events';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The deflate level of the text an export streams into its zip (sheets, CSV files). Deflate at the
 * default level 6 took 1.3 s of a 5,000-app institution's XLSX export (123 MB of SpreadsheetML into
 * 13.0 MB) and 0.44 s of its CSV zip (49 MB into 4.1 MB); level 1 takes 0.41–0.48 s and 0.15–0.20 s
 * for 15.3 and 4.8 MB. The files hold the same bytes once unzipped.
 */
export const STREAMED_COMPRESSION_LEVEL = 1;

/** The deflate level of a whole file added at once (a workbook's small parts, attached documents). */
const BUFFER_COMPRESSION_LEVEL = 6;

/**
 * How many bytes of an entry's text are gathered before they are handed to deflate, and how many
 * such stretches may be in deflate's hands at once. Deflate runs on libuv's threads: while it works
 * on one stretch, the process fills the next.
 */
const STAGE_BYTES = 512 * 1024;
const STAGES = 3;

/**
 * The most compressed bytes deflate gives back at a time. Each is a turn between its thread and the
 * process; at zlib's default of 16 KB, those turns were a third of the time of deflating a
 * 5,000-app institution's sheets (a 71 MB sheet: 0.37–0.42 s against 0.27–0.29 s at 256 KB).
 */
const DEFLATED_CHUNK_BYTES = 256 * 1024;

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_END_LOCATOR = 0x07064b50;
/** Version needed to extract: 2.0 (deflate), 4.5 (ZIP64). */
const VERSION_DEFLATE = 20;
const VERSION_ZIP64 = 45;
/** Made by: Unix (3), specification 6.3. */
const VERSION_MADE_BY = (3 << 8) | 63;
/** General purpose flags: sizes and checksum after the data (bit 3); the name is UTF-8 (bit 11). */
const SIZES_AFTER_DATA = 1 << 3;
const NAME_IS_UTF8 = 1 << 11;
const DEFLATED = 8;
const STORED = 0;
/** A regular file, rw-rw-r--, as Unix external attributes. */
const FILE_ATTRIBUTES = (0o100664 << 16) >>> 0;
/** The largest size or offset the 32-bit fields hold; above it, an entry is written in ZIP64. */
const LARGEST_32 = 0xfffffffe;

/** `bytes` deflated on libuv's threads. */
const deflateRaw = (bytes: Buffer, level: number) =>
  new Promise<Buffer>((resolve, reject) => zlib.deflateRaw(bytes, { level }, (err, out) => (err ? reject(err) : resolve(out))));

/** `date` as MS-DOS date and time (two-second steps, local time, 1980–2107). */
function dosDateTime(date: Date): { date: number; time: number } {
  const d = new Date(Math.min(Math.max(date.getTime(), new Date(1980, 0, 1).getTime()), new Date(2107, 11, 31, 23, 59, 58).getTime()));
  return {
    date: (d.getDate() & 0x1f) | (((d.getMonth() + 1) & 0xf) << 5) | (((d.getFullYear() - 1980) & 0x7f) << 9),
    time: Math.floor(d.getSeconds() / 2) | ((d.getMinutes() & 0x3f) << 5) | ((d.getHours() & 0x1f) << 11),
  };
}

function writeUInt64(buffer: Buffer, n: number, at: number): void {
  buffer.writeUInt32LE(n % 0x100000000, at);
  buffer.writeUInt32LE(Math.floor(n / 0x100000000), at + 4);
}

/** What the central directory records of an entry once its data is written. */
interface EntryRecord {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** An entry whose bytes come as they are made (a sheet, a CSV file): deflated as they come. */
export interface ZipEntryStream {
  /**
   * Adds `bytes` to the entry, copied: once it resolves, the caller may write over them. Waits while
   * deflate, or the output, is behind.
   */
  write(bytes: Buffer | string): Promise<void>;
  /** Ends the entry: the last bytes deflated, then its sizes and checksum. */
  end(): Promise<void>;
}

export interface ZipWriterOptions {
  /** Entries' modification time (now unless told). */
  date?: Date;
  /** Sizes and offsets above this are written in ZIP64 (tests lower it to read ZIP64 back). */
  zip64Above?: number;
}

/**
 * A zip file written to `out` as it is made, one entry after another: an entry given as a stream is
 * deflated as its bytes come, its checksum computed natively (zlib's CRC-32), and its sizes written
 * after its data (a data descriptor), so that nothing waits for a whole file; an entry given whole
 * has its sizes in its header. Offsets and sizes past 4 GB are written in ZIP64. The layout is the
 * one yazl writes (which the exports used before): names in UTF-8, Unix attributes.
 *
 * Written for the full export, where yazl's pipeline of streams cost as much again as deflate did:
 * text is gathered here in stretches of STAGE_BYTES copied once, deflate gives back large chunks,
 * and those go straight to `out`.
 */
export function createZipWriter(out: Writable, options: ZipWriterOptions = {}) {
  const { date, time } = dosDateTime(options.date ?? new Date());
  const zip64Above = options.zip64Above ?? LARGEST_32;
  const records: EntryRecord[] = [];
  let offset = 0;
  let open = false;
  /** The stretches of entries written before, for the next (entries are written one at a time). */
  const stages: Buffer[] = [];
  const takeStage = () => stages.pop() ?? Buffer.allocUnsafe(STAGE_BYTES);

  /** Writes `bytes` to `out`, counting them; false when `out` asks to wait (see `drained`). */
  const emit = (bytes: Buffer): boolean => {
    offset += bytes.length;
    return out.write(bytes);
  };
  const drained = async () => {
    if (out.writableNeedDrain) await once(out, 'drain');
  };
  const localHeader = (name: Buffer, flags: number, method: number, crc: number, compressed: number, size: number): Buffer => {
    const b = Buffer.alloc(30 + name.length);
    b.writeUInt32LE(LOCAL_HEADER, 0);
    b.writeUInt16LE(VERSION_DEFLATE, 4);
    b.writeUInt16LE(flags, 6);
    b.writeUInt16LE(method, 8);
    b.writeUInt16LE(time, 10);
    b.writeUInt16LE(date, 12);
    b.writeUInt32LE(crc, 14);
    b.writeUInt32LE(compressed, 18);
    b.writeUInt32LE(size, 22);
    b.writeUInt16LE(name.length, 26);
    b.writeUInt16LE(0, 28);
    name.copy(b, 30);
    return b;
  };
  const isZip64 = (r: Pick<EntryRecord, 'compressed' | 'size' | 'offset'>) =>
    r.size > zip64Above || r.compressed > zip64Above || r.offset > zip64Above;
  const begin = (name: string): Buffer => {
    if (open) throw new Error('a zip entry is still being written');
    const bytes = Buffer.from(name, 'utf8');
    if (bytes.length > 0xffff) throw new Error('the name of a zip entry is too long');
    return bytes;
  };

  return {
    /** Starts an entry whose bytes come as they are made; it must be ended before the next begins. */
    stream(name: string): ZipEntryStream {
      const nameBytes = begin(name);
      open = true;
      const start = offset;
      emit(localHeader(nameBytes, NAME_IS_UTF8 | SIZES_AFTER_DATA, DEFLATED, 0, 0, 0));
      const deflate = zlib.createDeflateRaw({ level: STREAMED_COMPRESSION_LEVEL, chunkSize: DEFLATED_CHUNK_BYTES });
      let compressed = 0;
      deflate.on('data', (chunk: Buffer) => {
        compressed += chunk.length;
        if (!emit(chunk)) {
          deflate.pause();
          out.once('drain', () => deflate.resume());
        }
      });
      const deflated = once(deflate, 'end');
      deflated.catch(() => {});
      // An output that fails (a full disk) would never ask for more: deflate, and whoever waits on
      // it, fail with it.
      const abandon = (err: Error) => deflate.destroy(err);
      out.once('error', abandon);
      let crc = 0;
      let size = 0;
      /** Stretches in deflate's hands, oldest first, each with the promise of its being taken. */
      const busy: { stage: Buffer; taken: Promise<void> }[] = [];
      const spare = Array.from({ length: STAGES - 1 }, takeStage);
      /** The stretch being gathered: none while every one is in deflate's hands. */
      let stage: Buffer | null = takeStage();
      let used = 0;
      /** Hands the stretch gathered so far to deflate. */
      const hand = () => {
        if (!stage || used === 0) return;
        const bytes = stage.subarray(0, used);
        crc = zlib.crc32(bytes, crc);
        const taken = new Promise<void>((resolve, reject) => deflate.write(bytes, (err) => (err ? reject(err) : resolve())));
        // Awaited when its stretch is needed again, or at the end.
        taken.catch(() => {});
        busy.push({ stage, taken });
        stage = spare.pop() ?? null;
        used = 0;
      };
      return {
        async write(input) {
          const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
          size += bytes.length;
          for (let from = 0; from < bytes.length;) {
            if (!stage) {
              // Every stretch is in deflate's hands: the oldest, once taken.
              const oldest = busy.shift()!;
              await oldest.taken;
              stage = oldest.stage;
            }
            const n = Math.min(bytes.length - from, STAGE_BYTES - used);
            bytes.copy(stage, used, from, from + n);
            used += n;
            from += n;
            if (used === STAGE_BYTES) hand();
          }
        },
        async end() {
          hand();
          deflate.end();
          await deflated;
          out.off('error', abandon);
          await Promise.all(busy.map((b) => b.taken));
          stages.push(...spare, ...busy.map((b) => b.stage), ...(stage ? [stage] : []));
          const record: EntryRecord = {
            name: nameBytes,
            flags: NAME_IS_UTF8 | SIZES_AFTER_DATA,
            method: DEFLATED,
            crc,
            compressed,
            size,
            offset: start,
          };
          let descriptor: Buffer;
          if (isZip64(record)) {
            descriptor = Buffer.alloc(24);
            writeUInt64(descriptor, compressed, 8);
            writeUInt64(descriptor, size, 16);
          } else {
            descriptor = Buffer.alloc(16);
            descriptor.writeUInt32LE(compressed, 8);
            descriptor.writeUInt32LE(size, 12);
          }
          descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
          descriptor.writeUInt32LE(crc, 4);
          emit(descriptor);
          records.push(record);
          open = false;
          await drained();
        },
      };
    },

    /** Adds a whole file: deflated (off the process's thread) unless `compress` is false. */
    async buffer(bytes: Buffer, name: string, compress = true): Promise<void> {
      const nameBytes = begin(name);
      open = true;
      const data = compress ? await deflateRaw(bytes, BUFFER_COMPRESSION_LEVEL) : bytes;
      const record: EntryRecord = {
        name: nameBytes,
        flags: NAME_IS_UTF8,
        method: compress ? DEFLATED : STORED,
        crc: zlib.crc32(bytes),
        compressed: data.length,
        size: bytes.length,
        offset,
      };
      // Sizes that do not fit are in the central directory's ZIP64 field, as readers look for them there.
      const fits = (n: number) => (n > zip64Above ? 0xffffffff : n);
      emit(localHeader(nameBytes, record.flags, record.method, record.crc, fits(record.compressed), fits(record.size)));
      emit(data);
      records.push(record);
      open = false;
      await drained();
    },

    /** Writes the central directory and ends `out`. */
    async end(): Promise<void> {
      if (open) throw new Error('a zip entry is still being written');
      const directoryStart = offset;
      for (const r of records) {
        const zip64 = isZip64(r);
        const extra = zip64 ? Buffer.alloc(28) : Buffer.alloc(0);
        if (zip64) {
          extra.writeUInt16LE(0x0001, 0);
          extra.writeUInt16LE(24, 2);
          writeUInt64(extra, r.size, 4);
          writeUInt64(extra, r.compressed, 12);
          writeUInt64(extra, r.offset, 20);
        }
        const b = Buffer.alloc(46 + r.name.length + extra.length);
        b.writeUInt32LE(CENTRAL_HEADER, 0);
        b.writeUInt16LE(VERSION_MADE_BY, 4);
        b.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_DEFLATE, 6);
        b.writeUInt16LE(r.flags, 8);
        b.writeUInt16LE(r.method, 10);
        b.writeUInt16LE(time, 12);
        b.writeUInt16LE(date, 14);
        b.writeUInt32LE(r.crc, 16);
        b.writeUInt32LE(zip64 ? 0xffffffff : r.compressed, 20);
        b.writeUInt32LE(zip64 ? 0xffffffff : r.size, 24);
        b.writeUInt16LE(r.name.length, 28);
        b.writeUInt16LE(extra.length, 30);
        b.writeUInt16LE(0, 32); // comment
        b.writeUInt16LE(0, 34); // disk
        b.writeUInt16LE(0, 36); // internal attributes
        b.writeUInt32LE(FILE_ATTRIBUTES, 38);
        b.writeUInt32LE(zip64 ? 0xffffffff : r.offset, 42);
        r.name.copy(b, 46);
        extra.copy(b, 46 + r.name.length);
        if (!emit(b)) await drained();
      }
      const directorySize = offset - directoryStart;
      const zip64 = records.length >= 0xffff || directorySize > zip64Above || directoryStart > zip64Above;
      if (zip64) {
        const record = Buffer.alloc(56);
        record.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY, 0);
        writeUInt64(record, 56 - 12, 4);
        record.writeUInt16LE(VERSION_MADE_BY, 12);
        record.writeUInt16LE(VERSION_ZIP64, 14);
        writeUInt64(record, records.length, 24);
        writeUInt64(record, records.length, 32);
        writeUInt64(record, directorySize, 40);
        writeUInt64(record, directoryStart, 48);
        const locator = Buffer.alloc(20);
        locator.writeUInt32LE(ZIP64_END_LOCATOR, 0);
        writeUInt64(locator, offset, 8);
        locator.writeUInt32LE(1, 16);
        emit(record);
        emit(locator);
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
      end.writeUInt16LE(zip64 ? 0xffff : records.length, 8);
      end.writeUInt16LE(zip64 ? 0xffff : records.length, 10);
      end.writeUInt32LE(zip64 ? 0xffffffff : directorySize, 12);
      end.writeUInt32LE(zip64 ? 0xffffffff : directoryStart, 16);
      out.end(end);
    },
  };
}
export type ZipWriter = ReturnType<typeof createZipWriter>;
