import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import yazl from 'yazl';

/** The CRC-32 yazl computes every entry's checksum with (its own copy of buffer-crc32). */
interface Crc32Module {
  unsigned(data: Buffer, previous?: number): number;
}

/**
 * yazl computes each entry's CRC-32 in JavaScript (buffer-crc32, a table lookup per byte): 1.4 s of
 * a full export's CPU in a profile of a 5,000-app institution. Node's zlib computes the same checksum
 * natively (`zlib.crc32`, Node 20.15 and later): yazl's copy of the module is pointed at it. Nothing
 * else loads that copy; on an older Node it is left as it is.
 */
function nativeCrc32(): void {
  if (typeof zlib.crc32 !== 'function') return;
  const fromYazl = createRequire(createRequire(import.meta.url).resolve('yazl'));
  const crc = fromYazl('buffer-crc32') as Crc32Module;
  crc.unsigned = (data, previous = 0) => zlib.crc32(data, previous);
}
nativeCrc32();

/**
 * The deflate level of the text an export streams into its zip (sheets, CSV files). Deflate at the
 * default level 6 took 1.3 s of a 5,000-app institution's XLSX export (123 MB of SpreadsheetML into
 * 13.0 MB) and 0.44 s of its CSV zip (49 MB into 4.1 MB); level 1 takes 0.41–0.48 s and 0.15–0.20 s
 * for 15.3 and 4.8 MB. The files hold the same bytes once unzipped.
 */
export const STREAMED_COMPRESSION_LEVEL = 1;

/** yazl, checksumming natively: the exports' zip files (XLSX workbooks and CSV zips) are written with it. */
export { yazl };
