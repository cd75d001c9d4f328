/** How facilities, availability, bookings, waiting-list entries and groups read as JSON (the API). */
import type { Locale } from '../../platform/i18n.js';
import type { TripCell, UnitDay } from './calendar.js';
import type { Facility, Reduction } from './facility-store.js';
import type { GroupRow } from './group-store.js';
import type { BookingView } from './read.js';
import type { WaitRow } from './waitlist-store.js';
import { nameIn, placeIn } from './words.js';

export const facilitySummary = (f: Facility, locale: Locale) => ({ code: f.code, kind: f.kind, name: nameIn(f, locale), nameEn: f.nameEn, place: placeIn(f, locale), lottery: f.lottery });

export function facilityDetail(f: Facility, locale: Locale) {
  const codeOf = (id: string) => f.units.find((u) => u.id === id)?.code ?? id;
  return {
    ...facilitySummary(f, locale),
    description: locale === 'en' ? f.descriptionEn || f.descriptionJa : f.descriptionJa,
    capacity: f.capacity,
    slotMinutes: f.slotMinutes,
    hours: [...f.hours].sort(([a], [b]) => a - b).map(([weekday, h]) => ({ weekday, opens: h.opens, closes: h.closes })),
    periods: f.periods.map((p) => ({ code: p.code, name: nameIn(p, locale), nameEn: p.nameEn, starts: p.starts, ends: p.ends })),
    units: f.units
      .filter((u) => u.kind === 'space' || f.kind === 'bus')
      .map((u) => ({ code: u.code, name: nameIn(u, locale), nameEn: u.nameEn, hourlyFee: u.hourlyFee, capacity: u.capacity ?? f.capacity, parts: u.claims.filter((c) => c !== u.id).map(codeOf) })),
    rules: {
      residentWindowDays: f.residentWindowDays, nonresidentWindowDays: f.nonresidentWindowDays, windowOpensAt: f.windowOpensAt, closesMinutesBefore: f.closesMinutesBefore,
      holdMinutes: f.holdMinutes, konbiniHoldHours: f.konbiniHoldHours, cancelDeadlineDays: f.cancelDeadlineDays, cancellation: f.cancellation,
      nonresidentSurchargePercent: f.nonresidentSurchargePercent, maxActivePerBooker: f.maxActivePerBooker,
    },
  };
}

export const reductionJson = (r: Reduction, locale: Locale) => ({ code: r.code, name: nameIn(r, locale), nameEn: r.nameEn, percent: r.percent, basis: r.basis, proof: locale === 'en' ? r.proofEn || r.proofJa : r.proofJa });

export function availabilityJson(f: Facility, from: string, days: number, units: UnitDay[], trips: TripCell[], locale: Locale) {
  type SlotJson = { start: string; end: string; status: UnitDay['cells'][number]['status']; opensAt?: string; period?: string };
  const byUnit = new Map<string, { code: string; name: string; days: { date: string; slots: SlotJson[] }[] }>();
  for (const d of units) {
    const entry = byUnit.get(d.unit.id) ?? { code: d.unit.code, name: nameIn(d.unit, locale), days: [] };
    entry.days.push({
      date: d.date,
      slots: d.cells.map((c): SlotJson => ({
        start: c.slot.start.toISOString(), end: c.slot.end.toISOString(), status: c.status,
        ...(c.opensAt ? { opensAt: c.opensAt.toISOString() } : {}), ...(c.slot.period ? { period: c.slot.period.code } : {}),
      })),
    });
    byUnit.set(d.unit.id, entry);
  }
  return {
    facility: f.code,
    from,
    days,
    units: [...byUnit.values()],
    trips: trips.map((c) => ({
      id: c.trip.id, departs: c.trip.departsAt.toISOString(), returns: c.trip.returnsAt.toISOString(), route: locale === 'en' ? c.trip.routeEn : c.trip.routeJa,
      fare: c.trip.fare, seats: c.seats, free: c.free, status: c.status, ...(c.opensAt ? { opensAt: c.opensAt.toISOString() } : {}),
    })),
  };
}

export const bookingJson = (b: BookingView) => ({
  id: b.id,
  reference: b.reference,
  state: b.state,
  facility: b.facility,
  unit: b.unit,
  trip: b.trip,
  start: b.start.toISOString(),
  end: b.end.toISOString(),
  people: b.people,
  purposeOfUse: b.purposeOfUse,
  bookerKind: b.bookerKind,
  personId: b.personId,
  groupId: b.groupId,
  fee: b.fee,
  paidBy: b.paidBy,
  paidAt: b.paidAt?.toISOString() ?? null,
  holdUntil: b.holdUntil?.toISOString() ?? null,
  cancellation: b.cancellation,
  refundAmount: b.refundAmount,
  refunds: b.refunds,
  payments: b.payments.map((p) => ({ id: p.id, method: p.method, state: p.state })),
  version: b.version,
});

export const waitJson = (w: WaitRow, codes: { facility: string; unit: string | null }, place: number | null) => ({
  id: w.id,
  facility: codes.facility,
  unit: codes.unit,
  trip: w.trip_id,
  start: w.starts_at.toISOString(),
  end: w.ends_at.toISOString(),
  state: w.state,
  place,
  offeredBookingId: w.offered_booking_id,
  createdAt: w.created_at.toISOString(),
});

export const groupJson = (g: GroupRow) => ({
  id: g.id,
  name: g.name,
  members: g.members,
  activity: g.activity,
  state: g.state,
  reduction: g.reduction_code,
  representativeId: g.representative_id,
  createdAt: g.created_at.toISOString(),
  decidedAt: g.decided_at?.toISOString() ?? null,
});
