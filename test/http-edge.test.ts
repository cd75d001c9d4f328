/** What reaches the server before any route: unreadable requests still get a problem document. */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/server.js';

describe('the HTTP edge', () => {
  let t: TestServer;
  let port: number;
  beforeAll(async () => {
    t = await startTestServer();
    await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.server.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t.close());

  const raw = (request: Buffer) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      let data = '';
      socket.on('data', (d) => (data += d.toString('utf8')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });

  it('answers raw non-ASCII in the URL with a 400 problem document', async () => {
    const res = await raw(Buffer.concat([Buffer.from('GET /api/v1/persons?q='), Buffer.from('たかはし'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
    expect(res).toMatch(/^HTTP\/1\.1 400/);
    expect(res).toContain('application/problem+json');
    expect(res).toContain('percent-encode');
  });

  it('keeps serving after it', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  });

  it('answers an unknown API path with a 404 problem document, and a browser with a page', async () => {
    const api = await fetch(`http://127.0.0.1:${port}/api/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/problem\+json/);
    const page = await fetch(`http://127.0.0.1:${port}/nothing-here`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('ページが見つかりません');
  });

  it('sends security headers and a request id on every answer', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-request-id': 'trace-abcdef12' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abcdef12');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
