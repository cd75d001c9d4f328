/**
 * Every message a page can show exists in ja, ja-easy and en. Static keys are read from
 * the source (`t('…')`); keys built at run time (purpose.*, role.*, action.*, status, sex,
 * change types) are checked for every value the data and the code can produce.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMessages, hasMessage, LOCALES } from '../src/platform/i18n.js';
import { startTestServer, type TestServer } from '../src/testing/server.js';
import { CHANGE_TYPES } from '../src/modules/registry/index.js';

const SRC = new URL('../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

describe('the message catalogue', () => {
  let t: TestServer;
  const code = sourceFiles(SRC).map((f) => readFileSync(f, 'utf8')).join('\n');
  beforeAll(async () => {
    t = await startTestServer(); // registers every module's messages
  });
  afterAll(async () => t.close());

  it('has every message in Japanese, やさしい日本語 and English, none empty', () => {
    for (const [key, message] of allMessages()) {
      for (const locale of LOCALES) expect(message[locale].trim(), `${key} in ${locale}`).not.toBe('');
    }
  });

  it('has every key the code passes to t() literally', () => {
    const keys = new Set([...code.matchAll(/\bt\(\s*'([a-zA-Z0-9._-]+)'/g)].map((m) => m[1]!));
    expect(keys.size).toBeGreaterThan(50);
    expect([...keys].filter((k) => !hasMessage(k))).toEqual([]);
  });

  it('has the keys built at run time for every value the data and code produce', async () => {
    const purposes = (await t.db.query<{ code: string }>('SELECT code FROM access.purposes')).map((r) => `purpose.${r.code}`);
    const roles = (await t.db.query<{ code: string }>('SELECT code FROM access.roles')).map((r) => `role.${r.code}`);
    // Action codes: dotted literals on the lines that record an audit entry.
    const auditLines = code.split('\n').filter((l) => /action: |auditEntry\(|\.audit\(/.test(l));
    const actions = [...new Set(auditLines.flatMap((l) => [...l.matchAll(/'([a-z-]+\.[a-z-]+)'/g)].map((m) => `action.${m[1]}`)))];
    expect(actions.length).toBeGreaterThan(8);
    const registry = [
      ...['resident', 'moved-out', 'deceased'].map((s) => `registry.status.${s}`),
      ...[0, 1, 2, 9].map((s) => `registry.sex.${s}`),
      ...CHANGE_TYPES.map((c) => `registry.change.${c}`),
      ...['ja', 'ja-easy', 'en'].map((l) => `app.lang.${l}`),
    ];
    expect([...purposes, ...roles, ...actions, ...registry].filter((k) => !hasMessage(k))).toEqual([]);
  });
});
