/**
 * The paper-form check: the shipped blank forms and their layouts pass; a missing or unreadable
 * file, a page the PDF lacks, a box off its page and a value naming no field are each named
 * with the definition file and the place in it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../platform/config.js';
import type { PaperFormField, Procedure } from './definition-schema.js';
import { DefinitionError, loadDefinitions, type Catalog } from './definitions.js';
import { assertPaperForms, checkPaperForms, pageSizes, paperFormError } from './paper-forms.js';

const shipped = loadConfig({ NODE_ENV: 'test' }).proceduresDir;
const catalog = loadDefinitions(shipped);
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the shipped procedures folder, to break. */
function copy(): string {
  const root = mkdtempSync(join(tmpdir(), 'yakuba-paper-'));
  temps.push(root);
  const dir = join(root, 'procedures');
  cpSync(shipped, dir, { recursive: true });
  return dir;
}

/** The catalogue with one procedure's paper form changed. */
function withForm(code: string, edit: (form: Procedure['paperForm']) => void): Catalog {
  const p = structuredClone(catalog.procedures.get(code)!);
  edit(p.paperForm);
  return { procedures: new Map([...catalog.procedures, [code, p]]), bundles: catalog.bundles };
}

const box = (value: string, more: Partial<PaperFormField> = {}): PaperFormField => ({ value, page: 1, x: 20, y: 20, width: 40, height: 8, ...more });

