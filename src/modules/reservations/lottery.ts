/**
 * The lottery (抽選) for popular slots. The desk opens a round: slots of a facility (say the
 * hall's weekend periods of a month), an application window and a draw time; while the round
 * is open its slots cannot be booked first come. Residents apply for slots (one entry per
 * slot each, alone or for a registered group they represent). At the draw the server picks a
 * random 256-bit seed and runs the public draw (lottery-draw.ts) over the entries sorted by
 * id; seed, inputs and result are stored and published, so anyone can re-run it. Winners get
 * a held booking in their name (paid like any other) and a mail, the others a mail too; the
 * round is then closed and what nobody won is bookable first come.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { conflict, DomainError, notFound, unprocessable, validationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Locale } from '../../platform/i18n.js';
import { emitEvent } from '../../platform/outbox.js';
import type { AccessContext } from '../access/index.js';
import { eventPayload, insertClaimed, resolveTarget, termsFor, type BookingInput, type Target, type Terms } from './booking.js';
import type { BookingRow } from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility, Unit } from './facility-store.js';
import { ALGORITHM, drawLottery, inputsDigest, pseudonyms, slotKey, type DrawInputs, type DrawResult } from './lottery-draw.js';
import { mailEntrant } from './lottery-mail.js';
import * as store from './lottery-store.js';
import type { EntryRow, RoundRow } from './lottery-store.js';
import { feeOf, holdUntil, slotsOn, spacePrice } from './rules.js';
import type { ReservationsRuntime } from './runtime.js';
import { addDays, dateOf, isDate } from './time.js';
import { nameIn } from './words.js';

/** Rules a lottery refusal names (422 with `rule`). */
export const LOTTERY_RULES = ['lottery-not-offered', 'lottery-not-accepting', 'lottery-entry-limit', 'lottery-applications-open'] as const;
export type LotteryRule = (typeof LOTTERY_RULES)[number];
export const lotteryRefusal = (rule: LotteryRule, message: string, detail: Record<string, unknown> = {}) => unprocessable(`${rule}: ${message}`, { rule, ...detail });

/** Entries one resident may have in one round. */
export const ENTRY_LIMIT = 10;
/** Slots one round may hold. */
export const SLOT_LIMIT = 400;

export interface SlotPattern {
  /** First and last date (YYYY-MM-DD) of the slots. */
  from: string;
  to: string;
  /** Weekdays (0 Sunday … 6 Saturday). */
  weekdays: number[];
  /** Unit codes (spaces). */
  units: string[];
}

/** The slots a pattern names: every slot the facility lets on those days, for those units. */
export function slotsOfPattern(f: Facility, p: SlotPattern): { unit: Unit; start: Date; end: Date }[] {
  if (!isDate(p.from) || !isDate(p.to) || p.to < p.from) throw validationError('the dates of the slots', [{ field: 'from', message: 'from and to are dates, from first' }]);
  const units = f.units.filter((u) => u.kind === 'space' && p.units.includes(u.code));
  if (units.length === 0 || units.length !== new Set(p.units).size) throw validationError('choose the units of the facility', [{ field: 'units', message: 'unknown or none' }]);
  const out: { unit: Unit; start: Date; end: Date }[] = [];
  for (let d = p.from, i = 0; d <= p.to && i < 400; d = addDays(d, 1), i += 1) {
    if (!p.weekdays.includes(new Date(`${d}T00:00:00Z`).getUTCDay())) continue;
    for (const s of slotsOn(f, d)) for (const unit of units) out.push({ unit, start: s.start, end: s.end });
  }
  return out;
}

export interface NewRound {
  facility: string;
  nameJa: string;
  nameEn?: string | undefined;
  appliesFrom: Date;
  appliesUntil: Date;
  drawsAt: Date;
  holdHours?: number | undefined;
  maxWins?: number | undefined;
  /** Either a pattern or explicit slots (unit code and start). */
  pattern?: SlotPattern | undefined;
  slots?: { unit: string; start: string }[] | undefined;
}

