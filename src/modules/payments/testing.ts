/**
 * Helpers for payments tests (and for modules that take payments): a valid payment to
 * create, an accounting clerk, the payer going through the simulated provider's page as a
 * browser without JavaScript would, and webhooks signed like the simulated provider's.
 */
import { hkdfSync } from 'node:crypto';
import { expect } from 'vitest';
import type { TestServer } from '../../testing/server.js';
import { cookieHeader } from '../../testing/server.js';
import { signatureHeader, SIGNATURE_HEADER } from './providers/signature.js';
import type { NewPayment } from './service.js';

let seq = 0;

/** A valid payment request, due in an hour of `now`. */
export function samplePayment(now: Date, over: Partial<NewPayment> = {}): NewPayment {
  seq += 1;
  return {
    amount: 1200,
    description: '会議室A 11月23日 10:00–12:00',
    reference: `R-TEST-${seq}`,
    purpose: 'reservation',
    ownerRef: `booking-${seq}`,
    returnUrl: `/me/bookings/test-${seq}`,
    method: 'card',
    expiresAt: new Date(now.getTime() + 3_600_000),
    demo: true,
    ...over,
  };
}

/** An accounting clerk (会計担当) signed in with the task purpose `fee-collection`. */
export async function accountant(t: TestServer, login = `kaikei-${++seq}`): Promise<{ cookie: string; csrf: string }> {
  const cookie = await t.staffCookie({ login, roles: ['accountant'], purpose: 'fee-collection' });
  const page = await t.inject({ method: 'GET', url: '/staff/payments', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { cookie, csrf };
}

export interface PayerVisit {
  /** The simulated provider's page (path). */
  providerPage: string;
  /** Its HTML as the payer saw it. */
  html: string;
  /** Where the payer was sent after pressing (undefined when nothing was pressed). */
  returnedTo?: string;
}

/**
 * The payer follows the link, lands on the simulated provider's page and presses `action`
 * (`none`: only looks). Asserts each step answers as a browser needs.
 */
export async function payAsPayer(t: TestServer, nextUrl: string, action: 'pay' | 'decline' | 'cancel' | 'none' = 'pay', cookie = ''): Promise<PayerVisit> {
  const path = nextUrl.replace(t.config.publicUrl, '');
  const link = await t.inject({ method: 'GET', url: path, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
  expect(link.statusCode, link.body.slice(0, 500)).toBe(303);
  const providerPage = String(link.headers.location);
  const jar = cookieHeader(link.headers['set-cookie'], cookie);
  const page = await t.inject({ method: 'GET', url: providerPage, headers: { accept: 'text/html', cookie: jar } });
  expect(page.statusCode).toBe(200);
  if (action === 'none') return { providerPage, html: page.body };
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const res = await t.inject({
    method: 'POST',
    url: providerPage,
    headers: { accept: 'text/html', cookie: cookieHeader(page.headers['set-cookie'], jar), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, action }).toString(),
  });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
  return { providerPage, html: page.body, returnedTo: String(res.headers.location) };
}

/** The simulated provider's webhook secret on a test server. */
export const simulatedSecret = (t: TestServer) => Buffer.from(hkdfSync('sha256', t.config.secret, 'yakuba', 'yakuba:payments:simulated-webhook', 32));

/** A webhook body as the simulated provider sends it, signed at `at` (default now) — or with `secret` to forge one. */
export function signedWebhook(
  t: TestServer,
  e: { id?: string; type: string; charge: string; amount?: number; refundId?: string; refund?: string; created?: Date },
  o: { at?: Date; secret?: Buffer } = {},
): { payload: string; headers: Record<string, string> } {
  const created = e.created ?? o.at ?? new Date();
  const payload = JSON.stringify({
    id: e.id ?? `evt_test${++seq}`,
    type: e.type,
    created: Math.floor(created.getTime() / 1000),
    data: { charge: e.charge, ...(e.amount !== undefined ? { amount: e.amount } : {}), ...(e.refundId ? { refund_id: e.refundId, refund: e.refund ?? 'simre_x' } : {}) },
  });
  return signRaw(t, payload, o);
}

/** Any body, signed as the simulated provider signs. */
export function signRaw(t: TestServer, payload: string, o: { at?: Date; secret?: Buffer } = {}): { payload: string; headers: Record<string, string> } {
  return { payload, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(o.secret ?? simulatedSecret(t), payload, o.at ?? new Date()) } };
}
