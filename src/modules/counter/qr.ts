/**
 * QR codes of pre-entry tokens, for a phone screen or paper. Error correction M (a scratched
 * print or a cracked screen still reads), the standard quiet zone of 4 modules, and modules of
 * 8 px in the PNG: a 46-character token is a version 3 symbol (29 modules), 296 px wide — easy
 * for a counter webcam or a USB scanner. The SVG has no fixed size and prints sharp at any size.
 */
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;
const MODULE_PX = 8;

/** The QR code of `text` as a PNG image. */
export async function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...OPTIONS, type: 'png', scale: MODULE_PX, color: { dark: '#000000ff', light: '#ffffffff' } });
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The QR code of `text` as an SVG document (no width or height: size it with CSS). With
 * `label`, the image carries it as its accessible name (`role="img"` and a `<title>`).
 */
export async function qrSvg(text: string, opts: { label?: string } = {}): Promise<string> {
  const svg = await QRCode.toString(text, { ...OPTIONS, type: 'svg', color: { dark: '#000000ff', light: '#ffffffff' } });
  if (!opts.label) return svg;
  const label = escapeXml(opts.label);
  return svg.replace(/^<svg\b([^>]*)>/, `<svg$1 role="img" aria-label="${label}"><title>${label}</title>`);
}
