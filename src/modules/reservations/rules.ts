/**
 * The facility rules, pure: which slots a day has, when booking opens and closes for
 * residents and for people from outside the town, what a booking costs (surcharge, 減免,
 * rounded down to 10 yen as the town's fee tables are), and what cancelling gives back.
 * A refusal names its rule; the service turns it into a 422 and the pages into words.
 */
import { addDays, daysBetween, jst, minutesOf, timeOfMinutes, weekdayOf } from './time.js';

export const RULE_NAMES = [
  'outside-opening-hours',
  'facility-closed',
  'booking-window-not-open',
  'booking-closed',
  'lottery-window',
  'over-capacity',
  'booking-limit',
  'reduction-not-eligible',
  'group-not-approved',
  'cancellation-deadline',
  'hold-ended',
  'konbini-not-offered',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export type BookerKind = 'resident' | 'non-resident';

export interface Period {
  code: string;
  nameJa: string;
  nameEn: string;
  starts: string;
  ends: string;
}

export interface FacilityRules {
  kind: 'room' | 'gym' | 'court' | 'hall' | 'bus';
  capacity: number;
  slotMinutes: number;
  holdMinutes: number;
  konbiniHoldHours: number;
  offerHoldHours: number;
  residentWindowDays: number;
  nonresidentWindowDays: number;
  /** HH:MM in Japan. */
  windowOpensAt: string;
  closesMinutesBefore: number;
  cancelDeadlineDays: number;
  nonresidentSurchargePercent: number;
  maxActivePerBooker: number;
  /** Opening hours by weekday (0 Sunday … 6 Saturday); a missing day is closed. */
  hours: Map<number, { opens: string; closes: string }>;
  periods: Period[];
  /** Refund steps, any order. */
  cancellation: { daysBefore: number; refundPercent: number }[];
}

export interface Slot {
  date: string;
  start: Date;
  end: Date;
  /** HH:MM in Japan. */
  from: string;
  to: string;
  /** The named period (区分), when the facility lets by them. */
  period?: Period;
}

/** The slots a facility lets on a date (none on a closed weekday). Not for the bus, whose slots are its trips. */
export function slotsOn(f: Pick<FacilityRules, 'hours' | 'periods' | 'slotMinutes'>, date: string): Slot[] {
  const hours = f.hours.get(weekdayOf(date));
  if (!hours) return [];
  const opens = minutesOf(hours.opens);
  const closes = minutesOf(hours.closes);
  const make = (from: number, to: number, period?: Period): Slot => ({
    date,
    start: jst(date, timeOfMinutes(from)),
    end: jst(date, timeOfMinutes(to)),
    from: timeOfMinutes(from),
    to: timeOfMinutes(to),
    ...(period ? { period } : {}),
  });
  if (f.periods.length > 0) {
    return [...f.periods]
      .sort((a, b) => minutesOf(a.starts) - minutesOf(b.starts))
      .filter((p) => minutesOf(p.starts) >= opens && minutesOf(p.ends) <= closes)
      .map((p) => make(minutesOf(p.starts), minutesOf(p.ends), p));
  }
  const out: Slot[] = [];
  for (let m = opens; m + f.slotMinutes <= closes; m += f.slotMinutes) out.push(make(m, m + f.slotMinutes));
  return out;
}

/** The slot of a date that starts at `start`, if the facility lets one there. */
export function slotAt(f: Pick<FacilityRules, 'hours' | 'periods' | 'slotMinutes'>, date: string, start: Date): Slot | undefined {
  return slotsOn(f, date).find((s) => s.start.getTime() === start.getTime());
}

/** When booking a day opens for residents or for people from outside the town. */
export function windowOpensFor(f: Pick<FacilityRules, 'residentWindowDays' | 'nonresidentWindowDays' | 'windowOpensAt'>, date: string, booker: BookerKind): Date {
  const days = booker === 'resident' ? f.residentWindowDays : f.nonresidentWindowDays;
  return jst(addDays(date, -days), f.windowOpensAt);
}

/** When booking a slot closes. */
export const bookingClosesAt = (f: Pick<FacilityRules, 'closesMinutesBefore'>, start: Date): Date => new Date(start.getTime() - f.closesMinutesBefore * 60_000);

export type TimeRefusal = { rule: 'booking-window-not-open'; opensAt: Date } | { rule: 'booking-closed'; closedAt: Date };

/** Whether a slot of `date` starting at `start` may be booked now by this kind of booker. */
export function bookingTimeRefusal(f: FacilityRules, date: string, start: Date, booker: BookerKind, now: Date): TimeRefusal | undefined {
  const opensAt = windowOpensFor(f, date, booker);
  if (now < opensAt) return { rule: 'booking-window-not-open', opensAt };
  const closedAt = bookingClosesAt(f, start);
  if (now >= closedAt) return { rule: 'booking-closed', closedAt };
  return undefined;
}

export interface Fee {
  base: number;
  surcharge: number;
  reduction: number;
  amount: number;
}

const floor10 = (yen: number) => Math.floor(yen / 10) * 10;

/**
 * The fee: the resident price (hourly fee × length, or the trip's fare), the surcharge for
 * people from outside the town, less the reduction (減免). Every part is rounded down to 10
 * yen, as the town's fee tables are — the price itself too, so the total is a multiple of 10
 * yen with or without a reduction, and always base + surcharge − reduction.
 */
export function feeOf(p: { base: number; booker: BookerKind; surchargePercent: number; reductionPercent: number }): Fee {
  const base = floor10(Math.max(0, Math.round(p.base)));
  const surcharge = p.booker === 'non-resident' ? floor10((base * p.surchargePercent) / 100) : 0;
  const gross = base + surcharge;
  const amount = p.reductionPercent > 0 ? floor10((gross * (100 - p.reductionPercent)) / 100) : gross;
  return { base, surcharge, reduction: gross - amount, amount };
}

/** The resident price of a space for a slot: the hourly fee for the slot's length, to the yen. */
export const spacePrice = (hourlyFee: number, start: Date, end: Date): number => Math.round((hourlyFee * (end.getTime() - start.getTime())) / 3_600_000);

export interface CancellationTerms {
  /** Whether the booker may still cancel (online, by themselves). */
  allowed: boolean;
  /** The last date on which they may. */
  lastDate: string;
  refundPercent: number;
  refund: number;
}

/**
 * What cancelling a booking of `useDate` today gives back of `paid`: the largest refund step
 * whose days-before has not passed; refused after the deadline (staff may still cancel). With
 * the slot's start and the moment (`at`), a booking that has begun — or is over — can no
 * longer be cancelled by its booker and gives nothing back, even on a day whose steps allow it
 * (a deadline of 0 days means "until it begins", not "all day").
 */
export function cancellationTerms(
  f: Pick<FacilityRules, 'cancelDeadlineDays' | 'cancellation'>,
  useDate: string,
  today: string,
  paid: number,
  at?: { startsAt: Date; now: Date },
): CancellationTerms {
  const daysBefore = daysBetween(today, useDate);
  const begun = at !== undefined && at.now.getTime() >= at.startsAt.getTime();
  const step = [...f.cancellation].sort((a, b) => b.daysBefore - a.daysBefore).find((s) => daysBefore >= s.daysBefore);
  const refundPercent = daysBefore >= 0 && !begun ? (step?.refundPercent ?? 0) : 0;
  return {
    allowed: daysBefore >= f.cancelDeadlineDays && !begun,
    lastDate: addDays(useDate, -f.cancelDeadlineDays),
    refundPercent,
    refund: Math.floor((paid * refundPercent) / 100),
  };
}

/** Age in whole years on a date. */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Until when an unpaid booking is held from `now`: `minutes` on, never past the slot's start. */
export function holdUntil(now: Date, start: Date, minutes: number): Date {
  return new Date(Math.min(now.getTime() + minutes * 60_000, start.getTime()));
}
