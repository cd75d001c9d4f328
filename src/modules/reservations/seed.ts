/**
 * Seeds みどり町's facilities into the demo installation: the facilities with their rules,
 * the reductions, the bus's trips for the coming weeks, the New Year closure and a gym floor
 * maintenance day, three registered groups, and bookings over the coming three weeks (paid at
 * the counter, or free for reduced groups), so the calendars look lived in. Deterministic for
 * a seed; every row is marked demo. Prints nothing.
 */
import type { Db, Queryable } from '../../platform/db/db.js';
import { newId } from '../../platform/ids.js';
import * as facilities from './facility-store.js';
import * as groups from './group-store.js';
import { feeOf, slotsOn, spacePrice } from './rules.js';
import { SEED_FACILITIES, SEED_GROUPS, SEED_REDUCTIONS, SEED_TRIPS } from './seed-data.js';
import * as setup from './setup-store.js';
import { addDays, jst, weekdayOf } from './time.js';

export interface SeedOptions {
  seed: number;
  /** YYYY-MM-DD in Japan: trips and bookings start from here. */
  today: string;
  /** Demo residents to book and represent groups (ids, at least a few). */
  people: readonly string[];
  /** Weeks of bus trips (default 8). */
  weeks?: number;
}

export interface SeedSummary {
  facilities: number;
  units: number;
  trips: number;
  bookings: number;
  groups: number;
}

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the facilities, rules and reductions (no dated rows). */
export async function seedFacilities(tx: Queryable, demo: boolean): Promise<{ facilities: number; units: number }> {
  let units = 0;
  for (const [i, r] of SEED_REDUCTIONS.entries()) await setup.insertReduction(tx, { ...r, sortOrder: i, demo });
  for (const [i, f] of SEED_FACILITIES.entries()) {
    const id = newId();
    await setup.insertFacility(tx, {
      id, code: f.code, kind: f.kind, nameJa: f.nameJa, nameEn: f.nameEn, placeJa: f.placeJa, placeEn: f.placeEn, descriptionJa: f.descriptionJa,
      descriptionEn: f.descriptionEn, capacity: f.capacity, slotMinutes: f.slotMinutes, holdMinutes: f.holdMinutes, konbiniHoldHours: f.konbiniHoldHours,
      residentWindowDays: f.residentWindowDays, nonresidentWindowDays: f.nonresidentWindowDays, closesMinutesBefore: f.closesMinutesBefore,
      cancelDeadlineDays: f.cancelDeadlineDays, surchargePercent: f.surchargePercent, maxActive: f.maxActive, lottery: f.lottery, sortOrder: i * 10, demo,
    });
    await setup.setHours(tx, id, Object.entries(f.hours).map(([w, [opens, closes]]) => ({ weekday: Number(w), opens, closes })));
    await setup.setPeriods(tx, id, f.periods ?? []);
    await setup.setCancellationRules(tx, id, f.cancellation.map(([daysBefore, refundPercent]) => ({ daysBefore, refundPercent })));
    const ids = new Map<string, string>();
    for (const [j, u] of f.units.entries()) {
      const unitId = newId();
      ids.set(u.code, unitId);
      await setup.insertUnit(tx, {
        id: unitId, facilityId: id, code: u.code, nameJa: u.nameJa, nameEn: u.nameEn, kind: f.kind === 'bus' ? 'seat' : 'space',
        hourlyFee: u.hourlyFee, capacity: u.capacity ?? null, sortOrder: j, demo,
      });
      units += 1;
    }
    for (const u of f.units) if (u.parts) await setup.setParts(tx, ids.get(u.code)!, u.parts.map((p) => ids.get(p)!));
  }
  return { facilities: SEED_FACILITIES.length, units };
}

