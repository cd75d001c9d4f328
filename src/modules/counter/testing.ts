/** Helpers for counter tests: a clerk at the counter, a visit's answers filled with valid samples. */
import { expect } from 'vitest';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import type { TestServer } from '../../testing/server.js';
import { pageClient, sampleData, type Fields } from '../applications/testing.js';
import type { FormData } from '../applications/index.js';

// jsqr is CommonJS with an ES-style `default`: under NodeNext the default import is the module.
const jsQR = jsqr.default;

/** What a QR code in a PNG says (as a scanner at the counter would read it), if it can be read. */
export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

export interface Clerk {
  id: string;
  cookie: string;
}

let seq = 0;

/** A counter clerk signed in with the task purpose `counter-service`. */
export async function counterClerk(t: TestServer, login = `madoguchi-${++seq}`): Promise<Clerk> {
  const cookie = await t.staffCookie({ login, roles: ['counter-clerk'], purpose: 'counter-service' });
  return { id: (await t.server.access.findStaffId(login))!, cookie };
}

const valueAt = (data: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((at, k) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined), data);

/** Starts a visit as a clerk does after a search: the search, the hit chosen, the confirmation; returns the visit's address. */
export async function startBySearch(t: TestServer, clerk: Clerk, personId: string, query: string): Promise<string> {
  const client = pageClient(t);
  const start = await client.get('/staff/counter', clerk.cookie);
  const results = await client.post('/staff/counter/search', clerk.cookie, [['_csrf', client.csrfOf(start.body)], ['q', query]]);
  expect(results.statusCode).toBe(200);
  const form = [...results.body.matchAll(/<form method="post" action="\/staff\/counter\/confirm">([\s\S]*?)<\/form>/g)].find((m) => m[1]!.includes(personId));
  if (!form) throw new Error('the person is not among the search results');
  const ident = /name="ident" value="([^"]+)"/.exec(form[1]!)![1]!;
  const confirm = await client.post('/staff/counter/confirm', clerk.cookie, [['_csrf', client.csrfOf(results.body)], ['personId', personId], ['how', 'search'], ['ident', ident]]);
  expect(confirm.statusCode).toBe(200);
  const key = /name="key" value="([^"]+)"/.exec(confirm.body)![1]!;
  const opened = await client.post('/staff/counter/visits', clerk.cookie, [['_csrf', client.csrfOf(confirm.body)], ['personId', personId], ['startedBy', 'search'], ['ident', ident], ['key', key]]);
  return client.location(opened);
}

/** The desk's question inputs on a visit page, with valid sample answers for each. */
export async function sampleAnswers(t: TestServer, page: string): Promise<Fields> {
  const names = [...new Set([...page.matchAll(/name="(q:[0-9a-f-]{36}:[^"]+)"/g)].map((m) => m[1]!.replace(/&#x2F;|&#47;/g, '/')))];
  const out: Fields = [];
  for (const name of names) {
    const [, draftId, pointer] = /^q:([0-9a-f-]{36}):(.+)$/.exec(name)!;
    const row = (await t.db.query<{ procedure_code: string; data: FormData }>('SELECT procedure_code, data FROM applications.applications WHERE id = $1', [draftId]))[0]!;
    const sample = sampleData(t.server.applications.catalog.procedures.get(row.procedure_code)!, row.data);
    const v = valueAt(sample, pointer!);
    for (const x of [v].flat()) if (x !== undefined && x !== false) out.push([name, String(x)]);
  }
  return out;
}

/** Answers the visit's open questions with samples until none is left (conditional ones appear as they apply). */
export async function answerVisit(t: TestServer, clerk: Clerk, visitId: string): Promise<void> {
  const client = pageClient(t);
  for (let round = 0; round < 4; round += 1) {
    const page = await client.get(`/staff/counter/visits/${visitId}`, clerk.cookie);
    expect(page.statusCode).toBe(200);
    const answers = await sampleAnswers(t, page.body);
    if (answers.length === 0) return;
    const res = await client.post(`/staff/counter/visits/${visitId}/answers`, clerk.cookie, [['_csrf', client.csrfOf(page.body)], ...answers]);
    expect([200, 303]).toContain(res.statusCode);
  }
  throw new Error('the visit still has questions after four rounds');
}
