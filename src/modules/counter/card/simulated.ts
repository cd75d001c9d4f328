/**
 * A simulated My Number card and reader, for development, tests and the demo. The card answers
 * the APDUs of the text-input-assist AP as `text-ap.ts` describes them — selection, a PIN with
 * 3 tries that locks, a protected basic-four file with filler after it — so the simulated path
 * runs the real `ApduCardReader`. It holds only what a card holds: the four fields and the PIN.
 */
import { ApduCardReader } from './apdu-reader.js';
import { EF_BASIC_FOUR, EF_PIN, PIN_TRIES, TEXT_AP_AID, encodeBasicFour } from './text-ap.js';
import { CardReadError, type CardFields, type CardReader, type PcscTransport } from './types.js';

const sw = (value: number, data: Uint8Array = new Uint8Array()) => Uint8Array.from([...data, value >> 8, value & 0xff]);

const SW = {
  ok: 0x9000,
  wrongLength: 0x6700,
  incompatibleFile: 0x6981,
  securityNotSatisfied: 0x6982,
  blocked: 0x6983,
  noCurrentEf: 0x6986,
  fileNotFound: 0x6a82,
  wrongP1P2: 0x6a86,
  offsetBeyondEnd: 0x6b00,
  unknownInstruction: 0x6d00,
  unknownClass: 0x6e00,
  conditionsNotSatisfied: 0x6985,
} as const;

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

interface Command {
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array | undefined;
  le: number | undefined;
}

/** Short APDUs only (ISO 7816-4 cases 1–4); undefined when the lengths do not add up. */
function parseCommand(apdu: Uint8Array): Command | undefined {
  if (apdu.length < 4) return undefined;
  const [, ins, p1, p2] = apdu as unknown as [number, number, number, number];
  if (apdu.length === 4) return { ins, p1, p2, data: undefined, le: undefined };
  if (apdu.length === 5) return { ins, p1, p2, data: undefined, le: apdu[4] || 256 };
  const lc = apdu[4]!;
  if (lc === 0) return undefined; // extended length: not spoken here
  if (apdu.length === 5 + lc) return { ins, p1, p2, data: apdu.subarray(5), le: undefined };
  if (apdu.length === 6 + lc) return { ins, p1, p2, data: apdu.subarray(5, 5 + lc), le: apdu[5 + lc] || 256 };
  return undefined;
}

export class SimulatedCard {
  readonly fields: CardFields;
  private readonly pin: string;
  private readonly basicFour: Uint8Array;
  private tries: number;
  private apSelected = false;
  private currentEf: number | undefined;
  private verified = false;

  /** A card holding `fields`, whose PIN is `pin` (4 digits; default 1234) with `triesLeft` tries (default 3). */
  constructor(fields: CardFields, opts: { pin?: string; triesLeft?: number } = {}) {
    const pin = opts.pin ?? '1234';
    if (!/^[0-9]{4}$/.test(pin)) throw new RangeError('a simulated card PIN is 4 digits');
    this.fields = Object.freeze({ ...fields });
    this.pin = pin;
    this.tries = Math.max(0, Math.min(PIN_TRIES, opts.triesLeft ?? PIN_TRIES));
    const file = encodeBasicFour(fields);
    // The EF is larger than its TLV object; the rest is FF filler, as on real cards.
    this.basicFour = new Uint8Array(Math.ceil((file.length + 1) / 32) * 32).fill(0xff);
    this.basicFour.set(file);
  }

  get triesLeft(): number {
    return this.tries;
  }

  get locked(): boolean {
    return this.tries === 0;
  }

  /** Power-on: nothing selected, no PIN presented (the tries counter is kept, as on a card). */
  reset(): void {
    this.apSelected = false;
    this.currentEf = undefined;
    this.verified = false;
  }

  /** Answers one command APDU with data and SW1 SW2. */
  transmit(apdu: Uint8Array): Uint8Array {
    if (apdu[0] !== 0x00) return sw(apdu.length < 4 ? SW.wrongLength : SW.unknownClass);
    const c = parseCommand(apdu);
    if (!c) return sw(SW.wrongLength);
    switch (c.ins) {
      case 0xa4:
        return this.select(c);
      case 0x20:
        return this.verify(c);
      case 0xb0:
        return this.readBinary(c);
      case 0xc0:
        return sw(SW.conditionsNotSatisfied); // this card never leaves data waiting
      default:
        return sw(SW.unknownInstruction);
    }
  }

