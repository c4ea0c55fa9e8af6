import jsqr from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrPath } from './qr.js';

// The package is CommonJS with a `default` property; its types describe the ES default export.
const jsQR = (jsqr as unknown as { default: typeof jsqr.default }).default;

/** Draws the path's runs (`M x y h w v1 h-w z`) as RGBA pixels, `scale` per module, with a 4-module quiet zone. */
function rasterize({ size, path }: { size: number; path: string }, scale = 4) {
  const side = (size + 8) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const m of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let py = (y + 4) * scale; py < (y + 5) * scale; py++)
      for (let px = (x + 4) * scale; px < (x + 4 + w) * scale; px++) pixels.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
  }
  return { pixels, side };
}

describe('QR code of the authenticator setup link', () => {
  it('is a path that a QR reader decodes back to the otpauth URI', () => {
    const uri = 'otpauth://totp/Vetted:m.okafor%40cedarvalley.example?issuer=Vetted&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30';
    const qr = qrPath(uri);
    expect(qr.size).toBeGreaterThanOrEqual(21);
    expect(qr.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
    const { pixels, side } = rasterize(qr);
    expect(jsQR(pixels, side, side)?.data).toBe(uri);
    const other = rasterize(qrPath(`${uri}x`));
    expect(jsQR(other.pixels, other.side, other.side)?.data).toBe(`${uri}x`);
  });
});
