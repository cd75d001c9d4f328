/** The pure rules of applications: ages by school year, pre-fill, eligibility, form clean-up and issues. */
import { describe, expect, it } from 'vitest';
import { translator } from '../../platform/i18n.js';
import type { ApplicationParties, PartyRecord } from '../registry/index.js';
import type { GroupField, Procedure } from './definition-schema.js';
import { checkEligibility } from './eligibility.js';
import { cleanData, describeIssue, validateData } from './form.js';
import { ageOn, applyPrefill, prefillFor, restorePrefilled, schoolYearEnd, withinAge } from './prefill.js';
import { shareValues } from './drafts.js';
import { checkAttachment, sniffType } from './attachments.js';
import { SAMPLE_FILES } from './testing.js';
import './messages.js';

const T = (ja: string) => ({ ja, 'ja-easy': ja, en: ja });
const claim: Procedure = {
  code: 'claim',
  version: 1,
  names: T('請求'),
  summary: T('請求'),
  department: { code: 'kodomo', names: T('こども家庭課') },
  legalBasis: '法',
  category: 'childcare',
  lifeEvents: ['birth'],
  applicants: ['self'],
  signIn: 'required',
  fee: { amount: 0 },
  standardPeriodDays: 30,
  retentionYears: 5,
  paperForm: { title: '請求書' },
  fields: [
    { id: 'claimant', type: 'group', label: T('請求者'), fields: [{ id: 'fullName', type: 'text', label: T('氏名'), required: true, prefill: 'subject.fullName' }] },
    {
      id: 'children',
      type: 'group',
      label: T('子'),
      required: true,
      repeat: { min: 1, max: 5 },
      members: { relations: ['子'], under: 18, ageRule: 'school-year' },
      fields: [
        { id: 'personId', type: 'text', label: T('照合'), prefill: 'member.personId' },
        { id: 'fullName', type: 'text', label: T('氏名'), required: true, prefill: 'member.fullName' },
        { id: 'birthDate', type: 'date', label: T('生年月日'), required: true, prefill: 'member.birthDate' },
        { id: 'livingApart', type: 'checkbox', label: T('別居') },
        { id: 'address', type: 'text', label: T('子の住所'), required: true, visibleWhen: { field: 'livingApart', equals: true } },
      ],
    },
    { id: 'phone', type: 'tel', label: T('電話番号'), required: true },
    { id: 'account', type: 'text', label: T('口座番号'), required: true, pattern: '^[0-9]{7}$', patternHint: T('7桁の数字') },
  ],
  attachments: [{ id: 'card', label: T('保険証'), types: ['image/png'], maxBytes: 2048 }],
  rules: [{ kind: 'members-in-household', group: 'children', unlessField: 'livingApart' }, { kind: 'member-age', group: 'children' }],
};

const person = (id: string, over: Partial<PartyRecord> = {}): PartyRecord => ({
  id,
  familyName: '髙橋',
  givenName: id,
  familyNameKana: 'タカハシ',
  givenNameKana: 'テスト',
  birthDate: '1980-01-01',
  sex: 1,
  status: 'resident',
  relationToHead: '本人',
  householdId: 'h1',
  address: undefined,
  demo: false,
  ...over,
});
const parent = person('00000000-0000-4000-8000-000000000001');
const kid = person('00000000-0000-4000-8000-000000000002', { givenName: '翔太', relationToHead: '子', birthDate: '2015-03-03' });
const grown = person('00000000-0000-4000-8000-000000000003', { givenName: '結衣', relationToHead: '子', birthDate: '2008-05-10' });
const parties: ApplicationParties = { applicant: parent, subject: parent, relation: 'self', household: [parent, kid, grown], headName: '髙橋 一郎' };
const today = '2026-11-22';

describe('ages', () => {
  it('counts full years, and school years to the first 31 March after the birthday', () => {
    expect(ageOn('2008-11-22', today)).toBe(18);
    // The law counts an age reached at the end of the day before the birthday.
    expect(ageOn('2008-11-23', today)).toBe(18);
    expect(ageOn('2008-11-24', today)).toBe(17);
    expect(ageOn('2008-03-01', '2026-02-28')).toBe(18);
    expect(schoolYearEnd('2008-05-10', 18)).toBe('2027-03-31');
    expect(schoolYearEnd('2008-03-10', 18)).toBe('2026-03-31');
    // Born on 1 April: the age is reached on 31 March, so the school year is the earlier one.
    expect(schoolYearEnd('2008-04-01', 18)).toBe('2026-03-31');
    expect(schoolYearEnd('2008-04-02', 18)).toBe('2027-03-31');
    expect(withinAge({ under: 18, ageRule: 'school-year' }, '2008-05-10', today)).toBe(true); // 18, still 高校生年代
    expect(withinAge({ under: 18, ageRule: 'school-year' }, '2008-03-10', today)).toBe(false);
    expect(withinAge({ atLeast: 18, under: 22, ageRule: 'school-year' }, '2008-05-10', today)).toBe(false); // not yet 大学生年代
    expect(withinAge({ atLeast: 18, under: 22, ageRule: 'school-year' }, '2008-03-10', today)).toBe(true);
    expect(withinAge({ under: 18 }, '2008-05-10', today)).toBe(false);
  });
});

