/**
 * What a My Number card reader gives the counter: the four fields of the card's
 * 券面事項入力補助AP (text-input-assist application), read with the card holder's 4-digit PIN.
 * A reader is anything that can produce them — the APDU reader over a PC/SC transport, the
 * simulated reader, or a desk agent that posts what it read.
 */
import { DomainError } from '../../../platform/errors.js';

/**
 * Sex as the card writes it (one digit, JIS X 0303 / ISO 5218): 1 male, 2 female, 9 not
 * applicable, 0 not known. Cards seen in public write-ups carry 1 or 2 only.
 */
export type CardSex = 'male' | 'female' | 'not-known' | 'not-applicable';

export interface CardFields {
  /** 氏名 as on the card: family and given name separated by a space (U+3000 on real cards, or half-width), or none. */
  name: string;
  /** 住所 as on the card, one string (real cards write block numbers in full-width digits). */
  address: string;
  /** 生年月日, Gregorian, YYYY-MM-DD. */
  birthDate: string;
  sex: CardSex;
}

export interface CardReader {
  /** What kind of reader this is, for logs and the staff screen (e.g. `pcsc`, `simulated`). */
  readonly kind: string;
  /**
   * Reads the four fields, presenting `pin` (4 digits) to the card. Throws `CardReadError`
   * (no-card, wrong-pin with the tries left, locked, unreadable), or a validation error —
   * before anything reaches the card — when `pin` is not 4 digits.
   */
  read(pin: string): Promise<CardFields>;
}

/**
 * One command APDU to the card in the reader, one response APDU back (data followed by SW1 SW2)
 * — what a PC/SC binding offers (e.g. `@pokusew/pcsclite`'s `reader.transmit`). An adapter
 * rejects with `CardReadError('no-card')` when no card is present; any other rejection is
 * reported as `unreadable`.
 */
export interface PcscTransport {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

export type CardReadProblem = 'no-card' | 'wrong-pin' | 'locked' | 'unreadable';

/**
 * A card could not be read. The message names the problem, never card data; `triesLeft` is set
 * for a wrong PIN when the card reported it. Staff screens show `counter.card.error.<reason>`.
 */
export class CardReadError extends DomainError {
  readonly reason: CardReadProblem;
  readonly triesLeft: number | undefined;
  constructor(reason: CardReadProblem, message: string, opts: { triesLeft?: number } = {}) {
    super('unprocessable', message, { detail: { reason, ...(opts.triesLeft !== undefined ? { triesLeft: opts.triesLeft } : {}) } });
    this.name = 'CardReadError';
    this.reason = reason;
    this.triesLeft = opts.triesLeft;
  }
}

/** Family and given name of a card's 氏名, split at its space; undefined when it has none. */
export function splitCardName(name: string): { familyName: string; givenName: string } | undefined {
  const m = /^\s*(\S+)[\s\u3000]+(\S.*?)\s*$/u.exec(name);
  return m ? { familyName: m[1]!, givenName: m[2]! } : undefined;
}