/** Opens a round (the desk). 409 when a slot is booked, closed, or in another open round. */
export async function openRound(rt: ReservationsRuntime, ctx: AccessContext, input: NewRound): Promise<RoundRow> {
  const now = rt.now();
  const f = await facilities.loadFacility(rt.db, input.facility);
  if (!f) throw notFound(`facility ${input.facility.slice(0, 64)}`);
  if (!f.lottery) throw lotteryRefusal('lottery-not-offered', 'this facility does not let slots by lottery (set it up first)');
  if (f.kind === 'bus') throw lotteryRefusal('lottery-not-offered', 'the bus is not let by lottery');
  const times = [input.appliesFrom, input.appliesUntil, input.drawsAt];
  if (times.some((d) => Number.isNaN(d.getTime()))) throw validationError('the times of the round', [{ field: 'appliesFrom', message: 'must be date-times' }]);
  if (!(input.appliesFrom < input.appliesUntil && input.appliesUntil <= input.drawsAt)) {
    throw validationError('applications open, then close, then the draw', [{ field: 'appliesUntil', message: 'appliesFrom < appliesUntil <= drawsAt' }]);
  }
  if (input.drawsAt <= now) throw validationError('the draw is in the future', [{ field: 'drawsAt', message: 'must be later than now' }]);
  let slots: { unit: Unit; start: Date; end: Date }[];
  if (input.pattern) slots = slotsOfPattern(f, input.pattern);
  else {
    slots = [];
    for (const s of input.slots ?? []) {
      const t = await resolveTarget(rt, { facility: f.code, unit: s.unit, start: s.start });
      slots.push({ unit: t.unit!, start: t.start, end: t.end });
    }
  }
  const seen = new Set<string>();
  slots = slots.filter((s) => !seen.has(slotKey(s.unit.code, s.start)) && seen.add(slotKey(s.unit.code, s.start)));
  if (slots.length === 0) throw validationError('a round needs slots', [{ field: 'slots', message: 'none' }]);
  if (slots.length > SLOT_LIMIT) throw validationError(`at most ${SLOT_LIMIT} slots in a round`, [{ field: 'slots', message: 'too many' }]);
  if (slots.some((s) => s.start <= input.drawsAt)) throw validationError('the slots come after the draw', [{ field: 'drawsAt', message: 'must be before the first slot' }]);
  const nameEn = input.nameEn?.trim() || input.nameJa.trim();
  return rt.db.transaction(async (tx) => {
    const from = new Date(Math.min(...slots.map((s) => s.start.getTime())));
    const to = new Date(Math.max(...slots.map((s) => s.end.getTime())));
    const all = [...new Set(slots.flatMap((s) => s.unit.claims))];
    const claims = await store.liveClaimsOn(tx, all, from, to);
    const overlapping = (s: { unit: Unit; start: Date; end: Date }, x: { unit_id: string; starts_at: Date; ends_at: Date }) => s.unit.claims.includes(x.unit_id) && x.starts_at < s.end && s.start < x.ends_at;
    const busy = slots.filter((s) => claims.some((c) => overlapping(s, c)));
    if (busy.length) throw conflict('some slots are booked or closed already', { reason: 'slot-taken', slots: busy.slice(0, 20).map((s) => slotKey(s.unit.code, s.start)) });
    const claimsOf = (unitId: string) => f.units.find((u) => u.id === unitId)?.claims ?? [unitId];
    const others = (await store.openSlotsOverlapping(tx, f.units.map((u) => u.id), from, to)).map((o) => ({ ...o, claims: claimsOf(o.unit_id) }));
    const twice = slots.filter((s) => others.some((o) => o.claims.some((c) => s.unit.claims.includes(c)) && o.starts_at < s.end && s.start < o.ends_at));
    if (twice.length) throw conflict('some slots are in another open round', { reason: 'slot-in-other-round', slots: twice.slice(0, 20).map((s) => slotKey(s.unit.code, s.start)) });
    const id = newId();
    await store.insertRound(tx, {
      id, facilityId: f.id, nameJa: input.nameJa.trim(), nameEn, appliesFrom: input.appliesFrom, appliesUntil: input.appliesUntil, drawsAt: input.drawsAt,
      holdHours: input.holdHours ?? 72, maxWins: input.maxWins ?? 1, createdBy: ctx.principal.kind === 'staff' ? ctx.principal.id : null, now, demo: rt.demo(),
    });
    await store.insertSlots(tx, id, slots.map((s) => ({ unitId: s.unit.id, start: s.start, end: s.end })));
    await store.logSetup(tx, f.id, ctx.principal.kind === 'staff' ? ctx.principal.id : null, 'lottery-opened', { roundId: id, slots: slots.length }, now);
    await emitEvent(tx, 'reservations.lottery.opened', [], { roundId: id, facility: f.code, slots: slots.length, appliesUntil: input.appliesUntil.toISOString(), drawsAt: input.drawsAt.toISOString() });
    return (await store.findRound(tx, id))!;
  });
}

