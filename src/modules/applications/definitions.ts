/**
 * Loads the procedure definitions and life events from YAML files and checks them: the
 * schema first, then what a schema cannot say (ids unique, conditions pointing at real
 * fields, known pre-fill sources, rules naming repeatable groups, bundles naming known
 * procedures). A broken file stops the server at start, naming the file and the field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import {
  BundleSchema,
  ProcedureSchema,
  PREFILL_SOURCES,
  type Bundle,
  type Field,
  type GroupField,
  type InputField,
  type Procedure,
} from './definition-schema.js';

export class DefinitionError extends Error {
  override name = 'DefinitionError';
  constructor(
    readonly file: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${file}: ${path || '/'}: ${problem}`);
  }
}

export interface Catalog {
  procedures: ReadonlyMap<string, Procedure>;
  bundles: ReadonlyMap<string, Bundle>;
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const checkProcedure = ajv.compile(ProcedureSchema);
const checkBundle = ajv.compile(BundleSchema);
const OPTION_TYPES = new Set(['select', 'radio', 'checkboxes']);
const SOURCES = new Set<string>(PREFILL_SOURCES);

function readYaml(file: string, label: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'), { prettyErrors: true });
  } catch (e) {
    throw new DefinitionError(label, '', `not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
}

function schemaError(label: string, errors: typeof checkProcedure.errors): DefinitionError {
  // A field is one of several shapes, so the deepest error is the one that names the field.
  const depth = (path: string) => path.split('/').length;
  const e = [...(errors ?? [])].filter((x) => x.keyword !== 'anyOf').sort((a, b) => depth(b.instancePath) - depth(a.instancePath))[0] ?? errors?.[0];
  const extra = e?.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"` : '';
  return new DefinitionError(label, e?.instancePath ?? '', `${e?.message ?? 'does not match the definition schema'}${extra}`);
}

export function isGroup(f: Field): f is GroupField {
  return f.type === 'group';
}

/** Checks one procedure beyond its schema; throws naming the first problem. */
export function checkProcedureRules(p: Procedure, label: string, formsDir: string): void {
  const fail = (path: string, problem: string): never => {
    throw new DefinitionError(label, path, problem);
  };
  const topIds = new Map<string, Field>();
  const checkField = (f: InputField | GroupField, path: string, siblings: Map<string, Field>, group: GroupField | undefined) => {
    if (f.type !== 'group') {
      if (OPTION_TYPES.has(f.type) && !f.options) fail(path, `a ${f.type} field needs options`);
      if (!OPTION_TYPES.has(f.type) && f.options) fail(`${path}/options`, `only select, radio and checkboxes fields have options`);
      if (f.options && new Set(f.options.map((o) => o.value)).size !== f.options.length) fail(`${path}/options`, 'option values must be unique');
      if (f.pattern !== undefined) {
        try {
          new RegExp(f.pattern, 'u');
        } catch {
          fail(`${path}/pattern`, 'is not a valid regular expression');
        }
        if (!f.patternHint) fail(path, 'a field with a pattern needs a patternHint saying in words what is expected');
      }
      if (f.min !== undefined && f.max !== undefined && f.min > f.max) fail(path, 'min is greater than max');
      if (f.minLength !== undefined && f.maxLength !== undefined && f.minLength > f.maxLength) fail(path, 'minLength is greater than maxLength');
      if (f.type === 'notice' && (f.required || f.prefill)) fail(path, 'a notice takes no input');
    }
    if (f.prefill !== undefined) {
      if (!SOURCES.has(f.prefill)) fail(`${path}/prefill`, `unknown source "${f.prefill}" (known: ${PREFILL_SOURCES.join(', ')})`);
      if (p.signIn === 'none') fail(`${path}/prefill`, 'a procedure without sign-in cannot be pre-filled from the town’s records');
      const memberSource = f.prefill.startsWith('member.');
      if (memberSource && !group?.members) fail(`${path}/prefill`, 'member.* sources work only inside a repeatable group with `members`');
      if (!memberSource && group?.repeat) fail(`${path}/prefill`, 'inside a repeatable group use member.* sources');
    }
    if (f.visibleWhen) {
      const target = siblings.get(f.visibleWhen.field) ?? topIds.get(f.visibleWhen.field);
      if (!target || target === f) fail(`${path}/visibleWhen/field`, `no field "${f.visibleWhen.field}" in the same group or at the top level`);
      if (target && target.type !== 'group' && target.options) {
        const values = new Set(target.options.map((o) => o.value));
        const wanted = f.visibleWhen.in ?? (f.visibleWhen.equals === undefined ? [] : [f.visibleWhen.equals]);
        for (const v of wanted) if (!values.has(String(v))) fail(`${path}/visibleWhen`, `"${String(v)}" is not an option of "${target.id}"`);
      }
      if (f.visibleWhen.equals === undefined && f.visibleWhen.in === undefined) fail(`${path}/visibleWhen`, 'needs equals or in');
    }
  };
  const collect = (fields: readonly Field[], path: string): Map<string, Field> => {
    const ids = new Map<string, Field>();
    fields.forEach((f, i) => {
      if (ids.has(f.id)) fail(`${path}/${i}/id`, `field id "${f.id}" is used twice`);
      ids.set(f.id, f);
    });
    return ids;
  };
  for (const [id, f] of collect(p.fields, '/fields')) topIds.set(id, f);
  p.fields.forEach((f, i) => {
    const path = `/fields/${i}`;
    checkField(f, path, topIds, undefined);
    if (!isGroup(f)) return;
    if (f.members && !f.repeat) fail(`${path}/members`, 'only a repeatable group can be filled from the household');
    if (f.repeat && f.repeat.min > f.repeat.max) fail(`${path}/repeat`, 'min is greater than max');
    if (f.repeat && f.prefill) fail(`${path}/prefill`, 'a repeatable group is filled through `members`');
    const inner = collect(f.fields, `${path}/fields`);
    f.fields.forEach((g, j) => checkField(g, `${path}/fields/${j}`, inner, f));
  });
  const slots = new Set<string>();
  p.attachments.forEach((a, i) => {
    if (slots.has(a.id)) fail(`/attachments/${i}/id`, `attachment id "${a.id}" is used twice`);
    if (topIds.has(a.id)) fail(`/attachments/${i}/id`, `"${a.id}" is also a field id`);
    slots.add(a.id);
    if (a.visibleWhen && !topIds.has(a.visibleWhen.field)) fail(`/attachments/${i}/visibleWhen/field`, `no top-level field "${a.visibleWhen.field}"`);
  });
  p.rules.forEach((r, i) => {
    if (r.kind === 'subject-age') {
      if (r.atLeast === undefined && r.under === undefined) fail(`/rules/${i}`, 'give atLeast or under');
      return;
    }
    const g = topIds.get(r.group);
    if (!g || !isGroup(g) || !g.repeat || !g.members) fail(`/rules/${i}/group`, `"${r.group}" is not a repeatable group filled from the household`);
    const group = g as GroupField;
    if (r.kind === 'member-age' && group.members?.under === undefined && group.members?.atLeast === undefined) {
      fail(`/rules/${i}`, `group "${r.group}" has no age bounds in members`);
    }
    if (r.kind === 'members-in-household' && r.unlessField) {
      const u = group.fields.find((x) => x.id === r.unlessField);
      if (!u || u.type !== 'checkbox') fail(`/rules/${i}/unlessField`, `"${r.unlessField}" is not a checkbox of group "${r.group}"`);
    }
  });
  if (p.signIn === 'none' && p.applicants.some((a) => a !== 'self')) fail('/applicants', 'without sign-in only the person themself can apply');
  if (p.paperForm.file && !existsSync(join(formsDir, p.paperForm.file))) fail('/paperForm/file', `no file ${p.paperForm.file} in ${formsDir}`);
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
}

