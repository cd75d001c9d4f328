/**
 * The lottery's draw (抽選), pure and public so anyone can re-run it. Its inputs are what the
 * round published: the slots (with the units each claims), the slots that could not be let
 * when it was drawn (closed meanwhile), the entries sorted by id — each naming its slot and a
 * pseudonym of its booker (b1, b2 … in order of first entry; never a person) — and how many
 * slots one booker may win. The seed is 32 random bytes, chosen at the draw and stored.
 *
 *   1. Every entry gets a ticket: HMAC-SHA256(key = seed, message = the entry's id), in hex.
 *   2. Entries are taken in ticket order (lowest first; equal tickets by id).
 *   3. An entry wins unless its slot could not be let, or a winner before it already claimed
 *      one of its units over an overlapping time (the gym's full court and its halves), or its
 *      booker has already won as many slots as the round allows.
 *
 * Nobody can steer it: the seed is drawn after applications closed, entry ids are random,
 * and the order depends on both. The same seed and inputs always give the same winners.
 */
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'hmac-sha256-ticket-order/v1';

export interface DrawSlot {
  /** `<unit code>@<start ISO>`. */
  key: string;
  unit: string;
  /** The unit codes it claims (its parts, or itself). */
  claims: string[];
  start: string;
  end: string;
}

export interface DrawEntry {
  id: string;
  /** The key of the slot applied for. */
  slot: string;
  /** The booker's pseudonym in this round. */
  booker: string;
}

export interface DrawInputs {
  algorithm: typeof ALGORITHM;
  roundId: string;
  maxWins: number;
  slots: DrawSlot[];
  /** Keys of slots that could not be let at the draw. */
  unavailable: string[];
  /** Sorted by id. */
  entries: DrawEntry[];
}

export type Outcome = 'won' | 'lost';
export type LostBecause = 'slot-unavailable' | 'slot-taken' | 'booker-limit';

export interface DrawLine {
  entry: string;
  ticket: string;
  outcome: Outcome;
  because?: LostBecause;
}

export interface DrawResult {
  /** Every entry in ticket order, with what became of it. */
  order: DrawLine[];
  /** The winning entries' ids, in ticket order. */
  winners: string[];
}

export const slotKey = (unitCode: string, start: Date | string): string => `${unitCode}@${typeof start === 'string' ? start : start.toISOString()}`;

export const ticketOf = (seed: Buffer, entryId: string): string => createHmac('sha256', seed).update(entryId, 'utf8').digest('hex');

/** A digest of the inputs as published (canonical JSON: the fields in a fixed order). */
export function inputsDigest(inputs: DrawInputs): string {
  const canonical = JSON.stringify([
    inputs.algorithm,
    inputs.roundId,
    inputs.maxWins,
    inputs.slots.map((s) => [s.key, s.unit, [...s.claims], s.start, s.end]),
    [...inputs.unavailable],
    inputs.entries.map((e) => [e.id, e.slot, e.booker]),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Runs the draw. Throws when the inputs are not what a round publishes (so a re-run cannot silently differ). */
export function drawLottery(seedHex: string, inputs: DrawInputs): DrawResult {
  if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new Error('the seed is 32 bytes in hex');
  if (inputs.algorithm !== ALGORITHM) throw new Error(`unknown draw algorithm ${String(inputs.algorithm)}`);
  const seed = Buffer.from(seedHex, 'hex');
  const slots = new Map(inputs.slots.map((s) => [s.key, s]));
  const unavailable = new Set(inputs.unavailable);
  const lines = inputs.entries.map((e) => ({ e, ticket: ticketOf(seed, e.id) }));
  lines.sort((a, b) => (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
  const taken: { unit: string; start: number; end: number }[] = [];
  const wins = new Map<string, number>();
  const order: DrawLine[] = [];
  for (const { e, ticket } of lines) {
    const slot = slots.get(e.slot);
    if (!slot) throw new Error(`entry ${e.id} names no slot of the round`);
    const start = Date.parse(slot.start);
    const end = Date.parse(slot.end);
    let because: LostBecause | undefined;
    if (unavailable.has(slot.key)) because = 'slot-unavailable';
    else if (taken.some((c) => slot.claims.includes(c.unit) && c.start < end && start < c.end)) because = 'slot-taken';
    else if ((wins.get(e.booker) ?? 0) >= inputs.maxWins) because = 'booker-limit';
    if (because) {
      order.push({ entry: e.id, ticket, outcome: 'lost', because });
      continue;
    }
    for (const unit of slot.claims) taken.push({ unit, start, end });
    wins.set(e.booker, (wins.get(e.booker) ?? 0) + 1);
    order.push({ entry: e.id, ticket, outcome: 'won' });
  }
  return { order, winners: order.filter((l) => l.outcome === 'won').map((l) => l.entry) };
}

/** Pseudonyms for bookers in order of their first entry (entries sorted by id): b1, b2, … */
export function pseudonyms(entries: readonly { id: string; bookerKey: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!out.has(e.bookerKey)) out.set(e.bookerKey, `b${out.size + 1}`);
  }
  return out;
}
