/**
 * The draw, pure: tickets are HMAC-SHA256(seed, entry id); the same seed and inputs give the
 * same winners whatever order the entries come in; a slot goes to one entry; a full court and
 * its halves exclude each other; a booker wins at most `maxWins`; a slot that could not be let
 * goes to nobody; every entry of a slot is equally likely to win.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALGORITHM, drawLottery, inputsDigest, pseudonyms, slotKey, ticketOf, type DrawInputs } from './lottery-draw.js';

const slot = (unit: string, start: string, end: string, claims = [unit]) => ({ key: slotKey(unit, start), unit, claims, start, end });
const SAT = slot('hall', '2027-01-09T04:00:00.000Z', '2027-01-09T08:00:00.000Z');
const SUN = slot('hall', '2027-01-10T04:00:00.000Z', '2027-01-10T08:00:00.000Z');
const inputs = (entries: { id: string; slot: string; booker: string }[], o: Partial<DrawInputs> = {}): DrawInputs => ({
  algorithm: ALGORITHM, roundId: '00000000-0000-4000-8000-000000000000', maxWins: 1, slots: [SAT, SUN], unavailable: [], entries: [...entries].sort((a, b) => (a.id < b.id ? -1 : 1)), ...o,
});
const ids = (n: number) => Array.from({ length: n }, () => randomUUID()).sort();

describe('the lottery draw', () => {
  it('orders entries by HMAC-SHA256(seed, entry id) and gives each slot to the first', () => {
    const seed = randomBytes(32).toString('hex');
    const e = ids(5).map((id, i) => ({ id, slot: SAT.key, booker: `b${i + 1}` }));
    const r = drawLottery(seed, inputs(e));
    const expected = e.map((x) => ({ id: x.id, ticket: createHmac('sha256', Buffer.from(seed, 'hex')).update(x.id).digest('hex') })).sort((a, b) => (a.ticket < b.ticket ? -1 : 1));
    expect(r.order.map((l) => l.entry)).toEqual(expected.map((x) => x.id));
    expect(r.order.map((l) => l.ticket)).toEqual(expected.map((x) => x.ticket));
    expect(r.winners).toEqual([expected[0]!.id]);
    expect(r.order.slice(1).every((l) => l.outcome === 'lost' && l.because === 'slot-taken')).toBe(true);
    expect(ticketOf(Buffer.from(seed, 'hex'), e[0]!.id)).toBe(expected.find((x) => x.id === e[0]!.id)!.ticket);
  });

  it('gives the same winners for the same seed and inputs, whatever order they are listed in', () => {
    const seed = randomBytes(32).toString('hex');
    const e = ids(40).map((id, i) => ({ id, slot: i % 2 ? SAT.key : SUN.key, booker: `b${(i % 13) + 1}` }));
    const a = drawLottery(seed, inputs(e));
    const b = drawLottery(seed, { ...inputs(e), entries: [...e].reverse() });
    expect(b).toEqual(a);
    expect(drawLottery(seed, JSON.parse(JSON.stringify(inputs(e))) as DrawInputs)).toEqual(a);
    // Another seed, another draw (with 20 entries per slot, the same two winners would be a 1 in 400 chance).
    const other = drawLottery(randomBytes(32).toString('hex'), inputs(e));
    expect(other.order.map((l) => l.entry)).not.toEqual(a.order.map((l) => l.entry));
  });

  it('lets one booker win at most maxWins slots', () => {
    const seed = randomBytes(32).toString('hex');
    const [x, y] = ids(2);
    const both = inputs([{ id: x!, slot: SAT.key, booker: 'b1' }, { id: y!, slot: SUN.key, booker: 'b1' }]);
    expect(drawLottery(seed, both).winners).toHaveLength(1);
    expect(drawLottery(seed, both).order.find((l) => l.outcome === 'lost')!.because).toBe('booker-limit');
    expect(drawLottery(seed, { ...both, maxWins: 2 }).winners).toHaveLength(2);
  });

  it('never gives overlapping claims: the full court against its halves', () => {
    const full = slot('zenmen', '2027-01-09T00:00:00.000Z', '2027-01-09T02:00:00.000Z', ['hanmen-a', 'hanmen-b']);
    const half = slot('hanmen-a', '2027-01-09T00:00:00.000Z', '2027-01-09T02:00:00.000Z');
    const other = slot('hanmen-b', '2027-01-09T02:00:00.000Z', '2027-01-09T04:00:00.000Z');
    for (let i = 0; i < 50; i += 1) {
      const e = ids(3).map((id, j) => ({ id, slot: [full.key, half.key, other.key][j]!, booker: `b${j + 1}` }));
      const r = drawLottery(randomBytes(32).toString('hex'), inputs(e, { slots: [full, half, other] }));
      const won = new Set(r.winners.map((w) => e.find((x) => x.id === w)!.slot));
      expect(won.has(full.key) && won.has(half.key)).toBe(false);
      expect(won.has(other.key)).toBe(true); // later, on the other half: never in the way
      expect(won.size).toBe(2);
    }
  });

  it('gives a slot that could not be let to nobody', () => {
    const e = ids(3).map((id, i) => ({ id, slot: SAT.key, booker: `b${i + 1}` }));
    const r = drawLottery(randomBytes(32).toString('hex'), inputs(e, { unavailable: [SAT.key] }));
    expect(r.winners).toEqual([]);
    expect(r.order.every((l) => l.because === 'slot-unavailable')).toBe(true);
  });

  it('is fair: each of four entries wins about a quarter of 4,000 draws', () => {
    const e = ids(4).map((id, i) => ({ id, slot: SAT.key, booker: `b${i + 1}` }));
    const wins = new Map<string, number>();
    for (let i = 0; i < 4000; i += 1) {
      const w = drawLottery(randomBytes(32).toString('hex'), inputs(e)).winners[0]!;
      wins.set(w, (wins.get(w) ?? 0) + 1);
    }
    // Binomial(4000, 0.25): mean 1000, sd ≈ 27; 150 is more than five sd.
    for (const x of e) expect(Math.abs((wins.get(x.id) ?? 0) - 1000)).toBeLessThan(150);
  });

  it('refuses inputs that are not a round’s, and digests them canonically', () => {
    const e = ids(2).map((id, i) => ({ id, slot: SAT.key, booker: `b${i + 1}` }));
    expect(() => drawLottery('00', inputs(e))).toThrow(/seed/);
    expect(() => drawLottery('a'.repeat(64), { ...inputs(e), algorithm: 'other' as typeof ALGORITHM })).toThrow(/algorithm/);
    expect(() => drawLottery('a'.repeat(64), inputs([{ id: e[0]!.id, slot: 'nowhere@x', booker: 'b1' }]))).toThrow(/slot/);
    const d = inputsDigest(inputs(e));
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsDigest(JSON.parse(JSON.stringify(inputs(e))) as DrawInputs)).toBe(d);
    expect(inputsDigest(inputs(e, { maxWins: 2 }))).not.toBe(d);
  });

  it('names bookers b1, b2 … by their first entry, never by who they are', () => {
    const names = pseudonyms([
      { id: 'b', bookerKey: 'p:x' },
      { id: 'a', bookerKey: 'p:y' },
      { id: 'c', bookerKey: 'p:x' },
    ]);
    expect([...names]).toEqual([
      ['p:y', 'b1'],
      ['p:x', 'b2'],
    ]);
  });
});