  private select(c: Command): Uint8Array {
    if (!c.data || (c.p2 !== 0x0c && c.p2 !== 0x00)) return sw(c.data ? SW.wrongP1P2 : SW.wrongLength);
    if (c.p1 === 0x04) {
      if (!equal(c.data, TEXT_AP_AID)) return sw(SW.fileNotFound);
      // Selecting the application (again) clears its security status.
      this.apSelected = true;
      this.currentEf = undefined;
      this.verified = false;
      return sw(SW.ok);
    }
    if (c.p1 === 0x02) {
      if (c.data.length !== 2) return sw(SW.wrongLength);
      const id = (c.data[0]! << 8) | c.data[1]!;
      if (!this.apSelected || (id !== EF_BASIC_FOUR && id !== EF_PIN)) return sw(SW.fileNotFound);
      this.currentEf = id;
      return sw(SW.ok);
    }
    return sw(SW.wrongP1P2);
  }

  private verify(c: Command): Uint8Array {
    if (c.p1 !== 0x00 || (c.p2 !== 0x80 && c.p2 !== (0x80 | EF_PIN))) return sw(SW.wrongP1P2);
    if (!this.apSelected) return sw(SW.fileNotFound);
    if (c.p2 === 0x80 && this.currentEf !== EF_PIN) return sw(SW.noCurrentEf);
    this.currentEf = EF_PIN;
    if (c.le !== undefined) return sw(SW.wrongLength);
    if (!c.data) return sw(this.locked ? 0x63c0 : 0x63c0 | this.tries); // tries left; nothing spent
    if (this.locked) return sw(SW.blocked);
    const given = String.fromCharCode(...c.data);
    if (given === this.pin) {
      this.tries = PIN_TRIES;
      this.verified = true;
      return sw(SW.ok);
    }
    this.tries -= 1;
    this.verified = false;
    return sw(0x63c0 | this.tries);
  }

  private readBinary(c: Command): Uint8Array {
    if (c.data || c.le === undefined) return sw(SW.wrongLength);
    let offset: number;
    if (c.p1 & 0x80) {
      // Short EF identifier in P1, 8-bit offset in P2.
      if (c.p1 & 0x60) return sw(SW.wrongP1P2);
      const sfi = c.p1 & 0x1f;
      if (!this.apSelected || (sfi !== EF_BASIC_FOUR && sfi !== EF_PIN)) return sw(SW.fileNotFound);
      this.currentEf = sfi;
      offset = c.p2;
    } else {
      if (this.currentEf === undefined) return sw(SW.noCurrentEf);
      offset = (c.p1 << 8) | c.p2;
    }
    if (this.currentEf === EF_PIN) return sw(SW.incompatibleFile);
    if (!this.verified) return sw(SW.securityNotSatisfied);
    if (offset >= this.basicFour.length) return sw(SW.offsetBeyondEnd);
    return sw(SW.ok, this.basicFour.subarray(offset, offset + c.le));
  }
}

/**
 * A reader with a slot for one simulated card: `insert` and `remove` it; `read` runs the APDU
 * reader against whatever is inserted (no card → `CardReadError('no-card')`).
 */
export class SimulatedCardReader implements CardReader {
  readonly kind = 'simulated';
  private card: SimulatedCard | undefined;
  private readonly reader: ApduCardReader;

  constructor(card?: SimulatedCard) {
    const transport: PcscTransport = {
      transmit: async (apdu) => {
        if (!this.card) throw new CardReadError('no-card', 'there is no card in the reader');
        return this.card.transmit(apdu);
      },
    };
    this.reader = new ApduCardReader(transport, { kind: 'simulated' });
    if (card) this.insert(card);
  }

  /** Puts a card in the slot (it powers up: nothing selected, no PIN presented). */
  insert(card: SimulatedCard): void {
    card.reset();
    this.card = card;
  }

  remove(): void {
    this.card = undefined;
  }

  get inserted(): SimulatedCard | undefined {
    return this.card;
  }

  read(pin: string): Promise<CardFields> {
    return this.reader.read(pin);
  }
}
