import { createRequire } from 'node:module';
import yauzl from 'yauzl';

/** A CRC-32 in JavaScript, apart from what the zip writer used: each entry's checksum is checked with it. */
const crc32 = createRequire(import.meta.url)('buffer-crc32') as { unsigned(data: Buffer): number };

/** Every entry of a zip file held in memory, by name (tests read exports through it); a wrong checksum rejects. */
export async function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          const data = Buffer.concat(chunks);
          if (crc32.unsigned(data) !== entry.crc32) return reject(new Error(`${entry.fileName}: its CRC-32 does not match its bytes`));
          files.set(entry.fileName, data);
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}