describe('pre-fill', () => {
  it('fills the subject and the children within the age rule, and restores them over edits', () => {
    const pre = prefillFor(claim, parties, today);
    expect(pre.data.claimant).toEqual({ fullName: `髙橋 ${parent.givenName}` });
    expect((pre.data.children as { personId: string }[]).map((c) => c.personId)).toEqual([kid.id, grown.id]);
    const sent = { claimant: { fullName: '別人' }, children: [{ personId: kid.id, fullName: '偽名', birthDate: '2020-01-01' }] };
    const paths = applyPrefill(claim, sent, parties, today);
    expect(sent.claimant.fullName).toBe(`髙橋 ${parent.givenName}`);
    expect(sent.children[0]).toMatchObject({ fullName: '髙橋 翔太', birthDate: '2015-03-03' });
    expect([...paths]).toEqual(expect.arrayContaining(['/claimant/fullName', '/children/0/fullName']));
  });

  it('fills the spouse from the household, but not into a section the resident said does not apply', () => {
    const wife = person('00000000-0000-4000-8000-000000000005', { givenName: '花子', relationToHead: '妻' });
    const withWife = { ...parties, household: [...parties.household, wife] };
    const spouseForm: Procedure = {
      ...claim,
      fields: [
        { id: 'hasSpouse', type: 'radio', label: T('配偶者'), options: [{ value: 'yes', label: T('いる') }, { value: 'no', label: T('いない') }] },
        { id: 'spouse', type: 'group', label: T('配偶者'), visibleWhen: { field: 'hasSpouse', equals: 'yes' }, fields: [{ id: 'fullName', type: 'text', label: T('氏名'), prefill: 'spouse.fullName' }] },
      ],
    };
    expect(prefillFor(spouseForm, withWife, today).data.spouse).toEqual({ fullName: '髙橋 花子' });
    const yes: Record<string, unknown> = { hasSpouse: 'yes' };
    applyPrefill(spouseForm, yes, withWife, today);
    expect(yes.spouse).toEqual({ fullName: '髙橋 花子' });
    const no: Record<string, unknown> = { hasSpouse: 'no' };
    applyPrefill(spouseForm, no, withWife, today);
    expect(no.spouse).toBeUndefined();
  });

  it('keeps what a draft was opened with and drops links the browser invented', () => {
    const stored = prefillFor(claim, parties, today);
    const typed = { claimant: { fullName: 'x' }, children: [{ personId: kid.id, fullName: 'y' }, { personId: '00000000-0000-4000-8000-00000000beef', fullName: '手入力' }] };
    restorePrefilled(claim, typed, stored.data, stored.paths);
    expect(typed.claimant.fullName).toBe(`髙橋 ${parent.givenName}`);
    expect(typed.children[0]!.fullName).toBe('髙橋 翔太');
    expect(typed.children[1]).toEqual({ fullName: '手入力' });
    // A pre-filled group the page did not post comes back whole.
    const group = claim.fields[0] as GroupField;
    const twoFields: Procedure = { ...claim, fields: [{ ...group, fields: [...group.fields, { id: 'kana', type: 'text', label: T('カナ'), prefill: 'subject.fullNameKana' }] }] };
    const pre2 = prefillFor(twoFields, parties, today);
    const posted: Record<string, unknown> = {};
    restorePrefilled(twoFields, posted, pre2.data, pre2.paths);
    expect(posted.claimant).toEqual({ fullName: `髙橋 ${parent.givenName}`, kana: 'タカハシ テスト' });
  });
});