/** Reads every definition under `dir`. Throws DefinitionError on the first problem. */
export function loadDefinitions(dir: string): Catalog {
  if (!existsSync(dir)) throw new DefinitionError(dir, '', 'the procedures folder does not exist');
  const procedures = new Map<string, Procedure>();
  const base = join(dir, '..');
  for (const file of yamlFiles(dir)) {
    const path = join(dir, file);
    const label = relative(base, path);
    const raw = readYaml(path, label);
    if (!checkProcedure(raw)) throw schemaError(label, checkProcedure.errors);
    const p = raw as Procedure;
    if (file.replace(/\.ya?ml$/, '') !== p.code) throw new DefinitionError(label, '/code', `the file name must be the code ("${p.code}.yaml")`);
    checkProcedureRules(p, label, join(dir, 'forms'));
    procedures.set(p.code, p);
  }
  if (procedures.size === 0) throw new DefinitionError(dir, '', 'holds no procedure definitions (*.yaml)');
  const bundles = new Map<string, Bundle>();
  const eventsDir = join(dir, 'life-events');
  for (const file of yamlFiles(eventsDir)) {
    const path = join(eventsDir, file);
    const label = relative(base, path);
    const raw = readYaml(path, label);
    if (!checkBundle(raw)) throw schemaError(label, checkBundle.errors);
    const b = raw as Bundle;
    if (file.replace(/\.ya?ml$/, '') !== b.code) throw new DefinitionError(label, '/code', `the file name must be the code ("${b.code}.yaml")`);
    b.procedures.forEach((item, i) => {
      const p = procedures.get(item.code);
      if (!p) throw new DefinitionError(label, `/procedures/${i}/code`, `no procedure "${item.code}"`);
      if (p.signIn === 'none') throw new DefinitionError(label, `/procedures/${i}/code`, `"${item.code}" needs no sign-in; a life event gathers procedures of signed-in residents`);
    });
    if (new Set(b.procedures.map((x) => x.code)).size !== b.procedures.length) throw new DefinitionError(label, '/procedures', 'a procedure is listed twice');
    bundles.set(b.code, b);
  }
  return { procedures, bundles };
}
