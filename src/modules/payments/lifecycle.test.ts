/**
 * The front door as another module uses it, and time: a payment written in the caller's
 * transaction (or not at all), the same idempotency key, listeners told in the transaction
 * (refunding from inside one), expiry by the worker — of a payment never started, of one
 * started (stopped at the provider first), of one the provider captured meanwhile — and the
 * payer arriving after the time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import type { PaymentChange, PaymentView } from './index.js';
import { payAsPayer, samplePayment } from './testing.js';

describe('payments over time, through the front door', () => {
  let t: TestServer;
  let clock = new Date('2026-11-23T01:00:00Z');
  const told: { id: string; change: PaymentChange; view: PaymentView }[] = [];
  const later = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));
  const state = async (id: string) => (await t.server.payments.paymentOf(id))!.state;
  const chargeOf = async (id: string) =>
    (await t.db.query<{ ref: string; state: string }>(`SELECT ref, state FROM payments.simulated_charges WHERE payment_id = $1`, [id]))[0];

  beforeAll(async () => {
    t = await startTestServer({}, { now: () => clock });
    t.server.payments.onPaymentChanged(async (tx, view, change) => {
      told.push({ id: view.id, change, view });
      // Like a booking whose hold ran out: it cannot be confirmed, so the money goes back.
      if (change.to === 'succeeded' && view.ownerRef === 'hold-gone') {
        await t.server.payments.refund({ paymentId: view.id, amount: view.amount, refundableAmount: view.refundable, reason: 'the hold had expired' });
        // Reads inside the handler see its own transaction.
        expect((await t.server.payments.paymentOf(view.id))!.refundable).toBe(0);
        expect(tx).toBeDefined();
      }
    }, { purpose: 'reservation' });
  });
  afterAll(async () => t?.close());

  it('writes the payment in the caller’s transaction: rolled back with it, kept with it', async () => {
    let id = '';
    await expect(
      t.db.transaction(async (tx) => {
        id = (await t.server.payments.createPayment(tx, samplePayment(clock, { reference: 'R-ROLLBACK' }))).id;
        throw new Error('the booking failed');
      }),
    ).rejects.toThrow('the booking failed');
    expect(await t.server.payments.paymentOf(id)).toBeUndefined();
    const kept = await t.db.transaction((tx) => t.server.payments.createPayment(tx, samplePayment(clock)));
    expect(kept.nextUrl).toMatch(/^\/payments\/pay\/[A-Za-z0-9_-]{43}$/);
    expect(await state(kept.id)).toBe('created');
  });

  it('gives the same answer for the same key, 409 for another request, and names bad fields', async () => {
    const p = samplePayment(clock, { idempotencyKey: 'booking-9-attempt-1' });
    const a = await t.server.payments.createPayment(undefined, p);
    const b = await t.server.payments.createPayment(undefined, { ...p });
    expect(b).toEqual(a);
    await expect(t.server.payments.createPayment(undefined, { ...p, amount: p.amount + 1 })).rejects.toMatchObject({ code: 'conflict' });
    const bad = await t.server.payments.createPayment(undefined, samplePayment(clock, { returnUrl: 'https://elsewhere.example/', amount: 1.5, expiresAt: new Date(clock.getTime() - 1) })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DomainError);
    expect((bad as DomainError).issues!.map((i) => i.field).sort()).toEqual(['amount', 'expiresAt', 'returnUrl']);
  });

  it('tells listeners of each change in its transaction; a refund from inside one goes out after it commits', async () => {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(clock, { ownerRef: 'hold-gone', amount: 2000 }));
    await payAsPayer(t, nextUrl, 'pay');
    expect(told.filter((x) => x.id === id).map((x) => `${x.change.from}→${x.change.to}:${x.change.cause}`)).toEqual(['created→started:payer', 'started→succeeded:provider']);
    let p = (await t.server.payments.paymentOf(id))!;
    expect(p).toMatchObject({ state: 'succeeded', captured: 2000, refundable: 0 });
    expect(p.refunds).toMatchObject([{ amount: 2000, state: 'submitted', reason: 'the hold had expired' }]);
    await t.server.payments.runWorkers();
    p = (await t.server.payments.paymentOf(id))!;
    expect(p).toMatchObject({ refunded: 2000, refundable: 0 });
    expect((await t.server.payments.paymentsOf('reservation', 'hold-gone')).map((x) => x.id)).toEqual([id]);
  });

  it('expires a payment never started, once its time has passed', async () => {
    const { id } = await t.server.payments.createPayment(undefined, samplePayment(clock, { expiresAt: new Date(clock.getTime() + 30 * 60_000) }));
    later(29);
    await t.server.payments.runWorkers();
    expect(await state(id)).toBe('created');
    later(2);
    await t.server.payments.runWorkers();
    expect(await state(id)).toBe('expired');
    expect(told.find((x) => x.id === id)?.change).toEqual({ from: 'created', to: 'expired', cause: 'expiry' });
  });

  it('stops a started payment at the provider before expiring it: the payer can no longer pay', async () => {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(clock, { expiresAt: new Date(clock.getTime() + 10 * 60_000) }));
    const visit = await payAsPayer(t, nextUrl, 'none');
    later(11);
    await t.server.payments.runWorkers();
    expect(await state(id)).toBe('expired');
    expect((await chargeOf(id))!.state).toBe('expired');
    const page = await t.inject({ method: 'GET', url: visit.providerPage });
    expect(page.body).toContain('このお支払いは「期限切れ」です。');
    expect(page.body).not.toContain('value="pay"');
    expect((await t.server.payments.paymentOf(id))!.captured).toBe(0);
  });

  it('lets a capture the provider made before the expiry win: the payment succeeds instead', async () => {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(clock, { expiresAt: new Date(clock.getTime() + 10 * 60_000), amount: 700 }));
    await payAsPayer(t, nextUrl, 'none');
    // Paid at the provider; its webhook has not arrived yet.
    await t.db.query(`UPDATE payments.simulated_charges SET state = 'succeeded' WHERE payment_id = $1`, [id]);
    later(11);
    await t.server.payments.runWorkers();
    expect(await t.server.payments.paymentOf(id)).toMatchObject({ state: 'succeeded', captured: 700 });
  });

  it('shows a payer who arrives late that the payment expired, and expires it then', async () => {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(clock, { expiresAt: new Date(clock.getTime() + 5 * 60_000) }));
    later(6);
    const res = await t.inject({ method: 'GET', url: nextUrl, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('期限切れ');
    expect(await state(id)).toBe('expired');
  });

  it('expires at the provider a payer who presses 「支払う」 after the time, and takes nothing', async () => {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(clock, { expiresAt: new Date(clock.getTime() + 5 * 60_000) }));
    const visit = await payAsPayer(t, nextUrl, 'none');
    later(6);
    const page = await t.inject({ method: 'GET', url: visit.providerPage });
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const fresh = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await t.inject({ method: 'POST', url: visit.providerPage, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${fresh}&action=pay` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(visit.providerPage);
    expect(await t.server.payments.paymentOf(id)).toMatchObject({ state: 'expired', captured: 0 });
  });

  it('cancels through the front door; a paid payment cannot be cancelled', async () => {
    const open = await t.server.payments.createPayment(undefined, samplePayment(clock));
    expect((await t.server.payments.cancel(open.id)).state).toBe('cancelled');
    expect((await t.server.payments.cancel(open.id)).state).toBe('cancelled');
    const paid = await t.server.payments.createPayment(undefined, samplePayment(clock));
    await payAsPayer(t, paid.nextUrl, 'pay');
    await expect(t.server.payments.cancel(paid.id)).rejects.toMatchObject({ code: 'conflict' });
  });
});
