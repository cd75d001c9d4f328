/**
 * Pages over HTTP as a browser without JavaScript uses them: every form is read from the
 * rendered page and posted back whole (for the page tests of this module).
 */
import { expect } from 'vitest';
import type { InjectOptions } from 'fastify';
import type { TestServer } from '../../testing/server.js';
import type { moveInFamily } from '../registry/testing.js';
import { sampleData } from './testing.js';
import type { FormData } from './form.js';

export type Res = Awaited<ReturnType<TestServer['inject']>>;
export type Fields = [string, string][];
export const html = { accept: 'text/html' };

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([a-zA-Z-:]+)(?:="([^"]*)")?/g)].map((m) => [m[1]!, m[2] === undefined ? true : decode(m[2])]));

/** What a browser would post for the first form whose action matches: inputs, checked boxes, selected options, textareas. */
export function formFields(page: string, action: string | RegExp): Fields {
  const forms = [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => {
    const a = String(attrs(f[1]!).action ?? '');
    return typeof action === 'string' ? a === action : action.test(a);
  });
  if (!form) throw new Error(`no form for ${String(action)}`);
  const body = form[2]!;
  const out: Fields = [];
  for (const m of body.matchAll(/<input\b([^>]*)>/g)) {
    const a = attrs(m[1]!);
    if (typeof a.name !== 'string' || a.type === 'file' || a.disabled) continue;
    if ((a.type === 'checkbox' || a.type === 'radio') && !a.checked) continue;
    out.push([a.name, typeof a.value === 'string' ? a.value : a.type === 'checkbox' ? 'on' : '']);
  }
  for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const a = attrs(m[1]!);
    if (typeof a.name === 'string') out.push([a.name, decode(m[2]!)]);
  }
  for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const a = attrs(m[1]!);
    const chosen = [...m[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attrs(o[1]!)).find((o) => o.selected);
    if (typeof a.name === 'string') out.push([a.name, chosen && typeof chosen.value === 'string' ? chosen.value : '']);
  }
  return out;
}

/** The form's fields with some replaced (a name given in `set` replaces every posted value of it). */
export function withValues(fields: Fields, set: Record<string, string | string[]>): Fields {
  const kept = fields.filter(([k]) => !(k in set));
  for (const [k, v] of Object.entries(set)) for (const x of [v].flat()) kept.push([k, x]);
  return kept;
}

/** A procedure's data as the form's field names (`d:/group/field`). */
export function flatten(data: unknown, base = ''): Fields {
  if (Array.isArray(data) && data.every((x) => typeof x !== 'object')) return data.map((x) => [`d:${base}`, String(x)]);
  if (Array.isArray(data)) return data.flatMap((x, i) => flatten(x, `${base}/${i}`));
  if (data && typeof data === 'object') return Object.entries(data).flatMap(([k, v]) => flatten(v, `${base}/${k}`));
  if (data === false || data === undefined || data === null) return [];
  return [[`d:${base}`, String(data)]];
}

export function multipart(fields: Fields, files: { name: string; filename: string; content: Buffer }[] = [], filesFirst = false) {
  const boundary = `----yakuba${Math.random().toString(16).slice(2)}`;
  const fieldParts = fields.map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const fileParts = files.flatMap((f) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    f.content,
    Buffer.from('\r\n'),
  ]);
  const parts = filesFirst ? [...fileParts, ...fieldParts] : [...fieldParts, ...fileParts];
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export type PageClient = ReturnType<typeof pageClient>;

/** Reading pages and posting their forms for one test server. */
export function pageClient(t: TestServer) {
  const inject = (o: InjectOptions) => t.inject(o);
  const get = (url: string, cookie: string) => inject({ method: 'GET', url, headers: { ...html, cookie } });
  const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  const post = (url: string, cookie: string, fields: Fields) =>
    inject({ method: 'POST', url, headers: { ...html, cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  const postMultipart = (url: string, cookie: string, fields: Fields, files: Parameters<typeof multipart>[1] = []) => {
    const { payload, contentType } = multipart(fields, files);
    return inject({ method: 'POST', url, headers: { ...html, cookie, 'content-type': contentType }, payload });
  };
  const location = (res: Res) => {
    expect(res.statusCode, res.body.replace(/^[\s\S]*<main/, '<main').slice(0, 3000)).toBe(303);
    return String(res.headers.location);
  };
  const draftData = async (id: string) => (await t.db.query<{ data: FormData }>('SELECT data FROM applications.applications WHERE id = $1', [id]))[0]!.data;
  const procedure = (code: string) => t.server.applications.catalog.procedures.get(code)!;
  const moveIn = async (c: ReturnType<typeof moveInFamily>) => {
    const core = await t.tokenFor({ id: 'core-jukiki', purposes: ['registry-maintenance'] });
    const res = await inject({ method: 'POST', url: '/api/v1/registry/changes', headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' }, payload: c });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { personIds: string[] }).personIds;
  };
  const session = async (personId: string) => (await t.residentSession(personId)).cookie;

  async function start(cookie: string, code: string, subjectId?: string): Promise<string> {
    const pageUrl = subjectId ? `/procedures/${code}/start` : `/procedures/${code}`;
    const page = await get(pageUrl, cookie);
    const res = await post(`/procedures/${code}/start`, cookie, [['_csrf', csrfOf(page.body)], ...(subjectId ? [['subjectId', subjectId] as [string, string]] : [])]);
    const to = location(res);
    expect(to).toMatch(/^\/applications\/drafts\/[0-9a-f-]{36}$/);
    return to.split('/').pop()!;
  }

  /** Fills what is still empty with valid sample values and posts the form with `action`. */
  async function complete(cookie: string, id: string, code: string, action = 'review', set: Record<string, string | string[]> = {}) {
    const page = await get(`/applications/drafts/${id}`, cookie);
    expect(page.statusCode, page.body.slice(0, 500)).toBe(200);
    const fields = formFields(page.body, `/applications/drafts/${id}`);
    const have = new Set(fields.filter(([, v]) => v !== '').map(([k]) => k));
    const sample = flatten(sampleData(procedure(code), await draftData(id))).filter(([k]) => !have.has(k));
    return post(`/applications/drafts/${id}`, cookie, withValues([...fields.filter(([k]) => !sample.some(([s]) => s === k)), ...sample], { action, ...set }));
  }

  return { inject, get, csrfOf, post, postMultipart, location, draftData, procedure, moveIn, session, start, complete };
}
