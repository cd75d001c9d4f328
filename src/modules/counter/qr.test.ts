import { describe, expect, it } from 'vitest';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { deriveKey } from '../../platform/crypto.js';
import { qrPng, qrSvg } from './qr.js';
import { issuePreEntryToken, newPreEntryId, readPreEntryToken } from './token.js';

const key = deriveKey('q'.repeat(40), 'qr');
// jsqr is CommonJS with an ES-style `default`: under NodeNext the default import is the module.
const jsQR = jsqr.default;

function decodePng(png: Buffer) {
  const image = PNG.sync.read(png);
  return { image, code: jsQR(new Uint8ClampedArray(image.data), image.width, image.height) };
}

describe('QR codes of pre-entry tokens', () => {
  it('makes a PNG that decodes back to the token, small enough for a version 3 symbol with a quiet zone', async () => {
    const token = issuePreEntryToken(key, newPreEntryId(), '2026-04-15');
    const { image, code } = decodePng(await qrPng(token));
    expect(code?.data).toBe(token);
    expect(readPreEntryToken(key, code!.data, '2026-04-01')).toMatchObject({ ok: true });
    expect(code?.version).toBe(3);
    expect(code?.chunks.every((c) => c.type === 'alphanumeric')).toBe(true);
    // (29 modules + 2 × 4 quiet) × 8 px
    expect([image.width, image.height]).toEqual([296, 296]);
    // The quiet zone is white: the first 32 rows and columns have no dark pixel.
    const dark = (x: number, y: number) => image.data[(y * image.width + x) * 4]! < 128;
    let darkInQuietZone = false;
    for (let y = 0; y < image.height; y++) for (let x = 0; x < 32; x++) darkInQuietZone ||= dark(x, y) || dark(y, x);
    expect(darkInQuietZone).toBe(false);
  });

  it('makes an SVG without a fixed size, with an escaped accessible name when asked', async () => {
    const svg = await qrSvg('YK1-TEST');
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 29 29"/); // version 1 (21 modules) + quiet zone
    expect(svg).not.toMatch(/<svg [^>]*\swidth=/);
    const labelled = await qrSvg('YK1-TEST', { label: '事前入力 <コード> & "QR"' });
    expect(labelled).toMatch(/^<svg [^>]*role="img" aria-label="事前入力 &#60;コード&#62; &#38; &#34;QR&#34;"><title>事前入力 &#60;コード&#62; &#38; &#34;QR&#34;<\/title>/);
  });
});
