/**
 * Reading bookings: one booking, a resident's list, a resident's calendar feed — each read of
 * someone's bookings leaves one audit entry in the same transaction. The view is what pages,
 * the API and the feed show: the facility's words, the fee, what cancelling would give back.
 */
import { recordAccess } from '../../platform/audit.js';
import { hmacHex, randomToken, safeEqual } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db/db.js';
import { notFound } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import type { AccessContext } from '../access/index.js';
import * as bookings from './booking-store.js';
import type { BookingRow, PaidBy } from './booking-store.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import * as groups from './group-store.js';
import { mayHandle, quote } from './lifecycle.js';
import { konbiniOffered } from './payment.js';
import * as refunds from './refund-store.js';
import type { ReservationsRuntime } from './runtime.js';
import type { BookingState } from './states.js';
import { nameIn, placeIn } from './words.js';

export interface BookingView {
  id: string;
  reference: string;
  state: BookingState;
  facility: { code: string; kind: Facility['kind']; name: string; place: string };
  unit: { code: string; name: string } | null;
  trip: { id: string; route: string } | null;
  start: Date;
  end: Date;
  people: number;
  purposeOfUse: string;
  bookerKind: 'resident' | 'non-resident';
  personId: string | null;
  groupId: string | null;
  fee: { base: number; surcharge: number; reductionCode: string | null; reduction: number; amount: number };
  paidBy: PaidBy | null;
  paidAt: Date | null;
  holdUntil: Date | null;
  cancellation: { allowed: boolean; lastDate: string; refundPercent: number; refund: number };
  refundAmount: number | null;
  refunds: { amount: number; state: refunds.RefundState; reason: refunds.RefundReason }[];
  payments: { id: string; method: string; state: string; nextUrl: string }[];
  /** Whether paying at a convenience store is still offered for it. */
  konbini: boolean;
  /** Whether its time has begun (its booker can no longer cancel it online). */
  begun: boolean;
  source: BookingRow['source'];
  createdAt: Date;
  /** When it last changed (made, confirmed, checked in, ended): a calendar's LAST-MODIFIED. */
  modifiedAt: Date;
  /** Counts its changes: the optimistic lock, and a calendar's SEQUENCE. */
  version: number;
}

/** When a booking last changed, from the moments it keeps. */
export function lastChangeOf(b: Pick<BookingRow, 'created_at' | 'confirmed_at' | 'checked_in_at' | 'ended_at' | 'paid_at'>): Date {
  const times = [b.created_at, b.confirmed_at, b.checked_in_at, b.ended_at, b.paid_at].filter((d): d is Date => d instanceof Date);
  return new Date(Math.max(...times.map((d) => d.getTime())));
}

