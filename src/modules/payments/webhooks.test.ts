/**
 * The provider's word, as webhooks: a payer paying on the simulated page (delivered in
 * process before they return), a bad or missing signature or an old timestamp (401, nothing
 * changes), the same event twice (no double capture), a listener that fails (rolled back,
 * applied when delivered again), money taken after the payment ended (refunded by itself),
 * a convenience-store payment paid later, a decline and a cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import type { AddressInfo } from 'node:net';
import { SimulatedProvider } from './providers/simulated.js';
import { accountant, payAsPayer, samplePayment, signedWebhook, signRaw, simulatedSecret } from './testing.js';

describe('payment webhooks', () => {
  let t: TestServer;
  let failNext = false;
  const told: { purpose: string; from: string; to: string }[] = [];
  const refundsTold: { paymentId: string; cause: string; state: string }[] = [];
  const q = <T>(sql: string, params: unknown[] = []) => t.db.query<T>(sql, params);
  const one = async <T>(sql: string, params: unknown[] = []) => (await q<T>(sql, params))[0]!;
  const ledger = (id: string) => q<{ kind: string; amount: number }>(`SELECT kind, amount FROM payments.ledger WHERE payment_id = $1 ORDER BY id`, [id]);
  const post = (w: { payload: string; headers: Record<string, string> }) => t.inject({ method: 'POST', url: '/api/v1/payments/webhooks/simulated', headers: w.headers, payload: w.payload });

  async function started(over: Parameters<typeof samplePayment>[1] = {}) {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(new Date(), over));
    const visit = await payAsPayer(t, nextUrl, 'none');
    const ref = visit.providerPage.split('/').pop()!;
    return { id, nextUrl, ref, visit };
  }

  beforeAll(async () => {
    t = await startTestServer();
    t.server.payments.onPaymentChanged(async (_tx, p, change) => {
      told.push({ purpose: p.purpose, from: change.from, to: change.to });
      if (failNext && change.to === 'succeeded') throw new Error('the booking cannot take it now');
    }, { purpose: 'flaky' });
    t.server.payments.onRefundChanged(async (_tx, r, p, cause) => {
      refundsTold.push({ paymentId: p.id, cause, state: r.state });
    });
  });
  afterAll(async () => t?.close());

  it('applies the payer’s payment before they come back, with the capture and the fee in the ledger', async () => {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(new Date(), { amount: 1200 }));
    const visit = await payAsPayer(t, nextUrl, 'pay');
    expect(visit.returnedTo).toMatch(/^\/me\/bookings\/test-\d+$/);
    const p = (await t.server.payments.paymentOf(id))!;
    expect(p).toMatchObject({ state: 'succeeded', captured: 1200, fee: 38, refundable: 1200 });
    expect(await ledger(id)).toEqual([{ kind: 'capture', amount: 1200 }, { kind: 'fee', amount: -38 }]);
    const events = await q<{ type: string; payload: { state: string } }>(`SELECT type, payload FROM outbox.events WHERE payload->>'paymentId' = $1 ORDER BY id`, [id]);
    expect(events.map((e) => e.payload.state)).toEqual(['started', 'succeeded']);
    expect(await one<{ n: number }>(`SELECT count(*)::int AS n FROM payments.simulated_webhooks w JOIN payments.simulated_charges c ON c.ref = w.charge_ref WHERE c.payment_id = $1 AND delivered_at IS NOT NULL`, [id])).toEqual({ n: 1 });
  });

  it('refuses a bad or missing signature and an old timestamp with 401, and nothing changes', async () => {
    const { id, ref } = await started({ amount: 800 });
    const forged = signedWebhook(t, { type: 'charge.succeeded', charge: ref, amount: 800 }, { secret: Buffer.alloc(32, 1) });
    const unsigned = { payload: forged.payload, headers: { 'content-type': 'application/json' } };
    const old = signedWebhook(t, { type: 'charge.succeeded', charge: ref, amount: 800 }, { at: new Date(Date.now() - 10 * 60_000) });
    const tampered = signedWebhook(t, { type: 'charge.succeeded', charge: ref, amount: 800 });
    tampered.payload = tampered.payload.replace('800', '8000');
    for (const [name, w] of [['forged', forged], ['unsigned', unsigned], ['old', old], ['tampered', tampered]] as const) {
      const res = await post(w);
      expect(res.statusCode, name).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await t.server.payments.paymentOf(id))!.state).toBe('started');
    expect(await ledger(id)).toEqual([]);
    expect(await one<{ n: number }>(`SELECT count(*)::int AS n FROM payments.provider_events`)).toEqual({ n: 1 }); // only the first test's
    // A signature over another body does not carry over.
    expect((await post({ payload: '{"not":"an event"}', headers: forged.headers })).statusCode).toBe(401);
    // Signed but unreadable: the provider's mistake, 400; still nothing changes.
    expect((await post(signRaw(t, '{"not":"an event"}'))).statusCode).toBe(400);
    expect((await post(signRaw(t, 'not json'))).statusCode).toBe(400);
    expect((await t.server.payments.paymentOf(id))!.state).toBe('started');
  });

  it('applies an event once however often it arrives', async () => {
    const { id, ref } = await started({ amount: 1500 });
    const w = signedWebhook(t, { id: 'evt_dup_1', type: 'charge.succeeded', charge: ref, amount: 1500 });
    expect((await post(w)).json()).toEqual({ received: true, outcome: 'applied' });
    expect((await post(w)).json()).toEqual({ received: true, outcome: 'duplicate' });
    // A second event saying the same (another id): already so.
    expect((await post(signedWebhook(t, { id: 'evt_dup_2', type: 'charge.succeeded', charge: ref, amount: 1500 }))).json()).toEqual({ received: true, outcome: 'ignored' });
    // A late decline does not undo the capture.
    expect((await post(signedWebhook(t, { id: 'evt_dup_3', type: 'charge.failed', charge: ref, amount: 1500 }))).json().outcome).toBe('ignored');
    // The simulated provider's own redelivery of an accepted webhook changes nothing either.
    await q(`UPDATE payments.simulated_webhooks SET delivered_at = NULL, next_attempt_at = now() - interval '1 minute'`);
    await t.server.payments.runWorkers();
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => post(signedWebhook(t, { id: 'evt_dup_4', type: 'charge.succeeded', charge: ref, amount: 1500 }))));
    expect(concurrent.map((r) => r.statusCode)).toEqual(Array(5).fill(200));
    expect((await t.server.payments.paymentOf(id))!.state).toBe('succeeded');
    expect(await ledger(id)).toEqual([{ kind: 'capture', amount: 1500 }, { kind: 'fee', amount: -48 }]);
  });

  it('asks again (503, nothing recorded) for a charge it does not know yet, and applies the event once it does', async () => {
    const events = async () => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM payments.provider_events`)).n;
    const before = await events();
    const unknown = await post(signedWebhook(t, { type: 'charge.succeeded', charge: 'sim_unknown000000000000000000', amount: 100 }));
    expect(unknown.statusCode).toBe(503);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(await events()).toBe(before);
    // The charge exists at the provider a moment before it is written here: its event must not be lost.
    const { id, ref } = await started({ amount: 2100 });
    await q(`UPDATE payments.payments SET provider_ref = 'sim_notyet00000000000000000000' WHERE id = $1`, [id]);
    const early = signedWebhook(t, { id: 'evt_early_1', type: 'charge.succeeded', charge: ref, amount: 2100 });
    expect((await post(early)).statusCode).toBe(503);
    expect(await events()).toBe(before);
    await q(`UPDATE payments.payments SET provider_ref = $2 WHERE id = $1`, [id, ref]);
    expect((await post(early)).json()).toEqual({ received: true, outcome: 'applied' });
    expect((await t.server.payments.paymentOf(id))!.state).toBe('succeeded');
  });

  it('records an event naming another amount for the accounting desk, and applies nothing', async () => {
    const { id, ref } = await started({ amount: 2000 });
    expect((await post(signedWebhook(t, { id: 'evt_amount_1', type: 'charge.succeeded', charge: ref, amount: 1 }))).json()).toEqual({ received: true, outcome: 'amount-mismatch' });
    expect((await t.server.payments.paymentOf(id))!.state).toBe('started');
    expect(await ledger(id)).toEqual([]);
    expect(await one(`SELECT outcome, amount, payment_id FROM payments.provider_events WHERE event_id = 'evt_amount_1'`)).toEqual({ outcome: 'amount-mismatch', amount: 1, payment_id: id });
    expect(await one(`SELECT payload->>'named' AS named FROM outbox.events WHERE type = 'payment.amount-mismatch' AND payload->>'paymentId' = $1`, [id])).toEqual({ named: '1' });
    const clerk = await accountant(t);
    const page = await t.inject({ method: 'GET', url: '/staff/payments', headers: { cookie: clerk.cookie } });
    expect(page.body).toContain('金額が一致しない決済通知');
    expect(page.body).toContain('2,000円');
  });

  it('rolls the change back when a listener fails, and applies it when the provider delivers again', async () => {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(new Date(), { purpose: 'flaky', amount: 600 }));
    failNext = true;
    const visit = await payAsPayer(t, nextUrl, 'pay');
    expect(visit.returnedTo).toBeDefined();
    expect((await t.server.payments.paymentOf(id))!.state).toBe('started');
    expect(await ledger(id)).toEqual([]);
    const pending = await one<{ attempts: number; last_error: string }>(
      `SELECT w.attempts, w.last_error FROM payments.simulated_webhooks w JOIN payments.simulated_charges c ON c.ref = w.charge_ref WHERE c.payment_id = $1`, [id]);
    expect(pending).toMatchObject({ attempts: 1, last_error: 'HTTP 500' });
    failNext = false;
    await q(`UPDATE payments.simulated_webhooks SET next_attempt_at = now() - interval '1 second' WHERE delivered_at IS NULL`);
    await t.server.payments.runWorkers();
    expect((await t.server.payments.paymentOf(id))!.state).toBe('succeeded');
    expect(told.filter((x) => x.to === 'succeeded')).toHaveLength(2); // told twice: once rolled back, once kept
    expect(await ledger(id)).toEqual([{ kind: 'capture', amount: 600 }, { kind: 'fee', amount: -19 }]);
  });

  it('refunds by itself money taken after the payment had ended here', async () => {
    const { id, ref } = await started({ amount: 4000 });
    // The provider captured while this side ended the payment on an older view.
    await q(`UPDATE payments.simulated_charges SET state = 'succeeded' WHERE ref = $1`, [ref]);
    await q(`UPDATE payments.payments SET state = 'cancelled', finished_at = now() WHERE id = $1`, [id]);
    expect((await post(signedWebhook(t, { type: 'charge.succeeded', charge: ref, amount: 4000 }))).json().outcome).toBe('late-capture');
    let p = (await t.server.payments.paymentOf(id))!;
    expect(p).toMatchObject({ state: 'cancelled', captured: 4000, refundable: 0 });
    expect(p.refunds).toMatchObject([{ amount: 4000, automatic: true, state: 'submitted' }]);
    // The same capture reported again under another event id: not captured or refunded twice.
    expect((await post(signedWebhook(t, { id: 'evt_late_again', type: 'charge.succeeded', charge: ref, amount: 4000 }))).json().outcome).toBe('ignored');
    expect((await t.server.payments.paymentOf(id))!.refunds).toHaveLength(1);
    // The payment's owner is told of the refund the module made, and of its outcome.
    expect(refundsTold.filter((r) => r.paymentId === id)).toEqual([{ paymentId: id, cause: 'automatic', state: 'submitted' }]);
    await t.server.payments.runWorkers();
    expect(refundsTold.filter((r) => r.paymentId === id)).toEqual([
      { paymentId: id, cause: 'automatic', state: 'submitted' },
      { paymentId: id, cause: 'settled', state: 'succeeded' },
    ]);
    p = (await t.server.payments.paymentOf(id))!;
    expect(p).toMatchObject({ state: 'cancelled', captured: 4000, refunded: 4000, refundable: 0 });
    expect(p.refunds[0]!.state).toBe('succeeded');
    expect(await ledger(id)).toEqual([{ kind: 'capture', amount: 4000 }, { kind: 'fee', amount: -129 }, { kind: 'refund', amount: -4000 }]);
  });

  it('gives a convenience-store payment a number, and takes the money when paid at the store later', async () => {
    const { id, ref, visit } = await started({ method: 'konbini', amount: 3500 });
    const p = (await t.server.payments.paymentOf(id))!;
    expect(p.paymentNumber).toMatch(/^\d{11}$/);
    expect(visit.html).toContain(p.paymentNumber);
    expect(visit.html).toContain('コンビニで支払った');
    expect(visit.html).not.toContain('支払いに失敗する');
    expect(p.state).toBe('started');
    // Later, at the store.
    const page = await t.inject({ method: 'GET', url: `/payments/simulated/${ref}` });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const res = await t.inject({ method: 'POST', url: `/payments/simulated/${ref}`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&action=pay` });
    expect(res.statusCode).toBe(303);
    expect((await t.server.payments.paymentOf(id))!).toMatchObject({ state: 'succeeded', fee: 165 });
  });

  it('ends a payment the payer declined or cancelled; pressing again changes nothing', async () => {
    const declined = await started();
    const page = await t.inject({ method: 'GET', url: `/payments/simulated/${declined.ref}` });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const press = (action: string) =>
      t.inject({ method: 'POST', url: `/payments/simulated/${declined.ref}`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&action=${action}` });
    expect((await press('decline')).statusCode).toBe(303);
    expect((await t.server.payments.paymentOf(declined.id))!.state).toBe('failed');
    const again = await press('pay');
    expect(again.headers.location).toBe(`/payments/simulated/${declined.ref}`);
    expect((await t.server.payments.paymentOf(declined.id))!.state).toBe('failed');
    // The payer's link now tells them, instead of sending them to pay.
    const link = await t.inject({ method: 'GET', url: declined.nextUrl, headers: { accept: 'text/html' } });
    expect(link.statusCode).toBe(200);
    expect(link.body).toContain('支払いできませんでした');

    const cancelled = await started();
    const c = await payAsPayer(t, cancelled.nextUrl, 'cancel');
    expect(c.returnedTo).toMatch(/^\/me\/bookings\//);
    expect((await t.server.payments.paymentOf(cancelled.id))!.state).toBe('cancelled');
    expect(await ledger(cancelled.id)).toEqual([]);
  });

  it('takes the simulated provider’s webhook over HTTP too, verified over the bytes received', async () => {
    await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(t.server.app.server.address() as AddressInfo).port}/api/v1/payments/webhooks/simulated`;
    const statuses: number[] = [];
    const overHttp = new SimulatedProvider({
      db: t.db, now: () => new Date(), secret: simulatedSecret(t),
      deliver: async (raw, headers) => {
        const res = await fetch(url, { method: 'POST', headers, body: raw.toString('utf8') });
        statuses.push(res.status);
        return res.status;
      },
    });
    const { id, ref } = await started({ amount: 900 });
    const { charge, changed } = await overHttp.act(ref, 'pay');
    expect({ state: charge.state, changed }).toEqual({ state: 'succeeded', changed: true });
    expect(statuses).toEqual([200]);
    expect((await t.server.payments.paymentOf(id))!).toMatchObject({ state: 'succeeded', captured: 900 });
    // With another secret the receiver refuses it, and the provider keeps it to send again.
    const wrong = new SimulatedProvider({ db: t.db, now: () => new Date(), secret: Buffer.alloc(32, 3), deliver: async (raw, headers) => (await fetch(url, { method: 'POST', headers, body: raw.toString('utf8') })).status });
    const other = await started({ amount: 901 });
    await wrong.act(other.ref, 'pay');
    expect((await t.server.payments.paymentOf(other.id))!.state).toBe('started');
    expect(await one<{ last_error: string; delivered_at: Date | null }>(`SELECT last_error, delivered_at FROM payments.simulated_webhooks WHERE charge_ref = $1`, [other.ref])).toEqual({ last_error: 'HTTP 401', delivered_at: null });
    // The real one (same queue, right secret) delivers it on its next round.
    await q(`UPDATE payments.simulated_webhooks SET next_attempt_at = now() - interval '1 second' WHERE charge_ref = $1`, [other.ref]);
    await t.server.payments.runWorkers();
    expect((await t.server.payments.paymentOf(other.id))!.state).toBe('succeeded');
  });
});
