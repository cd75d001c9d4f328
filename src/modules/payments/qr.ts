/** The simulated QR-code payment's picture: an SVG (no fixed size) carrying its accessible name. */
import QRCode from 'qrcode';

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function qrSvg(text: string, opts: { label: string }): Promise<string> {
  const svg = await QRCode.toString(text, { errorCorrectionLevel: 'M', margin: 4, type: 'svg', color: { dark: '#000000ff', light: '#ffffffff' } });
  const label = escapeXml(opts.label);
  return svg.replace(/^<svg\b([^>]*)>/, `<svg$1 role="img" aria-label="${label}"><title>${label}</title>`);
}