export interface EntryInput {
  unit: string;
  start: string;
  people: number;
  purposeOfUse?: string | undefined;
  reduction?: string | undefined;
  groupId?: string | undefined;
  contactEmail?: string | undefined;
  locale?: string | undefined;
}

/** A resident applies for one slot of an open round (409 when they have already). */
export async function applyForSlot(rt: ReservationsRuntime, ctx: AccessContext, personId: string, roundId: string, input: EntryInput): Promise<EntryRow> {
  const now = rt.now();
  const round = await store.findRound(rt.db, roundId);
  if (!round) throw notFound(`lottery ${roundId}`);
  if (round.state !== 'open' || now < round.applies_from || now >= round.applies_until) {
    throw lotteryRefusal('lottery-not-accepting', `applications are taken from ${round.applies_from.toISOString()} until ${round.applies_until.toISOString()}`, {
      appliesFrom: round.applies_from.toISOString(), appliesUntil: round.applies_until.toISOString(),
    });
  }
  const f = (await facilities.loadFacilityById(rt.db, round.facility_id))!;
  const bookingInput: BookingInput = { facility: f.code, unit: input.unit, start: input.start, people: input.people, reduction: input.reduction, groupId: input.groupId, purposeOfUse: input.purposeOfUse };
  const t = await resolveTarget(rt, bookingInput);
  const slots = await store.slotsOf(rt.db, round.id);
  if (!slots.some((s) => s.unit_id === t.unit!.id && s.starts_at.getTime() === t.start.getTime())) throw notFound(`slot ${slotKey(input.unit.slice(0, 40), input.start.slice(0, 40))} of lottery ${roundId}`);
  // Capacity, the group and the reduction are checked as for a booking.
  const terms = await termsFor(rt, ctx, t, { kind: 'resident', personId }, bookingInput);
  return rt.db.transaction(async (tx) => {
    if ((await store.countLiveEntriesOfPerson(tx, round.id, personId)) >= ENTRY_LIMIT) throw lotteryRefusal('lottery-entry-limit', `at most ${ENTRY_LIMIT} entries in one round`, { limit: ENTRY_LIMIT });
    const row = await store.insertEntry(tx, {
      id: newId(), roundId: round.id, unitId: t.unit!.id, start: t.start, end: t.end, personId, groupId: terms.groupId, people: input.people,
      purposeOfUse: (input.purposeOfUse ?? '').trim().slice(0, 200), reductionCode: terms.reduction?.code ?? null, contactEmail: input.contactEmail?.trim() || null,
      locale: input.locale === 'en' || input.locale === 'ja-easy' ? input.locale : 'ja', now, demo: rt.demo(),
    });
    if (!row) throw conflict('you have applied for this slot already', { reason: 'already-entered' });
    await recordAccess(tx, rt.access.auditEntry(ctx, 'lottery.apply', [personId], ['lottery-entry']));
    return row;
  });
}

