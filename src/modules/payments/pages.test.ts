/**
 * The simulated provider's hosted page and the payer's link as a browser without JavaScript
 * uses them: what is paid and how, one form of buttons, in Japanese, やさしい日本語 and
 * English; a forged post (no CSRF token) or an unknown action changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { payAsPayer, samplePayment } from './testing.js';

describe('the simulated provider’s page', () => {
  let t: TestServer;
  const main = (body: string) => body.replace(/^[\s\S]*<main[^>]*>/, '').replace(/<\/main>[\s\S]*$/, '');

  async function visit(over: Parameters<typeof samplePayment>[1] = {}) {
    const p = await t.server.payments.createPayment(undefined, samplePayment(new Date(), over));
    return { ...p, ...(await payAsPayer(t, p.nextUrl, 'none')) };
  }

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.close());

  it('shows a card payment: amount, what for, the method, the time limit, and three buttons in one form', async () => {
    const v = await visit({ amount: 12_000, description: '公民館ホール 12月6日 13:00–17:00' });
    const html = main(v.html);
    expect(html).toContain('模擬決済サービスです。実際のお金は動きません');
    expect(html).toContain('12,000円');
    expect(html).toContain('公民館ホール 12月6日 13:00–17:00');
    expect(html).toContain('クレジットカード');
    expect(html).toMatch(/<time datetime="[^"]+">令和8年（2026年）\d+月\d+日 \d\d:\d\d<\/time>/);
    expect(html).toMatch(new RegExp(`<form method="post" action="${v.providerPage}"`));
    expect(html).toContain('name="_csrf"');
    for (const [value, label] of [['pay', '支払う'], ['decline', '支払いに失敗する'], ['cancel', 'キャンセル']]) {
      expect(html).toContain(`name="action" value="${value}"`);
      expect(html).toContain(`>${label}</button>`);
    }
    expect(v.html).not.toContain('<script');
  });

  it('shows a QR-code payment’s code as an image with a name', async () => {
    const v = await visit({ method: 'qr' });
    expect(v.html).toMatch(/<svg[^>]*role="img" aria-label="模擬決済のQRコード（読み取っても支払いはできません）"><title>/);
    expect(v.html).toContain('QRコード決済（スマートフォン）');
  });

  it('speaks やさしい日本語 and English', async () => {
    const v = await visit({ method: 'konbini', amount: 3300 });
    const easy = await t.inject({ method: 'GET', url: `${v.providerPage}?lang=ja-easy` });
    expect(easy.body).toContain('れんしゅう用の ページです');
    expect(easy.body).toContain('コンビニで はらった');
    expect(easy.body).toContain('3,300えん');
    const en = await t.inject({ method: 'GET', url: `${v.providerPage}?lang=en` });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('¥3,300');
    expect(en.body).toContain('Payment number');
    expect(en.body).toContain('I paid at the store');
    expect(en.body).toContain('(Japan time)');
  });

  it('refuses a post without the form token, an unknown action and an unknown charge; nothing changes', async () => {
    const v = await visit();
    const forged = await t.inject({ method: 'POST', url: v.providerPage, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'action=pay' });
    expect(forged.statusCode).toBe(403);
    const page = await t.inject({ method: 'GET', url: v.providerPage });
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const odd = await t.inject({ method: 'POST', url: v.providerPage, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&action=refund` });
    expect(odd.statusCode).toBe(400);
    expect((await t.server.payments.paymentOf(v.id))!.state).toBe('started');
    const unknown = await t.inject({ method: 'GET', url: '/payments/simulated/sim_000000000000000000000000', headers: { accept: 'text/html' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('text/html');
    expect((await t.inject({ method: 'GET', url: '/payments/pay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', headers: { accept: 'text/html' } })).statusCode).toBe(404);
  });

  it('sends a payer who follows the link again to the same charge, and a paid one back with the news', async () => {
    const v = await visit();
    const again = await t.inject({ method: 'GET', url: v.nextUrl });
    expect(again.headers.location).toBe(v.providerPage);
    await payAsPayer(t, v.nextUrl, 'pay');
    const done = await t.inject({ method: 'GET', url: v.nextUrl });
    expect(done.statusCode).toBe(200);
    expect(main(done.body)).toContain('このお支払いは完了しています。');
    expect(main(done.body)).toMatch(/<a href="\/me\/bookings\/test-\d+">元のページに戻る<\/a>/);
    const provider = await t.inject({ method: 'GET', url: v.providerPage });
    expect(main(provider.body)).toContain('このお支払いは「支払い済み」です。');
    expect(provider.body).not.toContain('value="pay"');
  });
});
