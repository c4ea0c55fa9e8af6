/**
 * What a file is, read from its own bytes. Security: the client's content type and the file's name
 * are never trusted; an HTML page renamed `.pdf` is none of these and is refused.
 */
import type { AttachmentType } from '../../../contracts/attachments.js';

const PDF = Buffer.from('%PDF-');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

/**
 * The names of a zip file's entries, from its central directory; null when the bytes are not a
 * well-formed zip (no end record, or a directory pointing outside the file).
 */
export function zipEntryNames(file: Buffer): string[] | null {
  if (file.length < 22 || file.readUInt32LE(0) !== ZIP_LOCAL) return null;
  // The end record is in the last 22 bytes plus a comment of at most 65,535 bytes.
  let end = -1;
  for (let i = file.length - 22; i >= Math.max(0, file.length - 22 - 0xffff); i--) {
    if (file.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = file.readUInt16LE(end + 10);
  let at = file.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || file.readUInt32LE(at) !== ZIP_CENTRAL) return null;
    const nameLength = file.readUInt16LE(at + 28);
    const extraLength = file.readUInt16LE(at + 30);
    const commentLength = file.readUInt16LE(at + 32);
    if (at + 46 + nameLength > end) return null;
    names.push(file.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The type of an accepted file, or null for anything else. */
export function detectAttachmentType(file: Buffer): AttachmentType | null {
  if (file.subarray(0, PDF.length).equals(PDF)) return 'application/pdf';
  if (file.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (file.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  const names = zipEntryNames(file);
  // A Word document is a zip holding its content-types part and its main document part.
  if (names?.includes('[Content_Types].xml') && names.includes('word/document.xml')) {
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  }
  return null;
}
