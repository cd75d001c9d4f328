/**
 * The My Number card's 券面事項入力補助AP (text-input-assist application) at the byte level:
 * its AID, file ids, the commands the reader sends, and the 基本4情報 (basic four) file.
 *
 * J-LIS does not publish the card's interface specification. What is here agrees across three
 * independent open-source readers — jpki/myna (Go, `libmyna`), AokiApp/jsapdu
 * (`@aokiapp/mynacard`) and soltia48/myna-card (Rust, which checks its parser against a dump
 * of a real card) — and ISO/IEC 7816-4 / JICSAP for the command encodings:
 *
 *   SELECT AP        00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08
 *   SELECT PIN IEF   00 A4 02 0C 02 00 11          (券面事項入力補助用暗証番号, 4 digits, 3 tries)
 *   tries left       00 20 00 80                   (VERIFY without data: 63Cx, nothing spent)
 *   VERIFY           00 20 00 80 04 <4 ASCII digits>
 *   SELECT EF        00 A4 02 0C 02 00 02          (基本4情報; needs the PIN)
 *   READ BINARY      00 B0 <offset hi> <offset lo> <Le>   (Le 00 = 256 bytes)
 *
 * The 基本4情報 file, BER-TLV with private-class tags, UTF-8 text, filler (FF) after it:
 *
 *   FF 20 <len>
 *     DF 21 <len> offset table: 16-bit offset of each field below from the file start
 *     DF 22 <len> 氏名, UTF-8, family and given name separated by U+3000
 *     DF 23 <len> 住所, UTF-8 (block numbers in full-width digits)
 *     DF 24 08    生年月日, 8 ASCII digits YYYYMMDD, Gregorian
 *     DF 25 01    性別, 1 ASCII digit (JIS X 0303: 1 male, 2 female, 9 not applicable, 0 not known)
 *
 * Not confirmed from a primary source: the status words a locked PIN answers (63C0 on the last
 * failure; 6983 or 6984 after it — all read as locked here), and sex codes other than 1 and 2
 * (only those appear in public dumps; "3" is read as not known).
 */
import { CardReadError, type CardFields, type CardSex } from './types.js';

export const TEXT_AP_AID = Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]);
export const EF_BASIC_FOUR = 0x0002;
export const EF_PIN = 0x0011;
export const PIN_TRIES = 3;

export const TAG_BASIC_FOUR = 0xff20;
export const TAG_OFFSETS = 0xdf21;
export const TAG_NAME = 0xdf22;
export const TAG_ADDRESS = 0xdf23;
export const TAG_BIRTH_DATE = 0xdf24;
export const TAG_SEX = 0xdf25;

export const SW_OK = 0x9000;

// ---- command APDUs ------------------------------------------------------------------------

export const selectApplication = (aid: Uint8Array) => Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, aid.length, ...aid]);
export const selectFile = (id: number) => Uint8Array.from([0x00, 0xa4, 0x02, 0x0c, 0x02, (id >> 8) & 0xff, id & 0xff]);
export const verifyPin = (pin: string) => Uint8Array.from([0x00, 0x20, 0x00, 0x80, pin.length, ...Array.from(pin, (c) => c.charCodeAt(0))]);
export const triesLeftQuery = () => Uint8Array.from([0x00, 0x20, 0x00, 0x80]);
/** READ BINARY of the current EF; `le` 1–256 (256 is sent as 00). */
export const readBinary = (offset: number, le: number) => Uint8Array.from([0x00, 0xb0, (offset >> 8) & 0x7f, offset & 0xff, le & 0xff]);
export const getResponse = (le: number) => Uint8Array.from([0x00, 0xc0, 0x00, 0x00, le & 0xff]);

export interface Response {
  data: Uint8Array;
  sw: number;
}

export function parseResponse(raw: Uint8Array): Response {
  if (raw.length < 2) throw new CardReadError('unreadable', 'the card answered with fewer than two bytes');
  return { data: raw.subarray(0, raw.length - 2), sw: (raw[raw.length - 2]! << 8) | raw[raw.length - 1]! };
}

export const swHex = (sw: number) => sw.toString(16).toUpperCase().padStart(4, '0');

// ---- BER-TLV --------------------------------------------------------------------------------

export interface TlvHeader {
  tag: number;
  /** Bytes of tag and length. */
  headerLength: number;
  length: number;
}

