/** The committed OpenAPI document is the one the code generates: regenerate with `npm run openapi`. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/server.js';

describe('docs/openapi.json', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('matches the document generated from the route schemas (run `npm run openapi` after changing a route)', () => {
    const committed = JSON.parse(readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(JSON.parse(JSON.stringify(t.server.app.swagger()))).toEqual(committed);
  });
});
