/**
 * Reads the four fields of a My Number card over any PC/SC transport: select the
 * text-input-assist AP, check the PIN's tries left (a locked PIN is reported without spending
 * anything), VERIFY the PIN, select the basic-four file and READ BINARY it in chunks, then parse
 * it. The bytes are described in `text-ap.ts`.
 */
import { validationError } from '../../../platform/errors.js';
import {
  EF_BASIC_FOUR,
  EF_PIN,
  SW_OK,
  TEXT_AP_AID,
  getResponse,
  parseBasicFour,
  parseResponse,
  readBinary,
  readTlvHeader,
  selectApplication,
  selectFile,
  swHex,
  triesLeftQuery,
  verifyPin,
  type Response,
} from './text-ap.js';
import { CardReadError, type CardFields, type CardReader, type PcscTransport } from './types.js';

/** Largest basic-four file read (far beyond any real name and address): a broken card cannot make the reader loop. */
const MAX_FILE = 4096;
const CHUNK = 256;

const isLocked = (sw: number) => sw === 0x63c0 || sw === 0x6983 || sw === 0x6984;
const triesIn = (sw: number) => ((sw & 0xfff0) === 0x63c0 ? sw & 0x0f : undefined);
// READ BINARY past the end of the file: 6B00 (JICSAP), 6282 (ISO "end of file before Le bytes").
const isEndOfFile = (sw: number) => sw === 0x6b00 || sw === 0x6282;

export class ApduCardReader implements CardReader {
  readonly kind: string;
  /** Reads run one after another: two interleaved command sequences would confuse the card. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly transport: PcscTransport,
    opts: { kind?: string } = {},
  ) {
    this.kind = opts.kind ?? 'pcsc';
  }

  read(pin: string): Promise<CardFields> {
    const run = this.queue.then(() => this.readNow(pin));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readNow(pin: string): Promise<CardFields> {
    // A PIN the card cannot take never reaches it: a malformed VERIFY could still cost a try.
    if (!/^[0-9]{4}$/.test(pin)) throw validationError('the card PIN is 4 digits', [{ field: 'pin', message: 'must be 4 digits' }]);
    await this.expectOk(selectApplication(TEXT_AP_AID), 'selecting the text-input-assist application');
    await this.expectOk(selectFile(EF_PIN), 'selecting the PIN');
    const status = await this.send(triesLeftQuery());
    if (isLocked(status.sw)) throw new CardReadError('locked', 'the card PIN is locked');
    const verified = await this.send(verifyPin(pin));
    if (verified.sw !== SW_OK) {
      if (isLocked(verified.sw)) throw new CardReadError('locked', 'the card PIN is locked');
      const tries = triesIn(verified.sw);
      if (tries !== undefined) throw new CardReadError('wrong-pin', 'the card PIN is wrong', { triesLeft: tries });
      throw new CardReadError('unreadable', `the card refused the PIN check (SW ${swHex(verified.sw)})`);
    }
    await this.expectOk(selectFile(EF_BASIC_FOUR), 'selecting the basic-four file');
    return parseBasicFour(await this.readFile());
  }

  /** Reads the current EF: one chunk, then as much more as its TLV header says. */
  private async readFile(): Promise<Uint8Array> {
    const first = await this.send(readBinary(0, CHUNK));
    // A card may answer 6282 ("end of file before Le bytes") with the data of a short file.
    if (first.sw !== SW_OK && !(first.sw === 0x6282 && first.data.length > 0)) throw new CardReadError('unreadable', `the card refused to read the basic-four file (SW ${swHex(first.sw)})`);
    const header = readTlvHeader(first.data);
    if (!header) throw new CardReadError('unreadable', "the card's basic-four file is not as expected: no TLV header");
    const total = header.headerLength + header.length;
    if (total > MAX_FILE) throw new CardReadError('unreadable', "the card's basic-four file is not as expected: too long");
    const parts = [first.data];
    let have = first.data.length;
    while (have < total) {
      const next = await this.send(readBinary(have, Math.min(CHUNK, total - have)));
      if ((next.sw !== SW_OK && next.sw !== 0x6282) || next.data.length === 0) {
        const why = isEndOfFile(next.sw) || next.sw === SW_OK ? 'the file ended early' : `SW ${swHex(next.sw)}`;
        throw new CardReadError('unreadable', `the card stopped reading the basic-four file (${why})`);
      }
      parts.push(next.data);
      have += next.data.length;
    }
    const file = new Uint8Array(have);
    let at = 0;
    for (const p of parts) {
      file.set(p, at);
      at += p.length;
    }
    return file.subarray(0, total);
  }

  private async expectOk(apdu: Uint8Array, what: string): Promise<Response> {
    const r = await this.send(apdu);
    if (r.sw === SW_OK) return r;
    if (r.sw === 0x6a82 && apdu[2] === 0x04) throw new CardReadError('unreadable', 'this card has no text-input-assist application (not a My Number card?)');
    throw new CardReadError('unreadable', `the card refused ${what} (SW ${swHex(r.sw)})`);
  }

  /**
   * One exchange, following the two ISO conventions: 6Cxx (a command with only Le: send it again
   * with Le = xx) and 61xx (collect the rest with GET RESPONSE).
   */
  private async send(apdu: Uint8Array): Promise<Response> {
    let r = await this.exchange(apdu);
    if ((r.sw & 0xff00) === 0x6c00 && apdu.length === 5) {
      const again = Uint8Array.from(apdu);
      again[again.length - 1] = r.sw & 0xff;
      r = await this.exchange(again);
    }
    const data: Uint8Array[] = [r.data];
    for (let rounds = 0; (r.sw & 0xff00) === 0x6100; rounds++) {
      if (rounds > 64) throw new CardReadError('unreadable', 'the card kept answering "more data"');
      r = await this.exchange(getResponse(r.sw & 0xff));
      data.push(r.data);
    }
    if (data.length === 1) return r;
    const joined = new Uint8Array(data.reduce((n, d) => n + d.length, 0));
    let at = 0;
    for (const d of data) {
      joined.set(d, at);
      at += d.length;
    }
    return { data: joined, sw: r.sw };
  }

  private async exchange(apdu: Uint8Array): Promise<Response> {
    let raw: Uint8Array;
    try {
      raw = await this.transport.transmit(apdu);
    } catch (err) {
      if (err instanceof CardReadError) throw err;
      throw new CardReadError('unreadable', 'the card reader failed to exchange a command with the card');
    }
    return parseResponse(raw);
  }
}