export async function toViews(rt: ReservationsRuntime, db: Queryable, rows: readonly BookingRow[], locale: Locale): Promise<BookingView[]> {
  if (rows.length === 0) return [];
  const fs = await facilities.loadFacilities(db, { ids: [...new Set(rows.map((r) => r.facility_id))], includeInactive: true });
  const rf = await refunds.refundsOf(db, rows.map((r) => r.id));
  const trips = new Map<string, facilities.Trip>();
  for (const id of new Set(rows.map((r) => r.trip_id).filter((x): x is string => !!x))) {
    const trip = await facilities.findTrip(db, id);
    if (trip) trips.set(id, trip);
  }
  const views: BookingView[] = [];
  for (const r of rows) {
    const f = fs.find((x) => x.id === r.facility_id)!;
    const unit = f.units.find((u) => u.id === r.unit_id);
    const trip = r.trip_id ? trips.get(r.trip_id) : undefined;
    const q = quote(rt, r, f);
    const pays = await bookings.paymentsOfBooking(db, r.id);
    views.push({
      id: r.id,
      reference: r.reference,
      state: r.state,
      facility: { code: f.code, kind: f.kind, name: nameIn(f, locale), place: placeIn(f, locale) },
      unit: unit && f.kind !== 'bus' ? { code: unit.code, name: nameIn(unit, locale) } : null,
      trip: trip ? { id: trip.id, route: locale === 'en' ? trip.routeEn : trip.routeJa } : null,
      start: r.starts_at,
      end: r.ends_at,
      people: r.people,
      purposeOfUse: r.purpose_of_use,
      bookerKind: r.booker_kind,
      personId: r.person_id,
      groupId: r.group_id,
      fee: { base: r.base_amount, surcharge: r.surcharge_amount, reductionCode: r.reduction_code, reduction: r.reduction_amount, amount: r.amount },
      paidBy: r.paid_by,
      paidAt: r.paid_at,
      holdUntil: r.state === 'held' ? r.hold_until : null,
      cancellation: { allowed: q.allowed, lastDate: q.lastDate, refundPercent: q.refundPercent, refund: q.refund },
      refundAmount: r.refund_amount,
      refunds: rf.filter((x) => x.booking_id === r.id).map((x) => ({ amount: x.amount, state: x.state, reason: x.reason })),
      payments: pays.map((p) => ({ id: p.payment_id, method: p.method, state: p.state, nextUrl: p.next_url })),
      konbini: konbiniOffered(f, r, rt.now()),
      begun: rt.now() >= r.starts_at,
      source: r.source,
      createdAt: r.created_at,
      modifiedAt: lastChangeOf(r),
      version: r.lock_version,
    });
  }
  return views;
}

/** One booking, for its booker (or their group's representative) or the desk; one audit entry. */
export async function readBooking(rt: ReservationsRuntime, ctx: AccessContext, id: string, locale: Locale): Promise<BookingView> {
  return rt.db.transaction(async (tx) => {
    const b = await bookings.findBooking(tx, id);
    const rep = b?.group_id ? (await groups.findGroup(tx, b.group_id))?.representative_id : undefined;
    if (!b || !mayHandle(ctx, b, () => rep)) throw notFound(`booking ${id}`);
    // Every read of someone's booking is recorded (a non-resident's is about no registry person, but names one).
    await recordAccess(tx, rt.access.auditEntry(ctx, 'booking.read', b.person_id ? [b.person_id] : [], ['booking']));
    return (await toViews(rt, tx, [b], locale))[0]!;
  });
}

/** A resident's bookings (theirs and their groups'); one audit entry. */
export async function listBookings(rt: ReservationsRuntime, ctx: AccessContext, personId: string, locale: Locale, opts: { since?: Date; action?: string } = {}): Promise<BookingView[]> {
  return rt.db.transaction(async (tx) => {
    const rows = await bookings.bookingsOf(tx, personId, rt.now(), opts.since ? { since: opts.since } : {});
    await recordAccess(tx, rt.access.auditEntry(ctx, opts.action ?? 'booking.list', [personId], ['booking']));
    return toViews(rt, tx, rows, locale);
  });
}

// ---- the resident's calendar feed ------------------------------------------------------------

const tokenOf = (rt: ReservationsRuntime, feedId: string) => `${feedId}.${hmacHex(rt.feedKey, feedId).slice(0, 32)}`;

/** The resident's feed token, made on first use; `renew` revokes the old one. */
export async function feedToken(rt: ReservationsRuntime, personId: string, opts: { renew?: boolean } = {}): Promise<string> {
  return tokenOf(rt, await bookings.feedIdOf(rt.db, personId, randomToken(18), opts.renew ?? false));
}

/** Whose feed a token opens (undefined: none, or revoked). */
export async function feedOwner(rt: ReservationsRuntime, token: string): Promise<string | undefined> {
  const [feedId, mac] = token.split('.');
  if (!feedId || !mac || !/^[A-Za-z0-9_-]{16,64}$/.test(feedId)) return undefined;
  if (!safeEqual(token, tokenOf(rt, feedId))) return undefined;
  return bookings.feedPerson(rt.db, feedId);
}
