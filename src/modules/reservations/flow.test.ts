/**
 * A booking's life with money, through the payments module and its simulated provider: held
 * until paid, confirmed by the payment's webhook; cancelled within the rules with the rule's
 * share refunded (100%, 50%, refused after the deadline); released by the worker when unpaid;
 * a payment that comes after the hold ended is refunded in full; the waiting list is offered a
 * freed slot in the order people joined. On PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { payAsPayer, signedWebhook } from '../payments/testing.js';
import { facilitiesOf, overlaps, residents, testClock, tripOn, type Resident } from './testing.js';

const clock = testClock('2026-11-23T10:00:00+09:00'); // Monday

interface Booking {
  id: string;
  reference: string;
  state: string;
  fee: { amount: number };
  holdUntil: string | null;
  cancellation: { allowed: boolean; refund: number; refundPercent: number; lastDate: string };
  refunds: { amount: number; state: string; reason: string }[];
}

describe('booking, paying, cancelling, releasing, waiting', () => {
  let t: TestServer;
  let a: Resident[];
  let b: Resident[];

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    a = await residents(t);
    b = await residents(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => clock.set('2026-11-23T10:00:00+09:00'));

  const book = async (who: Resident, body: Record<string, unknown>): Promise<Booking> => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: who.headers, payload: { people: 4, purposeOfUse: '会議', contactEmail: 'resident@example.jp', ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Booking;
  };
  const get = async (who: Resident, id: string): Promise<Booking> => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/bookings/${id}`, headers: who.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Booking;
  };
  const startPaying = async (who: Resident, id: string, method = 'card') => {
    const res = await t.inject({ method: 'POST', url: `/api/v1/bookings/${id}/payment`, headers: who.headers, payload: { method } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { paymentId: string; nextUrl: string; holdUntil: string };
  };
  const pay = async (who: Resident, id: string) => {
    const p = await startPaying(who, id);
    const visit = await payAsPayer(t, p.nextUrl, 'pay', who.cookie);
    expect(visit.returnedTo).toContain(`/me/bookings/${id}?paid=1`);
    await t.server.payments.runWorkers();
    return p.paymentId;
  };
  const cancel = (who: Resident, id: string) => t.inject({ method: 'POST', url: `/api/v1/bookings/${id}/cancellation`, headers: who.headers, payload: {} });
  const mails = async (tag: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM platform.mail_queue WHERE tag = $1`, [tag]))[0]!.n;
  const slotStatus = async (facility: string, unit: string, date: string, index: number) => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/facilities/${facility}/availability?from=${date}&days=1` });
    return (res.json() as { units: { code: string; days: { slots: { status: string }[] }[] }[] }).units.find((u) => u.code === unit)!.days[0]!.slots[index]!.status;
  };

  it('holds a booking until it is paid, then confirms it from the payment', async () => {
    const held = await book(a[0]!, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-08T09:00:00+09:00' });
    expect(held).toMatchObject({ state: 'held', fee: { amount: 1200 }, holdUntil: '2026-11-23T01:30:00.000Z' });
    expect(await mails('reservations.held')).toBe(1);
    expect(await slotStatus('kominkan', 'kaigi-1', '2026-12-08', 0)).toBe('taken');
    const paymentId = await pay(a[0]!, held.id);
    const paid = await get(a[0]!, held.id);
    expect(paid).toMatchObject({ state: 'confirmed', holdUntil: null });
    expect(await mails('reservations.confirmed')).toBe(1);
    const payment = (await t.server.payments.paymentOf(paymentId))!;
    expect(payment).toMatchObject({ state: 'succeeded', purpose: 'reservation', ownerRef: held.id, amount: 1200, reference: held.reference });
    // Cancelled ten days before: all of it back (7+ days: 100%).
    expect(paid.cancellation).toMatchObject({ allowed: true, refundPercent: 100, refund: 1200, lastDate: '2026-12-07' });
    const res = await cancel(a[0]!, held.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ refund: 1200, refundBy: 'payment', booking: { state: 'cancelled', refunds: [{ amount: 1200, state: 'submitted', reason: 'cancelled' }] } });
    await t.server.payments.runWorkers();
    expect((await t.server.payments.paymentOf(paymentId))!).toMatchObject({ refunded: 1200, refundable: 0 });
    expect(await slotStatus('kominkan', 'kaigi-1', '2026-12-08', 0)).toBe('available');
    expect(await mails('reservations.cancelled')).toBe(1);
    // Cancelling twice is a conflict, not a second refund.
    expect((await cancel(a[0]!, held.id)).statusCode).toBe(409);
  });

  it('gives back the rule’s share closer to the day, and refuses after the deadline', async () => {
    const thu = await book(a[1]!, { facility: 'kominkan', unit: 'kaigi-2', start: '2026-11-26T13:00:00+09:00' }); // 3 days ahead: 50%
    const paymentId = await pay(a[1]!, thu.id);
    const res = await cancel(a[1]!, thu.id);
    expect(res.json()).toMatchObject({ refund: 600, refundBy: 'payment' });
    await t.server.payments.runWorkers();
    expect((await t.server.payments.paymentOf(paymentId))!).toMatchObject({ refunded: 600, refundable: 600 });

    const wed = await book(a[1]!, { facility: 'kominkan', unit: 'kaigi-2', start: '2026-11-25T13:00:00+09:00' });
    await pay(a[1]!, wed.id);
    clock.set('2026-11-25T08:00:00+09:00'); // the day itself; the deadline was the day before
    const late = await cancel(a[1]!, wed.id);
    expect(late.statusCode).toBe(422);
    expect(late.json()).toMatchObject({ rule: 'cancellation-deadline', lastDate: '2026-11-24' });
    expect((await get(a[1]!, wed.id)).state).toBe('confirmed');
  });

  it('releases an unpaid hold when its time runs out, and the slot is free again', async () => {
    const held = await book(a[2]!, { facility: 'tennis', unit: 'court-1', start: '2026-11-24T10:00:00+09:00', people: 2 });
    expect(await t.server.reservations.releaseDueHolds()).toBe(0);
    clock.advance(21 * 60_000); // tennis holds 20 minutes
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    expect((await get(a[2]!, held.id)).state).toBe('released');
    expect(await slotStatus('tennis', 'court-1', '2026-11-24', 1)).toBe('available');
    expect(await mails('reservations.released')).toBe(1);
    const again = await t.inject({ method: 'POST', url: `/api/v1/bookings/${held.id}/payment`, headers: a[2]!.headers, payload: { method: 'card' } });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ rule: 'hold-ended' });
  });

  it('lets no booker cancel (or be refunded) once the slot has begun, even on a day the rules still allow', async () => {
    const trip = await tripOn(t, '2026-11-24');
    const ride = await book(a[2]!, { facility: 'bus', trip, people: 1 });
    await pay(a[2]!, ride.id);
    clock.set('2026-11-24T08:30:00+09:00'); // the day itself, before it leaves: still allowed by the bus's rules
    expect((await get(a[2]!, ride.id)).cancellation).toMatchObject({ allowed: true });
    clock.set('2026-11-24T17:00:00+09:00'); // after the trip came back
    expect((await get(a[2]!, ride.id)).cancellation).toMatchObject({ allowed: false, refundPercent: 0, refund: 0 });
    const res = await cancel(a[2]!, ride.id);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ rule: 'cancellation-deadline', started: true });
    expect((await get(a[2]!, ride.id)).state).toBe('confirmed');
    const shown = await t.inject({ method: 'GET', url: `/me/bookings/${ride.id}`, headers: { cookie: a[2]!.cookie } });
    expect(shown.body).toContain('ご利用の時間が始まっているため、インターネットでは取り消せません。');
    // A hold cannot be given up after its start either.
    clock.set('2026-11-23T10:00:00+09:00');
    const court = await book(a[2]!, { facility: 'tennis', unit: 'court-3', start: '2026-11-23T12:00:00+09:00', people: 2 });
    clock.set('2026-11-23T12:05:00+09:00');
    expect((await cancel(a[2]!, court.id)).statusCode).toBe(422);
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
  });

  it('releases the other holds when one of them cannot be released', async () => {
    const one = await book(b[1]!, { facility: 'tennis', unit: 'court-1', start: '2026-11-26T10:00:00+09:00', people: 2 });
    const two = await book(b[1]!, { facility: 'tennis', unit: 'court-1', start: '2026-11-26T12:00:00+09:00', people: 2 });
    // The first one's release fails (whatever the cause): the pass goes on with the next.
    await t.db.exec(`CREATE FUNCTION public.refuse_release() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF NEW.id = '${one.id}' AND NEW.state = 'released' THEN RAISE EXCEPTION 'cannot release this one'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_release BEFORE UPDATE ON reservations.bookings FOR EACH ROW EXECUTE FUNCTION public.refuse_release();`);
    try {
      clock.advance(21 * 60_000);
      expect(await t.server.reservations.releaseDueHolds()).toBe(1);
      expect((await get(b[1]!, one.id)).state).toBe('held');
      expect((await get(b[1]!, two.id)).state).toBe('released');
    } finally {
      await t.db.exec(`DROP TRIGGER refuse_release ON reservations.bookings; DROP FUNCTION public.refuse_release();`);
    }
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    expect((await get(b[1]!, one.id)).state).toBe('released');
    expect(await overlaps(t)).toBe(0);
  });

  /**
   * The payer paid at the provider in time, but the provider's word arrives only now (late):
   * the simulated provider's own record of the charge, and its signed webhook.
   */
  const lateCapture = async (paymentId: string, amount: number) => {
    const charge = (await t.server.payments.paymentOf(paymentId))!.providerRef!;
    await t.db.query(`UPDATE payments.simulated_charges SET state = 'succeeded' WHERE ref = $1`, [charge]);
    const hook = signedWebhook(t, { type: 'charge.succeeded', charge, amount }, { at: clock.now() });
    const res = await t.inject({ method: 'POST', url: '/api/v1/payments/webhooks/simulated', headers: hook.headers, payload: hook.payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
  };

  it('refuses paying a hold that has ended, and refunds in full money that arrives after it', async () => {
    const held = await book(b[0]!, { facility: 'tennis', unit: 'court-2', start: '2026-11-24T12:00:00+09:00', people: 2 });
    const p = await startPaying(b[0]!, held.id);
    await payAsPayer(t, p.nextUrl, 'none', b[0]!.cookie); // the payer is on the provider's page…
    clock.advance(25 * 60_000); // …and the hold ends
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    // Following the payment link now leads to no charge: the payment ended with the hold.
    const link = await t.inject({ method: 'GET', url: p.nextUrl.replace(t.config.publicUrl, ''), headers: { accept: 'text/html', cookie: b[0]!.cookie } });
    expect(link.statusCode).toBe(200);
    expect((await t.server.payments.paymentOf(p.paymentId))!.captured).toBe(0);
    // A capture the provider reports afterwards (paid in time, told late) is given back in full.
    await lateCapture(p.paymentId, 1000);
    await t.server.payments.runWorkers();
    expect((await get(b[0]!, held.id)).state).toBe('released');
    const payment = (await t.server.payments.paymentOf(p.paymentId))!;
    expect(payment.refunds.reduce((s, r) => s + r.amount, 0)).toBe(payment.captured);
    expect(payment.refundable).toBe(0);
    // The booking shows it, and the booker is told (the payments module refunded it by itself).
    expect((await get(b[0]!, held.id)).refunds).toEqual([{ amount: 1000, state: 'succeeded', reason: 'hold-ended' }]);
    expect(await mails('reservations.late-refund')).toBe(1);
    expect(await overlaps(t)).toBe(0);
  });

  it('refunds in full a payment for a hold that ended before the provider told it', async () => {
    const held = await book(b[0]!, { facility: 'tennis', unit: 'court-2', start: '2026-11-24T14:00:00+09:00', people: 2 });
    const p = await startPaying(b[0]!, held.id);
    await payAsPayer(t, p.nextUrl, 'none', b[0]!.cookie);
    const res = await cancel(b[0]!, held.id); // the booker gives the hold up
    expect(res.json()).toMatchObject({ refund: 0, refundBy: 'none', booking: { state: 'cancelled' } });
    await lateCapture(p.paymentId, 1000); // the payment still went through
    await t.server.payments.runWorkers();
    const after = await get(b[0]!, held.id);
    expect(after.state).toBe('cancelled');
    // The refund the payments module made by itself is on the booking, as the provider settled it.
    expect(after.refunds).toEqual([{ amount: 1000, state: 'succeeded', reason: 'hold-ended' }]);
    // Cancelling the hold cancelled its payment; the capture that came anyway was refunded by the payments module.
    expect((await t.server.payments.paymentOf(p.paymentId))!).toMatchObject({ state: 'cancelled', refunded: 1000, refundable: 0 });
    expect(await mails('reservations.late-refund')).toBe(2);
  });

  it('offers a freed slot to the waiting list in the order people joined', async () => {
    const slot = { facility: 'kominkan', unit: 'washitsu', start: '2026-12-10T13:00:00+09:00' };
    const first = await book(a[0]!, slot);
    const wait = (who: Resident) => t.inject({ method: 'POST', url: '/api/v1/waitlist', headers: who.headers, payload: { ...slot, people: 3, purposeOfUse: '茶道', contactEmail: 'wait@example.jp' } });
    // A free slot is booked, not waited for.
    const free = await t.inject({ method: 'POST', url: '/api/v1/waitlist', headers: b[1]!.headers, payload: { ...slot, start: '2026-12-10T09:00:00+09:00', people: 3, contactEmail: 'wait@example.jp' } });
    expect(free.statusCode).toBe(409);
    const w1 = await wait(b[1]!);
    expect(w1.statusCode, w1.body).toBe(201);
    expect(w1.json()).toMatchObject({ state: 'waiting', place: 1 });
    const w2 = await wait(b[2]!);
    expect(w2.json()).toMatchObject({ place: 2 });
    expect((await wait(b[2]!)).statusCode).toBe(409);

    // The first booker does not pay: the hold lapses and goes to the first in line.
    clock.advance(31 * 60_000);
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    const mine1 = (await t.inject({ method: 'GET', url: '/api/v1/waitlist', headers: b[1]!.headers })).json() as { items: { state: string; offeredBookingId: string | null }[] };
    expect(mine1.items[0]).toMatchObject({ state: 'offered' });
    const offer1 = await get(b[1]!, mine1.items[0]!.offeredBookingId!);
    expect(offer1).toMatchObject({ state: 'held' });
    expect(await mails('reservations.offered')).toBe(1);
    expect((await t.inject({ method: 'GET', url: '/api/v1/waitlist', headers: b[2]!.headers })).json()).toMatchObject({ items: [{ state: 'waiting', place: 1 }] });
    expect((await get(a[0]!, first.id)).state).toBe('released');

    // The first in line does not pay either (an offer is held 24 hours): the next one gets it, and pays.
    clock.advance(24 * 3_600_000 + 60_000);
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    expect((await t.inject({ method: 'GET', url: '/api/v1/waitlist', headers: b[1]!.headers })).json()).toMatchObject({ items: [{ state: 'lapsed' }] });
    const mine2 = (await t.inject({ method: 'GET', url: '/api/v1/waitlist', headers: b[2]!.headers })).json() as { items: { state: string; offeredBookingId: string }[] };
    expect(mine2.items[0]!.state).toBe('offered');
    await pay(b[2]!, mine2.items[0]!.offeredBookingId);
    expect((await t.inject({ method: 'GET', url: '/api/v1/waitlist', headers: b[2]!.headers })).json()).toMatchObject({ items: [{ state: 'booked' }] });
    expect((await get(b[2]!, mine2.items[0]!.offeredBookingId)).state).toBe('confirmed');
    expect(await overlaps(t)).toBe(0);
  });

  it('offers a cancelled booking’s slot at once to the first waiting', async () => {
    const slot = { facility: 'taiikukan', unit: 'hanmen-a', start: '2026-12-09T19:00:00+09:00' };
    const mine = await book(a[1]!, slot);
    await pay(a[1]!, mine.id);
    const w = await t.inject({ method: 'POST', url: '/api/v1/waitlist', headers: b[0]!.headers, payload: { facility: 'taiikukan', unit: 'zenmen', start: slot.start, people: 12, purposeOfUse: 'バレーボール', contactEmail: 'wait@example.jp' } });
    expect(w.statusCode, w.body).toBe(201);
    expect((await cancel(a[1]!, mine.id)).statusCode).toBe(200);
    const items = ((await t.inject({ method: 'GET', url: '/api/v1/waitlist', headers: b[0]!.headers })).json() as { items: { state: string; offeredBookingId: string }[] }).items;
    expect(items[0]!.state).toBe('offered');
    expect(await get(b[0]!, items[0]!.offeredBookingId)).toMatchObject({ state: 'held', fee: { amount: 2400 } });
  });

  it('lists a resident’s bookings, and leaves an audit entry for each read', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/bookings', headers: a[0]!.headers });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit.entries WHERE action LIKE 'booking.%' ORDER BY seq DESC LIMIT 1`);
    expect(audit[0]!.action).toBe('booking.list');
    // Someone else's booking is not found.
    const theirs = ((await t.inject({ method: 'GET', url: '/api/v1/bookings', headers: b[2]!.headers })).json() as { items: { id: string }[] }).items[0]!.id;
    expect((await t.inject({ method: 'GET', url: `/api/v1/bookings/${theirs}`, headers: a[0]!.headers })).statusCode).toBe(404);
  });
});
