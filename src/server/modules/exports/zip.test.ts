import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { unzip } from '../../../../test/support/unzip.js';
import { createZipWriter, type ZipWriterOptions } from './zip.js';

/** A writable that keeps what it is given, slowly when asked (a few milliseconds a write), and says when to wait. */
function sink(slow = false) {
  const parts: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, done) {
      parts.push(Buffer.from(chunk));
      if (slow) setTimeout(done, 2);
      else done();
    },
  });
  const finished = new Promise<Buffer>((resolve, reject) => {
    out.on('finish', () => resolve(Buffer.concat(parts)));
    out.on('error', reject);
  });
  return { out, finished };
}

/** Text of `size` bytes that deflates as sheets do (repetitive, with some noise). */
function text(size: number, seed: number): Buffer {
  const row = Buffer.from(`<row><c t="str"><v>${seed} ${randomBytes(12).toString('hex')}</v></c></row>`);
  const out = Buffer.alloc(size);
  for (let at = 0; at < size; at += row.length) row.copy(out, at);
  return out;
}

/**
 * Writes two streamed entries, in chunks of awkward sizes through one buffer the caller writes over
 * as soon as each write resolves, and two whole ones; returns the zip and what each entry holds.
 */
async function writeZip(options: ZipWriterOptions = {}, slow = false) {
  const { out, finished } = sink(slow);
  const zip = createZipWriter(out, options);
  const expected = new Map<string, Buffer>();
  const reused = Buffer.alloc(300_000);
  for (const [name, size] of [
    ['xl/worksheets/sheet1.xml', 1_300_000],
    ['données/réponses.csv', 70_001],
  ] as const) {
    const content = text(size, size);
    const entry = zip.stream(name);
    for (let at = 0, step = 1; at < content.length; at += step, step = (step * 7 + 13) % 290_000) {
      const n = Math.min(step, content.length - at);
      content.copy(reused, 0, at, at + n);
      await entry.write(reused.subarray(0, n));
      // Written over at once: the zip must have taken its own copy.
      reused.fill(0x21, 0, n);
    }
    await entry.end();
    expected.set(name, content);
  }
  const empty = zip.stream('empty.txt');
  await empty.end();
  expected.set('empty.txt', Buffer.alloc(0));
  const document = randomBytes(100_000);
  await zip.buffer(document, 'files/document.pdf');
  expected.set('files/document.pdf', document);
  const small = Buffer.from('<?xml version="1.0"?><styleSheet/>');
  await zip.buffer(small, 'xl/styles.xml', false);
  expected.set('xl/styles.xml', small);
  await zip.end();
  return { bytes: await finished, expected };
}

describe('the export’s zip writer', () => {
  it('writes entries that read back whole, their checksums right, whatever the chunks and however slow the output', async () => {
    for (const slow of [false, true]) {
      const { bytes, expected } = await writeZip({}, slow);
      const files = await unzip(bytes);
      expect([...files.keys()]).toEqual([...expected.keys()]);
      for (const [name, content] of expected) expect(files.get(name)!.equals(content), name).toBe(true);
      // Deflated: the repetitive text is much smaller in the zip.
      expect(bytes.length).toBeLessThan(1_500_000 / 4 + 100_000);
    }
  });

  it('writes ZIP64 sizes and offsets, read back as such, when they are past the 32-bit fields', async () => {
    const { bytes, expected } = await writeZip({ zip64Above: 0 });
    // The ZIP64 end of central directory record and its locator.
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    const files = await unzip(bytes);
    for (const [name, content] of expected) expect(files.get(name)!.equals(content), name).toBe(true);
  });

  it('names an entry in UTF-8 and dates it', async () => {
    const { out, finished } = sink();
    const zip = createZipWriter(out, { date: new Date(2026, 11, 8, 13, 45, 30) });
    const entry = zip.stream('réponses.csv');
    await entry.write('a,b\n');
    await entry.end();
    await zip.end();
    const bytes = await finished;
    // The local header: UTF-8 name flag (bit 11) and sizes after the data (bit 3); DOS time and date.
    expect(bytes.readUInt16LE(6)).toBe((1 << 11) | (1 << 3));
    expect(bytes.readUInt16LE(10)).toBe((13 << 11) | (45 << 5) | 15);
    expect(bytes.readUInt16LE(12)).toBe(((2026 - 1980) << 9) | (12 << 5) | 8);
    expect((await unzip(bytes)).get('réponses.csv')!.toString()).toBe('a,b\n');
  });

  it('fails, rather than waits, when its output fails midway (a full disk)', async () => {
    let taken = 0;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        taken += chunk.length;
        done(taken > 200_000 ? Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }) : undefined);
      },
    });
    out.on('error', () => {});
    const zip = createZipWriter(out);
    const entry = zip.stream('answers.csv');
    const written = (async () => {
      for (let i = 0; i < 200; i++) await entry.write(randomBytes(256 * 1024));
      await entry.end();
    })();
    await expect(written).rejects.toThrow();
  });

  it('refuses a second entry while one is being written', async () => {
    const { out } = sink();
    const zip = createZipWriter(out);
    const first = zip.stream('a.txt');
    expect(() => zip.stream('b.txt')).toThrow(/still being written/);
    await first.end();
    await expect(zip.buffer(Buffer.from('x'), 'c.txt')).resolves.toBeUndefined();
    // Let the output take what was written before it is dropped.
    await sleep(1);
  });
});