/** Withdraws an entry while applications are open. */
export async function withdrawEntry(rt: ReservationsRuntime, ctx: AccessContext, entryId: string): Promise<void> {
  const now = rt.now();
  await rt.db.transaction(async (tx) => {
    const e = await store.findEntry(tx, entryId, { lock: true });
    if (!e || (ctx.principal.kind === 'resident' && e.person_id !== ctx.principal.id)) throw notFound(`lottery entry ${entryId}`);
    const round = (await store.findRound(tx, e.round_id))!;
    if (e.state !== 'entered' || round.state !== 'open' || now >= round.applies_until) throw conflict('the entry can no longer be withdrawn', { state: e.state });
    await store.withdrawEntry(tx, e.id, now);
    await recordAccess(tx, rt.access.auditEntry(ctx, 'lottery.withdraw', [e.person_id], ['lottery-entry']));
  });
}

/** What the draw reads from the database, as the public inputs. */
export function inputsOf(round: RoundRow, f: Facility, slots: readonly store.SlotRow[], entries: readonly EntryRow[], busy: ReadonlySet<string>): DrawInputs {
  const unit = (id: string) => f.units.find((u) => u.id === id);
  const code = (id: string) => unit(id)?.code ?? id;
  const keyOf = (unitId: string, start: Date) => slotKey(code(unitId), start);
  const names = pseudonyms(entries.map((e) => ({ id: e.id, bookerKey: e.group_id ? `g:${e.group_id}` : `p:${e.person_id}` })));
  return {
    algorithm: ALGORITHM,
    roundId: round.id,
    maxWins: round.max_wins,
    slots: slots
      .map((s) => ({ key: keyOf(s.unit_id, s.starts_at), unit: code(s.unit_id), claims: (unit(s.unit_id)?.claims ?? [s.unit_id]).map(code), start: s.starts_at.toISOString(), end: s.ends_at.toISOString() }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    unavailable: slots.filter((s) => busy.has(keyOf(s.unit_id, s.starts_at))).map((s) => keyOf(s.unit_id, s.starts_at)).sort(),
    entries: [...entries]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((e) => ({ id: e.id, slot: keyOf(e.unit_id, e.starts_at), booker: names.get(e.group_id ? `g:${e.group_id}` : `p:${e.person_id}`)! })),
  };
}

/** What a drawn round stores in `result`. */
export interface StoredDraw extends DrawResult {
  algorithm: typeof ALGORITHM;
  inputs: DrawInputs;
  inputsDigest: string;
}

export interface Drawn {
  round: RoundRow;
  winners: number;
  entries: number;
  bookings: BookingRow[];
}

/**
 * Draws a round: 409 while applications are open or when drawn already. One transaction:
 * the seed, the recorded inputs and result, every entry won or lost, a held booking (or a
 * confirmed one when nothing is due) for each winner, the mails.
 */
export async function drawRound(rt: ReservationsRuntime, roundId: string, by: { staffId: string | null } = { staffId: null }): Promise<Drawn> {
  const now = rt.now();
  return rt.db.transaction(async (tx) => {
    const round = await store.findRound(tx, roundId, { lock: true });
    if (!round) throw notFound(`lottery ${roundId}`);
    if (round.state !== 'open') throw conflict(`the round is ${round.state}`, { reason: round.state });
    if (now < round.applies_until) throw lotteryRefusal('lottery-applications-open', `applications are open until ${round.applies_until.toISOString()}`, { appliesUntil: round.applies_until.toISOString() });
    const f = (await facilities.loadFacilityById(tx, round.facility_id))!;
    const slots = await store.slotsOf(tx, round.id);
    const entries = await store.entriesOf(tx, round.id, ['entered']);
    // Slots that cannot be let now (closed meanwhile, a unit taken out of use) are recorded as such.
    const busy = new Set<string>();
    if (slots.length) {
      const from = new Date(Math.min(...slots.map((s) => s.starts_at.getTime())));
      const to = new Date(Math.max(...slots.map((s) => s.ends_at.getTime())));
      const claims = await store.liveClaimsOn(tx, [...new Set(f.units.flatMap((u) => u.claims))], from, to);
      for (const s of slots) {
        const unit = f.units.find((u) => u.id === s.unit_id);
        if (!unit || !unit.active || s.starts_at <= now || claims.some((c) => unit.claims.includes(c.unit_id) && c.starts_at < s.ends_at && s.starts_at < c.ends_at)) {
          busy.add(slotKey(unit?.code ?? s.unit_id, s.starts_at));
        }
      }
    }
    const inputs = inputsOf(round, f, slots, entries, busy);
    const seed = randomBytes(32);
    const result = drawLottery(seed.toString('hex'), inputs);
    const stored: StoredDraw = { algorithm: ALGORITHM, inputs, inputsDigest: inputsDigest(inputs), ...result };
    await store.markDrawn(tx, round.id, { seed, at: now, by: by.staffId, result: stored });
    const won = new Set(result.winners);
    const reductions = entries.some((e) => e.reduction_code) ? await facilities.reductions(tx) : [];
    const made: BookingRow[] = [];
    for (const line of result.order) {
      const e = entries.find((x) => x.id === line.entry)!;
      if (!won.has(e.id)) {
        await store.setEntryOutcome(tx, e.id, 'lost', null);
        await mailEntrant(tx, 'lost', e, f, round, undefined, { publicUrl: rt.config.publicUrl, townName: rt.townName() });
        continue;
      }
      const row = await holdForWinner(rt, tx, f, round, e, reductions, now);
      // Someone claimed the slot while we drew (the draw is re-run from scratch).
      if (!row) throw conflict('a won slot was taken during the draw; draw again', { reason: 'slot-taken' });
      await store.setEntryOutcome(tx, e.id, 'won', row.id);
      await mailEntrant(tx, 'won', e, f, round, row, { publicUrl: rt.config.publicUrl, townName: rt.townName() });
      await emitEvent(tx, row.state === 'held' ? 'reservations.booking.held' : 'reservations.booking.confirmed', [e.person_id], { ...eventPayload(row, f), lotteryEntryId: e.id });
      made.push(row);
    }
    await store.logSetup(tx, f.id, by.staffId, 'lottery-drawn', { roundId: round.id, entries: entries.length, winners: made.length }, now);
    await emitEvent(tx, 'reservations.lottery.drawn', [], { roundId: round.id, facility: f.code, entries: entries.length, winners: made.length, inputsDigest: stored.inputsDigest });
    return { round: (await store.findRound(tx, round.id))!, winners: made.length, entries: entries.length, bookings: made };
  });
}

async function holdForWinner(rt: ReservationsRuntime, tx: Queryable, f: Facility, round: RoundRow, e: EntryRow, reductions: facilities.Reduction[], now: Date): Promise<BookingRow | undefined> {
  const unit = f.units.find((u) => u.id === e.unit_id)!;
  const t: Target = { facility: f, unit, trip: undefined, start: e.starts_at, end: e.ends_at, date: dateOf(e.starts_at), claimUnits: unit.claims, base: spacePrice(unit.hourlyFee, e.starts_at, e.ends_at) };
  const reduction = reductions.find((r) => r.code === e.reduction_code);
  const fee = feeOf({ base: t.base, booker: 'resident', surchargePercent: f.nonresidentSurchargePercent, reductionPercent: reduction?.percent ?? 0 });
  const terms: Terms = { bookerKind: 'resident', personId: e.person_id, bookerName: null, groupId: e.group_id, reduction, fee };
  const free = fee.amount === 0;
  return insertClaimed(tx, t, {
    id: newId(), state: free ? 'confirmed' : 'held', terms, now, source: 'lottery', createdByStaff: null, gentle: true, demo: rt.demo() || e.demo,
    input: { people: e.people, purposeOfUse: e.purpose_of_use, contactEmail: e.contact_email ?? undefined, locale: e.locale },
    holdUntil: free ? null : holdUntil(now, t.start, round.hold_hours * 60),
  });
}

/** Draws every open round whose draw time has come (for the worker); returns how many. */
export async function drawDueRounds(rt: ReservationsRuntime, limit = 10): Promise<number> {
  let drawn = 0;
  for (const id of await store.dueRounds(rt.db, rt.now(), limit)) {
    try {
      await drawRound(rt, id);
      drawn += 1;
    } catch (err) {
      // Drawn by another process meanwhile, or a slot taken during the draw (the next pass tries again).
      if (!(err instanceof DomainError && (err.code === 'conflict' || err.code === 'unprocessable'))) throw err;
      rt.log.warn({ roundId: id, err: err.message.slice(0, 80) }, 'lottery draw postponed');
    }
  }
  return drawn;
}

/** Cancels an open round (the desk): its slots become bookable first come. */
export async function cancelRound(rt: ReservationsRuntime, ctx: AccessContext, roundId: string): Promise<void> {
  const now = rt.now();
  await rt.db.transaction(async (tx) => {
    const round = await store.findRound(tx, roundId, { lock: true });
    if (!round) throw notFound(`lottery ${roundId}`);
    if (round.state !== 'open') throw conflict(`the round is ${round.state}`, { reason: round.state });
    await store.markCancelled(tx, round.id);
    await store.logSetup(tx, round.facility_id, ctx.principal.kind === 'staff' ? ctx.principal.id : null, 'lottery-cancelled', { roundId: round.id }, now);
    await emitEvent(tx, 'reservations.lottery.cancelled', [], { roundId: round.id });
  });
}

/** The draw as stored, re-run from its own seed and inputs: the same winners, or not. */
export function rerun(round: RoundRow): { stored: StoredDraw; rerun: DrawResult; sameWinners: boolean; digestMatches: boolean } | undefined {
  if (round.state !== 'drawn' || !round.seed || !round.result) return undefined;
  const stored = round.result as StoredDraw;
  const again = drawLottery(round.seed, stored.inputs);
  return {
    stored,
    rerun: again,
    sameWinners: JSON.stringify(again.winners) === JSON.stringify(stored.winners),
    digestMatches: inputsDigest(stored.inputs) === stored.inputsDigest,
  };
}

/** The public record of a round: its slots and how many applied, the entries (ids only), and after the draw the seed, inputs and winners. */
export async function publicRound(rt: ReservationsRuntime, db: Queryable, round: RoundRow, locale: Locale) {
  const f = (await facilities.loadFacilityById(db, round.facility_id))!;
  const slots = await store.slotsOf(db, round.id);
  const counts = await store.entryCounts(db, round.id);
  const code = (id: string) => f.units.find((u) => u.id === id)?.code ?? id;
  const stored = round.state === 'drawn' ? (round.result as StoredDraw) : undefined;
  const winners = new Set(stored?.winners ?? []);
  const entries = stored
    ? stored.inputs.entries.map((e) => ({ id: e.id, slot: e.slot, booker: e.booker, outcome: winners.has(e.id) ? ('won' as const) : ('lost' as const) }))
    : (await store.entriesOf(db, round.id, ['entered'])).map((e) => ({ id: e.id, slot: slotKey(code(e.unit_id), e.starts_at) }));
  return {
    id: round.id,
    facility: { code: f.code, name: nameIn(f, locale) },
    name: locale === 'en' ? round.name_en : round.name_ja,
    state: round.state,
    appliesFrom: round.applies_from.toISOString(),
    appliesUntil: round.applies_until.toISOString(),
    drawsAt: round.draws_at.toISOString(),
    holdHours: round.hold_hours,
    maxWins: round.max_wins,
    slots: slots.map((s) => {
      const unit = f.units.find((u) => u.id === s.unit_id);
      return { key: slotKey(code(s.unit_id), s.starts_at), unit: code(s.unit_id), unitName: unit ? nameIn(unit, locale) : code(s.unit_id), start: s.starts_at.toISOString(), end: s.ends_at.toISOString(), entries: counts.get(`${s.unit_id}|${s.starts_at.toISOString()}`) ?? 0 };
    }),
    entries,
    draw: stored && round.seed && round.drawn_at
      ? { algorithm: stored.algorithm, seed: round.seed, drawnAt: round.drawn_at.toISOString(), inputsDigest: stored.inputsDigest, inputs: stored.inputs, order: stored.order, winners: stored.winners }
      : null,
  };
}