export async function seedDemoReservations(db: Db, opts: SeedOptions): Promise<SeedSummary> {
  const rnd = random(opts.seed * 7919 + 17);
  return db.transaction(async (tx) => {
    const made = await seedFacilities(tx, true);
    const all = await facilities.loadFacilities(tx);
    const byCode = new Map(all.map((f) => [f.code, f]));
    // The bus's trips.
    const bus = byCode.get('bus')!;
    const trips: Parameters<typeof setup.insertTrips>[1][number][] = [];
    for (let d = 0; d < (opts.weeks ?? 8) * 7; d += 1) {
      const date = addDays(opts.today, d);
      for (const t of SEED_TRIPS) {
        if (!t.weekdays.includes(weekdayOf(date))) continue;
        trips.push({ id: newId(), facilityId: bus.id, departsAt: jst(date, t.departs), returnsAt: jst(date, t.returns), routeJa: t.routeJa, routeEn: t.routeEn, fare: t.fare, demo: true });
      }
    }
    await setup.insertTrips(tx, trips);
    // 年末年始 (29 December – 3 January) for every facility, and the gym's floor maintenance.
    const y = Number(opts.today.slice(0, 4));
    const newYear = y - (opts.today.slice(5) <= '01-03' ? 1 : 0);
    const closures: { facilityId: string; start: Date; end: Date }[] = [];
    const close = async (f: facilities.Facility, start: Date, end: Date, reason: 'closed' | 'maintenance', noteJa: string, noteEn: string) => {
      closures.push({ facilityId: f.id, start, end });
      await facilities.insertBlock(tx, {
        id: newId(), facilityId: f.id, unitId: null, start, end, reason, noteJa, noteEn, createdBy: null, demo: true, claimUnits: [...new Set(f.units.flatMap((u) => u.claims))],
      });
    };
    for (const f of all) await close(f, jst(`${newYear}-12-29`, '00:00'), jst(`${newYear + 1}-01-04`, '00:00'), 'closed', '年末年始休館', 'Closed for the New Year');
    const gym = byCode.get('taiikukan')!;
    const wax = nextWeekday(addDays(opts.today, 17), 3);
    await close(gym, jst(wax, '00:00'), jst(addDays(wax, 1), '00:00'), 'maintenance', '床のワックスがけのため休館', 'Closed: floor maintenance');
    const closed = (facilityId: string, start: Date, end: Date) => closures.some((c) => c.facilityId === facilityId && c.start < end && start < c.end);
    // Registered groups, represented by demo residents.
    const people = [...opts.people];
    const groupIds: string[] = [];
    for (const [i, g] of SEED_GROUPS.entries()) {
      const rep = people[i % Math.max(1, people.length)];
      if (!rep) break;
      const row = await groups.insertGroup(tx, { id: newId(), name: g.name, representativeId: rep, members: g.members, activity: g.activity, contactEmail: null, demo: true, state: g.state, reductionCode: g.reduction });
      if (g.state === 'approved') groupIds.push(row.id);
    }
    // Bookings over the next three weeks.
    const rows: Parameters<typeof setup.insertSeedBookings>[1][number][] = [];
    const taken = new Set<string>();
    const reductions = new Map(SEED_REDUCTIONS.map((r) => [r.code, r]));
    for (const f of all.filter((x) => x.kind !== 'bus')) {
      const share = f.kind === 'hall' ? 0.15 : f.kind === 'gym' ? 0.45 : 0.3;
      for (let d = 1; d <= 21 && people.length > 0; d += 1) {
        const date = addDays(opts.today, d);
        for (const slot of slotsOn(f, date)) {
          if (closed(f.id, slot.start, slot.end)) continue;
          for (const unit of f.units.filter((u) => u.kind === 'space')) {
            if (rnd() > share / Math.max(1, f.kind === 'gym' ? 2 : 1)) continue;
            const keys = unit.claims.map((c) => `${c}|${slot.start.toISOString()}`);
            if (keys.some((k) => taken.has(k))) continue;
            keys.forEach((k) => taken.add(k));
            const asGroup = groupIds.length > 0 && rnd() < 0.25 ? groupIds[Math.floor(rnd() * groupIds.length)]! : null;
            const groupIndex = asGroup ? groupIds.indexOf(asGroup) : -1;
            const reductionCode = asGroup ? (SEED_GROUPS.filter((g) => g.state === 'approved')[groupIndex]?.reduction ?? null) : null;
            const base = spacePrice(unit.hourlyFee, slot.start, slot.end);
            const fee = feeOf({ base, booker: 'resident', surchargePercent: 0, reductionPercent: reductionCode ? (reductions.get(reductionCode)?.percent ?? 0) : 0 });
            const person = asGroup ? people[groupIndex % people.length]! : people[Math.floor(rnd() * people.length)]!;
            rows.push({
              id: newId(), facilityId: f.id, unitId: unit.id, tripId: null, start: slot.start, end: slot.end, personId: person, groupId: asGroup,
              people: Math.min(unit.capacity ?? f.capacity, 2 + Math.floor(rnd() * 12)), purposeOfUse: PURPOSES[f.kind]![Math.floor(rnd() * PURPOSES[f.kind]!.length)]!,
              base: fee.base, reductionCode, reduction: fee.reduction, amount: fee.amount, paidBy: fee.amount === 0 ? 'free' : 'counter',
              createdAt: new Date(jst(opts.today, '09:00').getTime() - Math.floor(rnd() * 20) * 86_400_000), claimUnits: unit.claims,
            });
          }
        }
      }
    }
    // A few seats on the coming bus trips.
    const seats = bus.units.filter((u) => u.kind === 'seat');
    for (const trip of trips.filter((t) => !closed(bus.id, t.departsAt, t.returnsAt)).slice(0, 4)) {
      const n = Math.floor(rnd() * 8);
      for (let s = 0; s < n && people.length > 0; s += 1) {
        rows.push({
          id: newId(), facilityId: bus.id, unitId: seats[s]!.id, tripId: trip.id, start: trip.departsAt, end: trip.returnsAt, personId: people[(s * 7 + trips.indexOf(trip)) % people.length]!,
          groupId: null, people: 1, purposeOfUse: '', base: trip.fare, reductionCode: null, reduction: 0, amount: trip.fare, paidBy: 'counter',
          createdAt: jst(addDays(opts.today, -1), '10:00'), claimUnits: [seats[s]!.id],
        });
      }
    }
    const kept = rows.filter((r) => r.start > jst(opts.today, '00:00'));
    await setup.insertSeedBookings(tx, kept);
    return { facilities: made.facilities, units: made.units, trips: trips.length, bookings: kept.length, groups: SEED_GROUPS.length };
  });
}

const PURPOSES: Record<string, string[]> = {
  room: ['自治会の役員会', '書道教室', '子育てサークル', '民生委員の定例会', '英会話サークル', '料理教室', '俳句の会'],
  hall: ['ピアノ発表会', '町民カラオケ大会', '講演会', '吹奏楽の演奏会'],
  gym: ['バレーボールの練習', 'バドミントン', 'ミニバスケットボール', '卓球の練習', 'ソフトバレー大会'],
  court: ['テニスの練習', 'ソフトテニス', 'テニススクール'],
};

/** The first date on or after `date` falling on `weekday`. */
function nextWeekday(date: string, weekday: number): string {
  return addDays(date, (weekday - weekdayOf(date) + 7) % 7);
}
