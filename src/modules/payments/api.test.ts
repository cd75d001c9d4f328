/**
 * The payments API over HTTP on a real database: creating with Idempotency-Key (same body →
 * the first answer, another body → 409, concurrent → one payment), reading (audited),
 * refunds that must state what is refundable (412, 422, 409, two at once → one), cancelling,
 * and every refusal with its status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { payAsPayer } from './testing.js';

describe('the payments API', () => {
  let t: TestServer;
  let token: string;
  const auth = () => ({ authorization: `Bearer ${token}`, 'x-purpose': 'fee-collection' });
  const body = (over: Record<string, unknown> = {}) => ({
    amount: 2400, description: '体育館（全面） 12月6日 9:00–11:00', reference: 'R-2026-000123', purpose: 'reservation', ownerRef: 'booking-123',
    returnUrl: '/me/bookings/123', method: 'card', ...over,
  });
  const create = (payload: unknown, headers: Record<string, string> = {}) => t.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...auth(), ...headers }, payload: payload as object });
  const read = async (id: string) => (await t.inject({ method: 'GET', url: `/api/v1/payments/${id}`, headers: auth() })).json() as Payment;
  const refund = (id: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.inject({ method: 'POST', url: `/api/v1/payments/${id}/refunds`, headers: { ...auth(), ...headers }, payload: payload as object });
  const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

  interface Payment { id: string; state: string; amount: number; nextUrl: string; refundable: number; captured: number; refunded: number; fee: number | null; refunds: { state: string; amount: number }[] }

  /** A payment the payer paid on the simulated provider's page. */
  async function paid(amount = 2400): Promise<Payment> {
    const res = await create(body({ amount }));
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as Payment;
    await payAsPayer(t, p.nextUrl, 'pay');
    const after = await read(p.id);
    expect(after.state).toBe('succeeded');
    return after;
  }

  beforeAll(async () => {
    t = await startTestServer();
    token = await t.tokenFor({ id: 'zaimu-kaikei', purposes: ['fee-collection'] });
  });
  afterAll(async () => t?.close());

  it('creates a payment (201) with the payer’s link, and refuses bad input naming the fields', async () => {
    const res = await create(body());
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as Payment & { expiresAt: string; returnUrl: string; demo: boolean };
    expect(p).toMatchObject({ state: 'created', amount: 2400, refundable: 0, captured: 0, refunds: [] });
    expect(p.nextUrl).toMatch(new RegExp(`^${t.config.publicUrl}/payments/pay/[A-Za-z0-9_-]{43}$`));
    // Default expiry: 90 minutes.
    expect(Date.parse(p.expiresAt) - Date.now()).toBeGreaterThan(89 * 60_000);

    const bad = await create(body({ amount: 0, method: 'cash', extra: 1 }));
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body/amount', 'body/method', 'body/extra']));
    // The payer is never sent off this site.
    for (const returnUrl of ['https://evil.example/x', '//evil.example/x', 'javascript:alert(1)', '/a\\b']) {
      const r = await create(body({ returnUrl }));
      expect(r.statusCode, returnUrl).toBe(400);
      expect(r.json().errors[0].field).toBe('returnUrl');
    }
    expect((await create(body({ returnUrl: `${t.config.publicUrl}/me/bookings/1` }))).statusCode).toBe(201);
    expect((await create(body({ expiresAt: new Date(Date.now() - 1000).toISOString() }))).statusCode).toBe(400);
    expect((await create(body({ expiresAt: new Date(Date.now() + 61 * 86_400_000).toISOString() }))).statusCode).toBe(400);
  });

  it('needs a token or staff session with the purpose fee-collection', async () => {
    expect((await t.inject({ method: 'POST', url: '/api/v1/payments', payload: body() })).statusCode).toBe(401);
    const other = await t.tokenFor({ id: 'other-spoke', purposes: ['application-review'] });
    const res = await t.inject({ method: 'POST', url: '/api/v1/payments', headers: { authorization: `Bearer ${other}`, 'x-purpose': 'application-review' }, payload: body() });
    expect(res.statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/v1/payments/reconciliation.csv?date=2026-11-23' })).statusCode).toBe(401);
  });

  it('answers the same Idempotency-Key and body with the first answer, and another body with 409', async () => {
    const key = 'order-77';
    const first = await create(body({ reference: 'R-IDEM-1' }), { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    // The same request written with its keys in another order is the same request.
    const again = await create({ ...body({ reference: 'R-IDEM-1' }), method: 'card' }, { 'idempotency-key': key });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const different = await create(body({ reference: 'R-IDEM-1', amount: 9999 }), { 'idempotency-key': key });
    expect(different.statusCode).toBe(409);
    expect(different.headers['content-type']).toContain('application/problem+json');
    expect(await count(`payments.payments WHERE reference = 'R-IDEM-1'`)).toBe(1);
    // Keys belong to the caller: another spoke's same key is its own.
    const other = await t.tokenFor({ id: 'other-kaikei', purposes: ['fee-collection'] });
    const theirs = await t.inject({ method: 'POST', url: '/api/v1/payments', headers: { authorization: `Bearer ${other}`, 'x-purpose': 'fee-collection', 'idempotency-key': key }, payload: body({ reference: 'R-IDEM-1' }) });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(first.json().id);
  });

  it('makes one payment of ten concurrent requests with the same key', async () => {
    const key = 'concurrent-1';
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(body({ reference: 'R-CONC-1' }), { 'idempotency-key': key })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await count(`payments.payments WHERE reference = 'R-CONC-1'`)).toBe(1);
  });

  it('reads a payment, leaving an audit entry when it names its payer', async () => {
    const payer = '0b8a5c2e-7f3d-4a61-9e0b-2c4d6f8a1b3c';
    const p = (await create(body({ payerPersonId: payer }))).json() as Payment;
    const before = await count(`audit.entries WHERE action = 'payment.read' AND $1 = ANY(subject_ids)`, [payer]);
    const got = await read(p.id);
    expect(got).toMatchObject({ id: p.id, state: 'created' });
    expect(await count(`audit.entries WHERE action = 'payment.read' AND $1 = ANY(subject_ids)`, [payer])).toBe(before + 1);
    const missing = await t.inject({ method: 'GET', url: '/api/v1/payments/00000000-0000-4000-8000-000000000000', headers: auth() });
    expect(missing.statusCode).toBe(404);
  });

  it('refunds only with the amount still refundable stated: 412 on a mismatch, 422 over it, 409 unpaid', async () => {
    const p = await paid(3000);
    expect(p).toMatchObject({ captured: 3000, refundable: 3000, refunded: 0 });
    expect(p.fee).toBe(97); // 3.24 % of 3,000, rounded down

    const mismatch = await refund(p.id, { amount: 500, refundableAmount: 2999 });
    expect(mismatch.statusCode).toBe(412);
    expect(mismatch.json()).toMatchObject({ status: 412, refundableAmount: 3000 });
    const over = await refund(p.id, { amount: 3001, refundableAmount: 3000 });
    expect(over.statusCode).toBe(422);
    expect(await count('payments.refunds WHERE payment_id = $1', [p.id])).toBe(0);

    const part = await refund(p.id, { amount: 1000, refundableAmount: 3000, reason: '半額返金（雨天）' });
    expect(part.statusCode, part.body).toBe(201);
    expect(part.json()).toMatchObject({ refund: { amount: 1000, state: 'submitted', reason: '半額返金（雨天）' }, refundable: 2000 });
    const after = await read(p.id);
    expect(after).toMatchObject({ refundable: 2000, refunded: 1000 });
    expect(after.refunds.map((r) => r.state)).toEqual(['succeeded']);
    // The old figure no longer holds.
    expect((await refund(p.id, { amount: 2000, refundableAmount: 3000 })).statusCode).toBe(412);
    expect((await refund(p.id, { amount: 2000, refundableAmount: 2000 })).statusCode).toBe(201);
    expect((await read(p.id)).refundable).toBe(0);
    expect((await refund(p.id, { amount: 1, refundableAmount: 0 })).statusCode).toBe(422);

    const unpaid = (await create(body())).json() as Payment;
    const refused = await refund(unpaid.id, { amount: 1, refundableAmount: 0 });
    expect(refused.statusCode).toBe(409);
    expect((await refund('00000000-0000-4000-8000-000000000000', { amount: 1, refundableAmount: 1 })).statusCode).toBe(404);
    expect((await refund(p.id, { amount: 0, refundableAmount: 0 })).statusCode).toBe(400);
  });

  it('lets one of two concurrent refunds through; the other is refused (412)', async () => {
    const p = await paid(5000);
    const [a, b] = await Promise.all([
      refund(p.id, { amount: 4000, refundableAmount: 5000 }),
      refund(p.id, { amount: 4000, refundableAmount: 5000 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 412]);
    const after = await read(p.id);
    expect(after).toMatchObject({ refunded: 4000, refundable: 1000 });
    expect((await t.db.query<{ s: number }>(`SELECT -sum(amount)::int AS s FROM payments.ledger WHERE payment_id = $1 AND kind = 'refund'`, [p.id]))[0]!.s).toBe(4000);
  });

  it('answers a retried refund with the same Idempotency-Key once, without refunding twice', async () => {
    const p = await paid(2000);
    const first = await refund(p.id, { amount: 500, refundableAmount: 2000 }, { 'idempotency-key': 'refund-1' });
    const again = await refund(p.id, { amount: 500, refundableAmount: 2000 }, { 'idempotency-key': 'refund-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await read(p.id)).refunded).toBe(500);
    expect((await refund(p.id, { amount: 600, refundableAmount: 2000 }, { 'idempotency-key': 'refund-1' })).statusCode).toBe(409);
  });

  it('cancels an unpaid payment; a paid one is 409', async () => {
    const open = (await create(body())).json() as Payment;
    await payAsPayer(t, open.nextUrl, 'none'); // started: a charge exists at the provider
    const res = await t.inject({ method: 'POST', url: `/api/v1/payments/${open.id}/cancel`, headers: auth() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state).toBe('cancelled');
    // The provider's page no longer takes the money.
    const ref = (await t.db.query<{ provider_ref: string }>('SELECT provider_ref FROM payments.payments WHERE id = $1', [open.id]))[0]!.provider_ref;
    expect((await t.db.query<{ state: string }>('SELECT state FROM payments.simulated_charges WHERE ref = $1', [ref]))[0]!.state).toBe('cancelled');
    const p = await paid();
    expect((await t.inject({ method: 'POST', url: `/api/v1/payments/${p.id}/cancel`, headers: auth() })).statusCode).toBe(409);
  });

  it('documents every route in OpenAPI under the tag payments', () => {
    const doc = t.server.app.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/payments'));
    expect(paths.sort()).toEqual([
      '/api/v1/payments', '/api/v1/payments/reconciliation', '/api/v1/payments/reconciliation.csv', '/api/v1/payments/webhooks/simulated',
      '/api/v1/payments/{id}', '/api/v1/payments/{id}/cancel', '/api/v1/payments/{id}/refunds', '/api/v1/payments/refunds/{id}/retry',
    ].sort());
  });
});
