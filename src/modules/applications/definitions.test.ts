/** The shipped definitions load; a broken one is refused naming the file and the field. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../platform/config.js';
import { DefinitionError, loadDefinitions } from './definitions.js';
import { toJsonSchema } from './form.js';
import { sampleData } from './testing.js';
import { validateData, cleanData } from './form.js';

const shipped = loadConfig({ NODE_ENV: 'test' }).proceduresDir;

/** A copy of the shipped folder with one file changed by `edit`. */
function withEdit(file: string, edit: (doc: Record<string, unknown>) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'yakuba-procedures-')), 'procedures');
  cpSync(shipped, dir, { recursive: true });
  const path = join(dir, file);
  const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(doc);
  writeFileSync(path, stringify(doc));
  return dir;
}

const refused = (dir: string, message: RegExp) => {
  let err: unknown;
  try {
    loadDefinitions(dir);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DefinitionError);
  expect((err as Error).message).toMatch(message);
};

type Doc = { fields: Record<string, unknown>[]; [k: string]: unknown };

describe('procedure definitions', () => {
  it('loads every shipped procedure and life event, and each accepts a filled-in form', () => {
    const c = loadDefinitions(shipped);
    expect(c.procedures.size).toBeGreaterThanOrEqual(13);
    expect([...c.bundles.keys()].sort()).toEqual(['birth', 'death', 'disaster', 'move-in']);
    for (const p of c.procedures.values()) {
      expect(toJsonSchema(p).$id).toBe(`urn:yakuba:procedure:${p.code}:v${p.version}`);
      expect(validateData(p, cleanData(p, sampleData(p, {}, { all: true }))), p.code).toEqual([]);
    }
  });

  it('names the file and the field of a schema error', () => {
    refused(withEdit('child-allowance-claim.yaml', (d) => ((d as Doc).fields[3]!.label = { ja: '請求者' })), /procedures\/child-allowance-claim\.yaml: \/fields\/3\/label: must have required property 'ja-easy'/);
    refused(withEdit('pregnancy-notification.yaml', (d) => ((d as Doc).colour = 'blue')), /pregnancy-notification\.yaml: \/: must NOT have additional properties "colour"/);
  });

  it('refuses what a schema cannot say: unknown sources, dangling conditions, bad patterns, unknown bundle procedures', () => {
    refused(withEdit('child-allowance-claim.yaml', (d) => (((d as Doc).fields[3]!.fields as Record<string, unknown>[])[0]!.prefill = 'subject.shoeSize')), /\/fields\/3\/fields\/0\/prefill: unknown source "subject\.shoeSize"/);
    refused(withEdit('pregnancy-notification.yaml', (d) => ((d as Doc).fields.push({ id: 'extra', type: 'text', label: { ja: 'a', 'ja-easy': 'a', en: 'a' }, visibleWhen: { field: 'nothing', equals: 'x' } }))), /visibleWhen\/field: no field "nothing"/);
    refused(withEdit('pregnancy-notification.yaml', (d) => ((d as Doc).fields.push({ id: 'extra', type: 'text', label: { ja: 'a', 'ja-easy': 'a', en: 'a' }, pattern: '([', patternHint: { ja: 'a', 'ja-easy': 'a', en: 'a' } }))), /pattern: is not a valid regular expression/);
    refused(withEdit('pregnancy-notification.yaml', (d) => ((d as Doc).fields.push({ id: 'extra', type: 'select', label: { ja: 'a', 'ja-easy': 'a', en: 'a' } }))), /a select field needs options/);
    refused(withEdit('move-in-visit-notice.yaml', (d) => (((d as Doc).fields.find((f) => f.type === 'group')!.fields as Record<string, unknown>[])[0]!.prefill = 'subject.fullName')), /without sign-in cannot be pre-filled/);
    refused(withEdit('pregnancy-notification.yaml', (d) => ((d as Doc).code = 'renamed')), /the file name must be the code/);
    refused(withEdit('life-events/birth.yaml', (d) => ((d.procedures as Record<string, unknown>[])[0]!.code = 'no-such-procedure')), /life-events\/birth\.yaml: \/procedures\/0\/code: no procedure "no-such-procedure"/);
  });

  it('refuses broken YAML and an empty folder', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'yakuba-procedures-')), 'procedures');
    mkdirSync(dir);
    refused(dir, /holds no procedure definitions/);
    writeFileSync(join(dir, 'bad.yaml'), 'code: [unclosed\n');
    refused(dir, /bad\.yaml: \/: not valid YAML/);
  });
});