/** The header of the BER-TLV object at `at`; undefined when the bytes do not hold one yet. */
export function readTlvHeader(bytes: Uint8Array, at = 0): TlvHeader | undefined {
  let i = at;
  const first = bytes[i++];
  if (first === undefined) return undefined;
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    // High tag number: following bytes while b8 is set (at most 3 tag bytes here).
    for (;;) {
      const b = bytes[i++];
      if (b === undefined || i - at > 3) return undefined;
      tag = (tag << 8) | b;
      if ((b & 0x80) === 0) break;
    }
  }
  const l0 = bytes[i++];
  if (l0 === undefined || l0 === 0x80 || l0 > 0x83) return undefined; // no indefinite or huge lengths
  let length = l0;
  if (l0 > 0x80) {
    length = 0;
    for (let n = l0 & 0x7f; n > 0; n--) {
      const b = bytes[i++];
      if (b === undefined) return undefined;
      length = length * 256 + b;
    }
  }
  return { tag, headerLength: i - at, length };
}

function encodeLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  if (n < 0x10000) return [0x82, n >> 8, n & 0xff];
  throw new RangeError('TLV value too long');
}

const tagBytes = (tag: number) => (tag > 0xff ? [tag >> 8, tag & 0xff] : [tag]);

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  return Uint8Array.from([...tagBytes(tag), ...encodeLength(value.length), ...value]);
}

// ---- the basic-four file --------------------------------------------------------------------

const SEX_CODES: Record<CardSex, string> = { male: '1', female: '2', 'not-known': '0', 'not-applicable': '9' };

function sexOf(code: string): CardSex | undefined {
  switch (code) {
    case '1':
      return 'male';
    case '2':
      return 'female';
    case '9':
      return 'not-applicable';
    case '0':
    case '3': // named by some write-ups; not in JIS X 0303 — read as not known (unconfirmed)
      return 'not-known';
    default:
      return undefined;
  }
}

const unreadable = (what: string) => new CardReadError('unreadable', `the card's basic-four file is not as expected: ${what}`);

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Parses the 基本4情報 file (the TLV object; filler after it is ignored). Throws
 * `CardReadError('unreadable')` naming what is wrong — never the card's data.
 */
export function parseBasicFour(file: Uint8Array): CardFields {
  const outer = readTlvHeader(file);
  if (!outer || outer.tag !== TAG_BASIC_FOUR) throw unreadable('it does not start with tag FF20');
  const end = outer.headerLength + outer.length;
  if (end > file.length) throw unreadable('it is shorter than its length says');
  const fields = new Map<number, Uint8Array>();
  let at = outer.headerLength;
  while (at < end) {
    if (file[at] === 0xff || file[at] === 0x00) break; // filler inside the object
    const h = readTlvHeader(file, at);
    if (!h || at + h.headerLength + h.length > end) throw unreadable('a field runs past the end of the file');
    if (!fields.has(h.tag)) fields.set(h.tag, file.subarray(at + h.headerLength, at + h.headerLength + h.length));
    at += h.headerLength + h.length;
  }
  const text = (tag: number, what: string): string => {
    const value = fields.get(tag);
    if (!value) throw unreadable(`there is no ${what} (tag ${tag.toString(16).toUpperCase()})`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(value).replace(/\0+$/, '');
    } catch {
      throw unreadable(`the ${what} is not UTF-8`);
    }
  };
  const name = text(TAG_NAME, 'name').trim();
  const address = text(TAG_ADDRESS, 'address').trim();
  const birth = text(TAG_BIRTH_DATE, 'birth date');
  const sexCode = text(TAG_SEX, 'sex');
  if (!name) throw unreadable('the name is empty');
  if (!address) throw unreadable('the address is empty');
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(birth);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw unreadable('the birth date is not a date YYYYMMDD');
  const sex = sexOf(sexCode);
  if (!sex) throw unreadable('the sex is not a known code');
  return { name, address, birthDate: `${m[1]}-${m[2]}-${m[3]}`, sex };
}

/** Writes the 基本4情報 file of `fields` as a card holds it, offset table included (no filler). */
export function encodeBasicFour(fields: CardFields): Uint8Array {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const parts = [
    encodeTlv(TAG_NAME, utf8(fields.name)),
    encodeTlv(TAG_ADDRESS, utf8(fields.address)),
    encodeTlv(TAG_BIRTH_DATE, utf8(fields.birthDate.replaceAll('-', ''))),
    encodeTlv(TAG_SEX, utf8(SEX_CODES[fields.sex])),
  ];
  const tableLength = 3 + 2 * parts.length;
  const bodyLength = tableLength + parts.reduce((n, p) => n + p.length, 0);
  const outerHeader = tagBytes(TAG_BASIC_FOUR).length + encodeLength(bodyLength).length;
  const offsets: number[] = [];
  let at = outerHeader + tableLength;
  for (const p of parts) {
    offsets.push(at >> 8, at & 0xff);
    at += p.length;
  }
  const body = Uint8Array.from([...encodeTlv(TAG_OFFSETS, Uint8Array.from(offsets)), ...parts.flatMap((p) => [...p])]);
  return encodeTlv(TAG_BASIC_FOUR, body);
}
