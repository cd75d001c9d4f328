/**
 * Paying for a booking when things go wrong: a declined or cancelled payment can be tried
 * again (and the return page says how it went); payments a booking no longer needs are
 * cancelled; a convenience-store payment holds the booking once, not again and again; a
 * refund the provider refuses is shown as refused until the accounting desk retries it; a
 * capture reported twice after the hold had gone is refunded once, shown and mailed; and a
 * cancellation keeps and mails what is actually given back. On PGlite, and on PostgreSQL with
 * TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { accountant, payAsPayer, signedWebhook } from '../payments/testing.js';
import { facilitiesOf, overlaps, residents, testClock, type Resident } from './testing.js';

const clock = testClock('2026-11-23T10:00:00+09:00'); // Monday

interface Booking {
  id: string;
  state: string;
  holdUntil: string | null;
  refundAmount: number | null;
  refunds: { amount: number; state: string; reason: string }[];
  payments: { id: string; state: string }[];
}

describe('paying for a booking when something goes wrong', () => {
  let t: TestServer;
  let a: Resident[];

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    a = [...(await residents(t)), ...(await residents(t))];
  });
  afterAll(async () => t?.close());
  beforeEach(() => clock.set('2026-11-23T10:00:00+09:00'));

  const book = async (who: Resident, body: Record<string, unknown>): Promise<Booking> => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: who.headers, payload: { people: 4, purposeOfUse: '会議', contactEmail: 'r@example.jp', ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Booking;
  };
  const get = async (who: Resident, id: string): Promise<Booking> => (await t.inject({ method: 'GET', url: `/api/v1/bookings/${id}`, headers: who.headers })).json() as Booking;
  const startPaying = (who: Resident, id: string, method = 'card') => t.inject({ method: 'POST', url: `/api/v1/bookings/${id}/payment`, headers: who.headers, payload: { method } });
  const paying = async (who: Resident, id: string, method = 'card') => {
    const res = await startPaying(who, id, method);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { paymentId: string; nextUrl: string; holdUntil: string };
  };
  const payment = async (id: string) => (await t.server.payments.paymentOf(id))!;
  const page = (who: Resident, url: string) => t.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const mails = async (tag: string) => t.db.query<{ body: string }>(`SELECT body FROM platform.mail_queue WHERE tag = $1 ORDER BY id`, [tag]);

  it('lets the payer try again after a declined or cancelled payment, and says on return how it went', async () => {
    const me = a[0]!;
    const held = await book(me, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-08T09:00:00+09:00' });
    const first = await paying(me, held.id);
    const declined = await payAsPayer(t, first.nextUrl, 'decline', me.cookie);
    expect(declined.returnedTo).toBe(`/me/bookings/${held.id}?paid=1`);
    let back = await page(me, declined.returnedTo!);
    expect(back.body).toContain('お支払いができませんでした。');
    expect(back.body).not.toContain('お支払いの結果を確認しています');
    // Again by card: a payment of its own (not the declined one replayed).
    const second = await paying(me, held.id);
    expect(second.paymentId).not.toBe(first.paymentId);
    back = await page(me, (await payAsPayer(t, second.nextUrl, 'cancel', me.cookie)).returnedTo!);
    expect(back.body).toContain('お支払いを取りやめました。');
    // And by the page's form.
    const form = await t.inject({
      method: 'POST', url: `/me/bookings/${held.id}/pay`, headers: { cookie: me.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `method=card&_csrf=${encodeURIComponent(me.headers['x-csrf-token']!)}`,
    });
    expect(form.statusCode, form.body.slice(0, 300)).toBe(303);
    await payAsPayer(t, String(form.headers.location), 'pay', me.cookie);
    expect((await get(me, held.id)).state).toBe('confirmed');
    expect((await get(me, held.id)).payments.map((p) => p.state)).toEqual(['succeeded', 'cancelled', 'failed']);
  });

  it('cancels the payments a booking no longer needs: another method paid, the booking cancelled or released', async () => {
    const me = a[1]!;
    const held = await book(me, { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-08T09:00:00+09:00' });
    const slip = await paying(me, held.id, 'konbini');
    const slipPage = await payAsPayer(t, slip.nextUrl, 'none', me.cookie); // the slip is printed…
    await payAsPayer(t, (await paying(me, held.id, 'card')).nextUrl, 'pay', me.cookie); // …and then paid by card
    expect((await get(me, held.id)).state).toBe('confirmed');
    expect((await payment(slip.paymentId)).state).toBe('started');
    expect(await t.server.reservations.cancelStrayPayments()).toBe(1);
    expect((await payment(slip.paymentId)).state).toBe('cancelled');
    // The slip can no longer be paid at the store.
    const ref = slipPage.providerPage.split('/').pop()!;
    expect((await t.db.query<{ state: string }>(`SELECT state FROM payments.simulated_charges WHERE ref = $1`, [ref]))[0]!.state).toBe('cancelled');

    // A hold given up while its payment is open: the payment is cancelled with it.
    const gaveUp = await book(me, { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-09T09:00:00+09:00' });
    const open = await paying(me, gaveUp.id);
    await payAsPayer(t, open.nextUrl, 'none', me.cookie);
    expect((await t.inject({ method: 'POST', url: `/api/v1/bookings/${gaveUp.id}/cancellation`, headers: me.headers, payload: {} })).statusCode).toBe(200);
    expect((await payment(open.paymentId)).state).toBe('cancelled');

    // A hold released unpaid: its payment ends with it.
    const lapsed = await book(me, { facility: 'tennis', unit: 'court-1', start: '2026-11-25T10:00:00+09:00', people: 2 });
    const left = await paying(me, lapsed.id, 'qr');
    await payAsPayer(t, left.nextUrl, 'none', me.cookie);
    clock.advance(21 * 60_000);
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    expect(['cancelled', 'expired']).toContain((await payment(left.paymentId)).state);
    expect(await t.server.reservations.cancelStrayPayments()).toBe(0);
  });

  it('holds a booking for a convenience-store payment once: starting again does not extend it', async () => {
    const me = a[2]!;
    const held = await book(me, { facility: 'kominkan', unit: 'washitsu', start: '2026-12-20T09:00:00+09:00' });
    expect(held.holdUntil).toBe('2026-11-23T01:30:00.000Z'); // 30 minutes
    const first = await paying(me, held.id, 'konbini');
    expect(first.holdUntil).toBe('2026-11-26T01:00:00.000Z'); // 72 hours from the booking
    await payAsPayer(t, first.nextUrl, 'cancel', me.cookie);
    clock.advance(70 * 3_600_000);
    const again = await paying(me, held.id, 'konbini');
    expect(again.holdUntil).toBe('2026-11-26T01:00:00.000Z');
    expect((await payment(again.paymentId)).expiresAt.toISOString()).toBe('2026-11-26T01:00:00.000Z');
    await payAsPayer(t, again.nextUrl, 'cancel', me.cookie);
    clock.advance(90 * 60_000); // less than an hour left: no time to go to a store
    const late = await startPaying(me, held.id, 'konbini');
    expect(late.statusCode).toBe(422);
    expect(late.json()).toMatchObject({ rule: 'konbini-not-offered' });
    clock.advance(60 * 60_000);
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    expect((await startPaying(me, held.id, 'konbini')).json()).toMatchObject({ rule: 'hold-ended' });
  });

  it('shows a refund the provider refused as refused, until the accounting desk gives it back', async () => {
    const me = a[3]!;
    const held = await book(me, { facility: 'kominkan', unit: 'kaigi-1', start: '2026-12-09T09:00:00+09:00' });
    const p = await paying(me, held.id);
    await payAsPayer(t, p.nextUrl, 'pay', me.cookie);
    const charge = (await payment(p.paymentId)).providerRef!;
    await t.db.query(`UPDATE payments.simulated_charges SET state = 'failed' WHERE ref = $1`, [charge]); // the provider will refuse
    const res = await t.inject({ method: 'POST', url: `/api/v1/bookings/${held.id}/cancellation`, headers: me.headers, payload: {} });
    expect(res.json()).toMatchObject({ refund: 1200, refundBy: 'payment' });
    await t.server.payments.runWorkers();
    expect((await get(me, held.id)).refunds).toEqual([{ amount: 1200, state: 'failed', reason: 'cancelled' }]);
    const shown = await page(me, `/me/bookings/${held.id}?cancelled=1`);
    expect(shown.body).toContain('返金は決済事業者が受け付けなかったため');
    expect(shown.body).not.toContain('1,200円を返金します');
    expect(shown.body).not.toContain('返金の手続きをしました');
    expect(shown.body).toContain('返金できませんでした');
    expect((await t.db.query(`SELECT 1 FROM outbox.events WHERE type = 'reservations.refund.failed' AND payload->>'bookingId' = $1`, [held.id])).length).toBe(1);

    // The accounting desk sees it, and tries again once the provider takes it.
    await t.db.query(`UPDATE payments.simulated_charges SET state = 'succeeded' WHERE ref = $1`, [charge]);
    const clerk = await accountant(t);
    const desk = await t.inject({ method: 'GET', url: '/staff/payments', headers: { cookie: clerk.cookie } });
    const refundId = (await payment(p.paymentId)).refunds[0]!.id;
    expect(desk.body).toContain(`/staff/payments/refunds/${refundId}/retry`);
    const retry = await t.inject({
      method: 'POST', url: `/staff/payments/refunds/${refundId}/retry`, headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(clerk.csrf)}`,
    });
    expect(retry.statusCode).toBe(303);
    expect((await get(me, held.id)).refunds).toEqual([{ amount: 1200, state: 'succeeded', reason: 'cancelled' }]);
    expect((await payment(p.paymentId))).toMatchObject({ refunded: 1200, refundable: 0 });
  });

  it('refunds once a capture reported twice after the hold had gone, and tells the booker', async () => {
    const me = a[4]!;
    const held = await book(me, { facility: 'tennis', unit: 'court-2', start: '2026-11-24T12:00:00+09:00', people: 2 });
    const p = await paying(me, held.id);
    await payAsPayer(t, p.nextUrl, 'none', me.cookie);
    clock.advance(25 * 60_000);
    expect(await t.server.reservations.releaseDueHolds()).toBe(1);
    await t.server.payments.runWorkers();
    const charge = (await payment(p.paymentId)).providerRef!;
    await t.db.query(`UPDATE payments.simulated_charges SET state = 'succeeded' WHERE ref = $1`, [charge]);
    const outcomes = [];
    for (const id of ['evt_twice_1', 'evt_twice_2']) {
      const hook = signedWebhook(t, { id, type: 'charge.succeeded', charge, amount: 1000 }, { at: clock.now() });
      outcomes.push((await t.inject({ method: 'POST', url: '/api/v1/payments/webhooks/simulated', headers: hook.headers, payload: hook.payload })).json().outcome);
    }
    expect(outcomes).toEqual(['late-capture', 'ignored']);
    await t.server.payments.runWorkers();
    const after = await payment(p.paymentId);
    expect(after.refunds.map((r) => [r.amount, r.state, r.automatic])).toEqual([[1000, 'succeeded', true]]);
    expect(after).toMatchObject({ captured: 1000, refunded: 1000, refundable: 0 });
    const ledger = await t.db.query<{ kind: string }>(`SELECT kind FROM payments.ledger WHERE payment_id = $1 ORDER BY id`, [p.paymentId]);
    expect(ledger.map((l) => l.kind)).toEqual(['capture', 'fee', 'refund']);
    // The booking shows the money going back, and the booker is mailed once.
    expect(await get(me, held.id)).toMatchObject({ state: 'released', refunds: [{ amount: 1000, state: 'succeeded', reason: 'hold-ended' }] });
    const late = (await mails('reservations.late-refund')).filter((m) => m.body.includes('1,000円'));
    expect(late).toHaveLength(1);
  });

  it('keeps and mails the refund actually given back, when less is left to refund than the rule’s share', async () => {
    const me = a[5]!;
    const held = await book(me, { facility: 'kominkan', unit: 'kaigi-2', start: '2026-12-10T13:00:00+09:00' });
    const p = await paying(me, held.id);
    await payAsPayer(t, p.nextUrl, 'pay', me.cookie);
    // The accounting desk has already given back 1,000 of the 1,200 (a complaint, say).
    await t.server.payments.refund({ paymentId: p.paymentId, amount: 1000, refundableAmount: 1200, reason: 'goodwill' });
    const res = await t.inject({ method: 'POST', url: `/api/v1/bookings/${held.id}/cancellation`, headers: me.headers, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ refund: 200, refundBy: 'payment', booking: { refundAmount: 200, refunds: [{ amount: 200, reason: 'cancelled' }] } });
    const mail = (await mails('reservations.cancelled')).at(-1)!;
    expect(mail.body).toContain('返金額：200円');
    expect(await overlaps(t)).toBe(0);
  });
});