describe('the paper forms of the definitions', () => {
  it('pass for every shipped procedure, and three of them have an official A4 form', async () => {
    expect(await checkPaperForms(catalog, shipped)).toEqual([]);
    await expect(assertPaperForms(catalog, shipped)).resolves.toBeUndefined();
    const withFile = [...catalog.procedures.values()].filter((p) => p.paperForm.file).map((p) => p.code);
    expect(withFile.sort()).toEqual(['child-medical-subsidy', 'long-term-care-certification', 'residence-certificate-request']);
    const sizes = await pageSizes(join(shipped, 'forms', 'long-term-care-certification.pdf'));
    expect(sizes).toHaveLength(2);
    expect(sizes[0]!.width).toBeCloseTo(210, 0);
    expect(sizes[0]!.height).toBeCloseTo(297, 0);
  });

  it('names a blank form that is missing, with the definition file and the field', async () => {
    const dir = copy();
    rmSync(join(dir, 'forms', 'residence-certificate-request.pdf'));
    const problems = await checkPaperForms(catalog, dir);
    expect(problems).toEqual([
      {
        procedure: 'residence-certificate-request',
        file: 'procedures/residence-certificate-request.yaml',
        path: '/paperForm/file',
        problem: expect.stringMatching(/^no file residence-certificate-request\.pdf in .*forms$/),
      },
    ]);
    const error = paperFormError(problems);
    expect(error).toBeInstanceOf(DefinitionError);
    expect(error!.message).toMatch(/^procedures\/residence-certificate-request\.yaml: \/paperForm\/file: no file residence-certificate-request\.pdf/);
    await expect(assertPaperForms(catalog, dir)).rejects.toThrow(/residence-certificate-request\.yaml: \/paperForm\/file/);
  });

  it('names a file that is not a PDF', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'forms', 'child-medical-subsidy.pdf'), 'not a pdf');
    const [problem] = await checkPaperForms(catalog, dir);
    expect(problem).toMatchObject({ procedure: 'child-medical-subsidy', path: '/paperForm/file', problem: expect.stringMatching(/^child-medical-subsidy\.pdf cannot be read as a PDF/) });
  });

  it('names a box that falls off its page and a page the form does not have', async () => {
    const broken = withForm('residence-certificate-request', (form) => {
      form.fields!.push(box('/person/fullName', { x: 180, width: 40 }), box('/person/address', { y: 290, height: 10 }), box('/copies', { page: 3 }));
      form.signature = { page: 2, x: 120, y: 190, width: 70, height: 20 };
    });
    const problems = await checkPaperForms(broken, shipped);
    const n = catalog.procedures.get('residence-certificate-request')!.paperForm.fields!.length;
    expect(problems.map((p) => [p.path, p.problem])).toEqual([
      [`/paperForm/fields/${n}`, '/person/fullName: the box (x 180–220 mm, y 20–28 mm) falls off page 1 of residence-certificate-request.pdf (210 × 297 mm)'],
      [`/paperForm/fields/${n + 1}`, '/person/address: the box (x 20–60 mm, y 290–300 mm) falls off page 1 of residence-certificate-request.pdf (210 × 297 mm)'],
      [`/paperForm/fields/${n + 2}`, '/copies: page 3 is beyond the 1 page of residence-certificate-request.pdf'],
      ['/paperForm/signature', 'page 2 is beyond the 1 page of residence-certificate-request.pdf'],
    ]);
    expect(paperFormError(problems)!.message).toMatch(/falls off page 1 .* \(and 3 more paper-form problems\)$/);
  });

  it('names values that point at no field, or at something that cannot be printed there', async () => {
    const broken = withForm('residence-certificate-request', (form) => {
      form.fields = [
        box('/person/shoeSize'),
        box('/nothing'),
        box('/person'),
        box('/listedMembers/fullName'),
        box('/listedMembers/20/fullName'),
        box('/myNumberCopyNotice'),
        box('/certificateType', { mark: 'original' }),
        box('/submitTo', { mark: 'x' }),
        box('/listedMembers/0/include', { mark: 'yes' }),
        box('/copies', { datePart: 'year' }),
        box('$reference', { datePart: 'year' }),
        box('/submitTo', { size: 8, minSize: 9 }),
        box('/listedMembers/19/fullName'),
        box('/certificateType', { mark: 'statement' }),
        box('$today', { datePart: 'era' }),
      ];
    });
    const problems = (await checkPaperForms(broken, shipped)).map((p) => `${p.path}: ${p.problem}`);
    expect(problems).toEqual([
      '/paperForm/fields/0: "/person/shoeSize" names no field of the definition',
      '/paperForm/fields/1: "/nothing" names no field of the definition',
      '/paperForm/fields/2: "/person" is a group; name one of its fields, e.g. /person/fullName',
      '/paperForm/fields/3: "/listedMembers/fullName": "listedMembers" repeats; name an entry by index, e.g. /listedMembers/0/fullName',
      '/paperForm/fields/4: "/listedMembers/20/fullName": "listedMembers" holds at most 20 entries (the first is 0)',
      '/paperForm/fields/5: "/myNumberCopyNotice" is a notice, which takes no value',
      '/paperForm/fields/6: "original" is not an option of "/certificateType"',
      '/paperForm/fields/7: "/submitTo" is a text field; only choices (select, radio, checkbox, checkboxes) are marked',
      '/paperForm/fields/8: "/listedMembers/0/include" is a checkbox: mark it with true or false',
      '/paperForm/fields/9: "/copies" is a number field, not a date',
      '/paperForm/fields/10: $reference is not a date',
      '/paperForm/fields/11: minSize is larger than size',
    ]);
  });

  it('names positions given without the blank form they belong to', async () => {
    const broken = withForm('pregnancy-notification', (form) => {
      form.fields = [box('/contact/phone')];
      form.signature = { page: 1, x: 10, y: 10, width: 50, height: 15 };
    });
    expect((await checkPaperForms(broken, shipped)).map((p) => [p.procedure, p.path])).toEqual([
      ['pregnancy-notification', '/paperForm/fields'],
      ['pregnancy-notification', '/paperForm/signature'],
    ]);
  });

  it('is refused at load when a position has an unknown key or a negative size (the schema)', () => {
    const dir = copy();
    const path = join(dir, 'child-medical-subsidy.yaml');
    const doc = parse(readFileSync(path, 'utf8')) as { paperForm: { fields: Record<string, unknown>[] } };
    doc.paperForm.fields[4]!.colour = 'blue';
    writeFileSync(path, stringify(doc));
    expect(() => loadDefinitions(dir)).toThrow(/child-medical-subsidy\.yaml: \/paperForm\/fields\/4: must NOT have additional properties "colour"/);
    delete doc.paperForm.fields[4]!.colour;
    doc.paperForm.fields[4]!.width = 0;
    writeFileSync(path, stringify(doc));
    expect(() => loadDefinitions(dir)).toThrow(/\/paperForm\/fields\/4\/width: must be > 0/);
  });
});