describe('eligibility', () => {
  it('lets the subject be one of a household list that includes them (住民票: 世帯の一部), not of one that does not', () => {
    const children = claim.fields.find((f) => f.id === 'children') as GroupField;
    const withSelf: Procedure = { ...claim, fields: claim.fields.map((f) => (f.id === 'children' ? { ...children, members: { ...children.members, excludeSubject: false } } : f)) };
    const listed = { children: [{ personId: parties.subject.id, birthDate: parties.subject.birthDate }] };
    expect(checkEligibility(withSelf, listed, parties, today).filter((v) => v.rule === 'not-in-household')).toEqual([]);
    expect(checkEligibility(claim, listed, parties, today).filter((v) => v.rule === 'not-in-household')).toEqual([{ rule: 'not-in-household', path: '/children/0' }]);
  });

  it('accepts household children within the limit; refuses others unless living apart', () => {
    const ok = { children: [{ personId: kid.id, birthDate: kid.birthDate }] };
    expect(checkEligibility(claim, ok, parties, today)).toEqual([]);
    expect(checkEligibility(claim, { children: [{ fullName: '知らない子', birthDate: '2016-01-01' }] }, parties, today)).toEqual([{ rule: 'not-in-household', path: '/children/0' }]);
    expect(checkEligibility(claim, { children: [{ fullName: '別居の子', birthDate: '2016-01-01', livingApart: true }] }, parties, today)).toEqual([]);
    const old = person('00000000-0000-4000-8000-000000000004', { relationToHead: '子', birthDate: '2001-01-01' });
    const withOld = { ...parties, household: [...parties.household, old] };
    expect(checkEligibility(claim, { children: [{ personId: old.id, birthDate: old.birthDate }] }, withOld, today)).toEqual([{ rule: 'member-age', path: '/children/0', under: 18 }]);
    expect(checkEligibility(claim, ok, { ...parties, subject: { ...parent, status: 'moved-out' } }, today)[0]!.rule).toBe('subject-not-resident');
  });
});

describe('the form', () => {
  const t = translator('ja');
  it('cleans typed input: full-width digits, spaces, hidden fields, empty entries', () => {
    const data = cleanData(claim, {
      phone: '０９０－１２３４－５６７８',
      account: ' １２３４５６７ ',
      children: { 0: { fullName: '  髙橋   翔太 ', livingApart: 'false', address: '残る住所' }, 1: { livingApart: '' } },
    });
    expect(data).toEqual({ phone: '090-1234-5678', account: '1234567', children: [{ fullName: '髙橋 翔太', livingApart: false }] });
  });

  it('lists each problem once, in form order, naming the field in plain Japanese', () => {
    const issues = validateData(claim, cleanData(claim, { account: '12', children: [{ fullName: 'a', livingApart: true }] }));
    expect(issues.map((i) => i.path)).toEqual(['/children/0/birthDate', '/children/0/address', '/phone', '/account']);
    expect(describeIssue(claim, issues[0]!, 'ja', t)).toBe('「子（1人目）の生年月日」: 入力してください。');
    expect(describeIssue(claim, issues[3]!, 'ja', t)).toBe('「口座番号」: 7桁の数字で入力してください。');
    expect(describeIssue(claim, issues[0]!, 'en', translator('en'))).toBe('“子 #1: 生年月日”: this is required.');
  });

  it('keeps answers to questions that do not apply yet in a draft, and drops them at submission', () => {
    const raw = { children: [{ fullName: '子', livingApart: false, address: '先に書いた住所' }] };
    expect((cleanData(claim, raw, { keepHidden: true }).children as Record<string, unknown>[])[0]!.address).toBe('先に書いた住所');
    expect((cleanData(claim, raw).children as Record<string, unknown>[])[0]!.address).toBeUndefined();
  });

  it('keeps markup as text', () => {
    const data = cleanData(claim, { phone: '0829001234', account: '1234567', claimant: { fullName: '<script>x</script>' } });
    expect((data.claimant as { fullName: string }).fullName).toBe('<script>x</script>');
  });
});

describe('sharing within a life event and attachments', () => {
  it('copies typed values into the same empty fields of another procedure, never over the register', () => {
    const target: Record<string, unknown> = { claimant: { fullName: 'registered' } };
    expect(shareValues(claim, { phone: '0829001234', claimant: { fullName: 'typed' } }, claim, target, new Set(['/claimant/fullName']))).toBe(true);
    expect(target).toEqual({ claimant: { fullName: 'registered' }, phone: '0829001234' });
  });

  it('reads the type from the bytes and checks size and slot', () => {
    expect(sniffType(SAMPLE_FILES['application/pdf'])).toBe('application/pdf');
    expect(sniffType(Buffer.from('<html>'))).toBeUndefined();
    expect(checkAttachment(claim, 'card', SAMPLE_FILES['image/png'], 0).problem).toBeUndefined();
    expect(checkAttachment(claim, 'card', SAMPLE_FILES['application/pdf'], 0).problem).toBe('type');
    expect(checkAttachment(claim, 'card', Buffer.concat([SAMPLE_FILES['image/png'], Buffer.alloc(4096)]), 0).problem).toBe('size');
    expect(checkAttachment(claim, 'card', SAMPLE_FILES['image/png'], 1).problem).toBe('count');
    expect(checkAttachment(claim, 'nope', SAMPLE_FILES['image/png'], 0).problem).toBe('unknown-slot');
  });
});
