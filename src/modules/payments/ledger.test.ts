/**
 * The ledger and the daily reconciliation: a day of card, QR-code and convenience-store
 * payments with refunds, summed per provider and method by Japan date; the CSV equals the
 * ledger's own sums (and the JSON); the ledger refuses to be changed; the accounting desk's
 * page shows the same figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { csvCell } from './reconciliation.js';
import { accountant, payAsPayer, samplePayment } from './testing.js';

const DAY = '2026-11-23';
const NEXT = '2026-11-24';

describe('the ledger and the daily reconciliation', () => {
  let t: TestServer;
  let token: string;
  // 00:30 on the 23rd in Japan.
  let clock = new Date('2026-11-22T15:30:00Z');
  const auth = () => ({ authorization: `Bearer ${token}`, 'x-purpose': 'fee-collection' });

  async function pay(amount: number, method: 'card' | 'qr' | 'konbini') {
    const { id, nextUrl } = await t.server.payments.createPayment(undefined, samplePayment(clock, { amount, method }));
    await payAsPayer(t, nextUrl, 'pay');
    return (await t.server.payments.paymentOf(id))!;
  }
  const refund = async (id: string, amount: number) => {
    const p = (await t.server.payments.paymentOf(id))!;
    return t.server.payments.refund({ paymentId: id, amount, refundableAmount: p.refundable, reason: 'テスト返金' });
  };
  /** The ledger's own sums for a Japan date, straight from SQL. */
  async function ledgerSums(date: string) {
    return (
      await t.db.query<{ captured: number; refunded: number; fees: number; n: number }>(
        `SELECT COALESCE(sum(amount) FILTER (WHERE kind = 'capture'), 0)::int AS captured, COALESCE(-sum(amount) FILTER (WHERE kind = 'refund'), 0)::int AS refunded,
                COALESCE(-sum(amount) FILTER (WHERE kind = 'fee'), 0)::int AS fees, count(*)::int AS n
           FROM payments.ledger WHERE (occurred_at AT TIME ZONE 'Asia/Tokyo')::date = $1::date`,
        [date],
      )
    )[0]!;
  }

  beforeAll(async () => {
    t = await startTestServer({}, { now: () => clock });
    token = await t.tokenFor({ id: 'zaimu', purposes: ['fee-collection'] });
    await pay(1200, 'card');
    await pay(3000, 'qr');
    await pay(2500, 'konbini');
    const big = await pay(5000, 'card');
    await refund(big.id, 2000);
    const small = await pay(800, 'card');
    await refund(small.id, 800);
    // 23:59 in Japan: still the 23rd.
    clock = new Date('2026-11-23T14:59:00Z');
    await pay(1000, 'qr');
    // 00:10 on the 24th in Japan.
    clock = new Date('2026-11-23T15:10:00Z');
    await pay(999, 'card');
    await refund(big.id, 1000);
  }, 120_000);
  afterAll(async () => t?.close());

  it('sums each Japan date per provider and method: captured, refunded, fees, net and counts', async () => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/payments/reconciliation?date=${DAY}`, headers: auth() });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // card: 1200 + 5000 + 800 captured, 2000 + 800 refunded, fees 38 + 162 + 25
    expect(r.lines).toEqual([
      { provider: 'simulated', method: 'card', captures: 3, captured: 7000, refunds: 2, refunded: 2800, fees: 225, net: 3975 },
      { provider: 'simulated', method: 'konbini', captures: 1, captured: 2500, refunds: 0, refunded: 0, fees: 165, net: 2335 },
      { provider: 'simulated', method: 'qr', captures: 2, captured: 4000, refunds: 0, refunded: 0, fees: 59 + 19, net: 4000 - 78 },
    ]);
    const sums = await ledgerSums(DAY);
    expect(r.total).toMatchObject({ captured: sums.captured, refunded: sums.refunded, fees: sums.fees, net: sums.captured - sums.refunded - sums.fees });
    const next = (await t.inject({ method: 'GET', url: `/api/v1/payments/reconciliation?date=${NEXT}`, headers: auth() })).json();
    expect(next.total).toEqual({ captures: 1, captured: 999, refunds: 1, refunded: 1000, fees: 32, net: 999 - 1000 - 32 });
    expect((await t.inject({ method: 'GET', url: '/api/v1/payments/reconciliation?date=2026-13-01', headers: auth() })).statusCode).toBe(400);
  });

  it('writes the same figures as CSV: BOM, Japanese header, CRLF, a total line that equals the ledger', async () => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/payments/reconciliation.csv?date=${DAY}`, headers: auth() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="reconciliation-${DAY}.csv"`);
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const lines = res.body.slice(1).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('日付,決済事業者,支払方法,売上件数,売上金額,返金件数,返金金額,手数料,差引入金額');
    expect(lines[1]).toBe(`${DAY},模擬決済,クレジットカード,3,7000,2,2800,225,3975`);
    const rows = lines.slice(1, -1).map((l) => l.split(',').slice(3).map(Number));
    const total = lines.at(-1)!.split(',');
    expect(total.slice(0, 3)).toEqual([DAY, '合計', '']);
    const column = (i: number) => rows.reduce((s, r) => s + r[i]!, 0);
    expect(total.slice(3).map(Number)).toEqual([0, 1, 2, 3, 4, 5].map(column));
    const sums = await ledgerSums(DAY);
    expect([column(1), column(3), column(4), column(5)]).toEqual([sums.captured, sums.refunded, sums.fees, sums.captured - sums.refunded - sums.fees]);
  });

  it('gives other modules the movements of a day (revenue), the same as the ledger', async () => {
    const moves = await t.server.payments.movementsOn(DAY, 'reservation');
    expect(moves.reduce((s, m) => s + m.amount, 0)).toBe((await ledgerSums(DAY)).captured - (await ledgerSums(DAY)).refunded - (await ledgerSums(DAY)).fees);
    expect(moves.every((m) => m.ownerRef?.startsWith('booking-'))).toBe(true);
    expect(await t.server.payments.movementsOn(DAY, 'counter-fee')).toEqual([]);
  });

  it('refuses to change or remove a ledger line', async () => {
    await expect(t.db.query(`UPDATE payments.ledger SET amount = amount + 1`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM payments.ledger`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE payments.ledger`)).rejects.toThrow(/append-only/);
    // One capture per payment, whatever is written twice.
    const [line] = await t.db.query<{ payment_id: string }>(`SELECT payment_id FROM payments.ledger WHERE kind = 'capture' LIMIT 1`);
    const again = await t.db.query(
      `INSERT INTO payments.ledger (payment_id, kind, amount, provider, method, purpose, occurred_at) VALUES ($1, 'capture', 1, 'simulated', 'card', 'x', now()) ON CONFLICT DO NOTHING RETURNING id`,
      [line!.payment_id],
    );
    expect(again).toEqual([]);
  });

  it('keeps CSV cells out of a spreadsheet’s formulas', () => {
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('+81')).toBe("'+81");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(-1200)).toBe('-1200');
  });

  it('shows the accounting desk the day’s figures and movements, without JavaScript', async () => {
    const clerk = await accountant(t);
    const page = await t.inject({ method: 'GET', url: `/staff/payments?date=${DAY}`, headers: { cookie: clerk.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('収納の照合');
    expect(page.body).toContain('3,975円');
    expect(page.body).toContain(`/api/v1/payments/reconciliation.csv?date=${DAY}`);
    expect(page.body.match(/<tr>/g)!.length).toBeGreaterThan(10);
    // The CSV link works with the staff session.
    const csv = await t.inject({ method: 'GET', url: `/api/v1/payments/reconciliation.csv?date=${DAY}`, headers: { cookie: clerk.cookie } });
    expect(csv.statusCode).toBe(200);
    const bad = await t.inject({ method: 'GET', url: '/staff/payments?date=23-11-2026', headers: { cookie: clerk.cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('日付を正しく入力してください');
    // A date that does not exist is not read as another one (2026-02-31 is not 3 March).
    const impossible = await t.inject({ method: 'GET', url: '/staff/payments?date=2026-02-31', headers: { cookie: clerk.cookie } });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.body).toContain('日付を正しく入力してください');
    expect(impossible.body).not.toContain('2026年3月3日');
    // Today by default; in English too.
    const en = await t.inject({ method: 'GET', url: '/staff/payments?lang=en', headers: { cookie: clerk.cookie } });
    expect(en.body).toContain('Daily reconciliation');
    expect(en.body).toContain(`value="${NEXT}"`);

    const officer = await t.staffCookie({ login: 'shinsa-x', roles: ['case-officer'], purpose: 'application-review' });
    expect((await t.inject({ method: 'GET', url: '/staff/payments', headers: { cookie: officer } })).statusCode).toBe(403);
    const anonymous = await t.inject({ method: 'GET', url: '/staff/payments' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/staff\/sign-in\?next=/);
  });

  it('shows refunds still waiting for the provider, and sends them again with spacing when it does not answer', async () => {
    const clerk = await accountant(t);
    const p = await pay(1800, 'card');
    // Written in a caller's transaction: sent after it commits (by the worker).
    await t.db.transaction((tx) => t.server.payments.refund({ paymentId: p.id, amount: 300, refundableAmount: 1800, reason: 'part' }, { tx }));
    let page = await t.inject({ method: 'GET', url: '/staff/payments', headers: { cookie: clerk.cookie } });
    expect(page.body).toContain('返金手続中（決済事業者の回答待ち）');
    await t.server.payments.runWorkers();
    expect((await t.server.payments.paymentOf(p.id))!).toMatchObject({ refunded: 300, refundable: 1500 });
    page = await t.inject({ method: 'GET', url: '/staff/payments', headers: { cookie: clerk.cookie } });
    expect(page.body).not.toContain('返金手続中（決済事業者の回答待ち）');

    // The provider cannot be reached for this charge: the refund stays submitted, tried again later.
    const q = await pay(2200, 'qr');
    await t.db.query(`UPDATE payments.payments SET provider_ref = 'sim_gone00000000000000000000' WHERE id = $1`, [q.id]);
    const r = await t.server.payments.refund({ paymentId: q.id, amount: 2200, refundableAmount: 2200, reason: 'cancelled booking' });
    expect(r.state).toBe('submitted');
    const row = (await t.db.query<{ attempts: number; last_error: string; next_attempt_at: Date }>(`SELECT attempts, last_error, next_attempt_at FROM payments.refunds WHERE id = $1`, [r.id]))[0]!;
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('no such charge');
    expect(row.next_attempt_at.getTime() - clock.getTime()).toBe(5_000);
    // Not due yet: the worker leaves it.
    await t.server.payments.runWorkers();
    expect((await t.db.query<{ attempts: number }>(`SELECT attempts FROM payments.refunds WHERE id = $1`, [r.id]))[0]!.attempts).toBe(1);
    // Still counted against what is refundable.
    expect((await t.server.payments.paymentOf(q.id))!.refundable).toBe(0);
    page = await t.inject({ method: 'GET', url: '/staff/payments', headers: { cookie: clerk.cookie } });
    expect(page.body).toContain('no such charge');
  });

  it('lists a refund the provider refused until the accounting desk tries it again, once', async () => {
    const clerk = await accountant(t);
    const p = await pay(1500, 'card');
    const charge = (await t.server.payments.paymentOf(p.id))!.providerRef!;
    // The provider refuses refunds of this charge for now.
    await t.db.query(`UPDATE payments.simulated_charges SET state = 'failed' WHERE ref = $1`, [charge]);
    const refused = await refund(p.id, 500);
    expect(refused.state).toBe('failed');
    // A refused refund gives nothing back and holds nothing: the whole payment is refundable again.
    expect((await t.server.payments.paymentOf(p.id))!).toMatchObject({ refunded: 0, refundable: 1500 });
    let page = await t.inject({ method: 'GET', url: '/staff/payments', headers: { cookie: clerk.cookie } });
    expect(page.body).toContain('返金できなかったもの（要対応）');
    expect(page.body).toContain(p.reference);
    const action = `/staff/payments/refunds/${refused.id}/retry`;
    expect(page.body).toContain(`action="${action}"`);

    await t.db.query(`UPDATE payments.simulated_charges SET state = 'succeeded' WHERE ref = $1`, [charge]);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const form = { 'content-type': 'application/x-www-form-urlencoded', cookie: clerk.cookie };
    const retried = await t.inject({ method: 'POST', url: action, headers: form, payload: `_csrf=${encodeURIComponent(csrf)}` });
    expect(retried.statusCode).toBe(303);
    expect(retried.headers.location).toBe('/staff/payments?retried=sent#refused-h');
    const after = (await t.server.payments.paymentOf(p.id))!;
    expect(after).toMatchObject({ refunded: 500, refundable: 1000 });
    expect(after.refunds.map((r) => [r.state, r.retryOf]).sort()).toEqual([['failed', null], ['succeeded', refused.id]]);
    page = await t.inject({ method: 'GET', url: '/staff/payments?retried=sent', headers: { cookie: clerk.cookie } });
    expect(page.body).toContain('もう一度返金しました。');
    expect(page.body).not.toContain('返金できなかったもの（要対応）');
    // Once only, by the page and by the API.
    const twice = await t.inject({ method: 'POST', url: action, headers: form, payload: `_csrf=${encodeURIComponent(csrf)}` });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('この返金はもう一度行えません');
    expect((await t.inject({ method: 'POST', url: `/api/v1/payments/refunds/${refused.id}/retry`, headers: auth(), payload: {} })).statusCode).toBe(409);
  });
});
