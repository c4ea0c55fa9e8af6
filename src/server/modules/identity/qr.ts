import { createRequire } from 'node:module';
import type QRCodeLib from 'qrcode';

const require = createRequire(import.meta.url);
let qrcode: typeof QRCodeLib | undefined;
/** qrcode, loaded on the first code drawn (two-step sign-in set-up): it adds 8 MB to every start. */
function qrLib(): typeof QRCodeLib {
  return (qrcode ??= require('qrcode') as typeof QRCodeLib);
}

/**
 * A QR code as one SVG path (dark modules, one subpath per horizontal run) and its size in modules,
 * for the web to draw inside an `<svg>` of its own: no markup or data URL crosses the API.
 */
export function qrPath(text: string): { size: number; path: string } {
  const { modules } = qrLib().create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = modules;
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y * size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && data[y * size + x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h-${x - start}z`);
    }
  }
  return { size, path: parts.join('') };
}
