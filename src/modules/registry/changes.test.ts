import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { deriveKey } from '../../platform/crypto.js';
import { DomainError } from '../../platform/errors.js';
import { verifyChain, findEntries } from '../../platform/audit.js';
import { readEvents, sequenceEvents } from '../../platform/outbox.js';
import { applyChange } from './changes.js';
import * as store from './store.js';
import * as hist from './history-store.js';
import { address, moveInFamily, myNumber, person, ref, systemAudit } from './testing.js';
import type { ChangeRecord } from './changes-schema.js';

const keys = { encryption: deriveKey('k'.repeat(40), 'field'), hash: deriveKey('k'.repeat(40), 'field-hash') };
const TODAY = '2026-11-22';

describe('change records', () => {
  let db: TestDb;
  const apply = (c: ChangeRecord) => applyChange(db, keys, c, systemAudit, TODAY);
  const refused = async (c: ChangeRecord, code: DomainError['code'], message: RegExp) => {
    const err = await apply(c).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(code);
    expect((err as DomainError).message).toMatch(message);
  };
  const members = async (householdId: string) => store.householdMembers(db, householdId, { residentsOnly: true });

  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('move-in forms a household with one head, keeps variant characters, derives matching keys, history and an event', async () => {
    const { result, replayed } = await apply(moveInFamily());
    expect(replayed).toBe(false);
    expect(result.personIds).toHaveLength(3);
    const persons = await store.findPersons(db, result.personIds);
    const head = persons.find((p) => p.relation_to_head === '本人')!;
    expect(head.family_name).toBe('髙橋');
    const [row] = await db.query<{ match_key: string; kana_key: string }>('SELECT match_key, kana_key FROM registry.persons WHERE id = $1', [head.id]);
    expect(row?.match_key).toBe('高橋一郎');
    const hh = await store.findHousehold(db, head.household_id!);
    expect(hh?.head_person_id).toBe(head.id);
    expect((await hist.historyOf(db, head.id)).map((h) => [h.valid_from, h.valid_to])).toEqual([['2026-04-01', null]]);
    await sequenceEvents(db);
    const events = await readEvents(db, { after: 0, limit: 10 });
    expect(events.at(-1)).toMatchObject({ type: 'registry.person.moved-in', subjectIds: expect.arrayContaining(result.personIds) });
    expect(JSON.stringify(events.at(-1)?.payload)).not.toContain('髙橋');
  });

  it('stores 個人番号 encrypted, never in plaintext', async () => {
    const n = myNumber(424242);
    const { result } = await apply(moveInFamily({ persons: [person({ givenName: '三郎', myNumber: n })] }));
    const [row] = await db.query<Record<string, unknown>>('SELECT * FROM registry.persons WHERE id = $1', [result.personIds[0]]);
    expect(JSON.stringify(row)).not.toContain(n);
    expect(String(row?.my_number_enc)).toMatch(/^v1\./);
    const [change] = await db.query<{ body: unknown }>('SELECT body FROM registry.changes WHERE id = $1', [result.id]);
    expect(JSON.stringify(change?.body)).toContain('myNumber');
  });

  it('answers a repeated sourceRef with the original result, and refuses it with another body', async () => {
    const c = moveInFamily();
    const first = await apply(c);
    const again = await apply({ ...c });
    expect(again).toEqual({ result: first.result, replayed: true });
    await refused({ ...c, effectiveDate: '2026-04-02' }, 'conflict', /already used for a different change record/);
  });

  it('refuses a new household without exactly one head, and a head joining an existing household', async () => {
    await refused(moveInFamily({ persons: [person({ relationToHead: '子' })] }), 'unprocessable', /exactly one person whose relationToHead is 本人/);
    const { result } = await apply(moveInFamily());
    const [p] = await store.findPersons(db, result.personIds);
    await refused(moveInFamily({ household: { id: p!.household_id! }, persons: [person()] }), 'unprocessable', /cannot be 本人/);
  });

  it('refuses a wrong check digit, a number already held, and a future effective date', async () => {
    await refused(moveInFamily({ persons: [person({ myNumber: '123456789012' })] }), 'unprocessable', /persons\/0\/myNumber has a wrong check digit/);
    const n = myNumber(777);
    await apply(moveInFamily({ persons: [person({ myNumber: n })] }));
    await refused(moveInFamily({ persons: [person({ myNumber: n })] }), 'conflict', /already registered to another person/);
    await refused(moveInFamily({ effectiveDate: '2027-01-01' }), 'unprocessable', /in the future/);
  });

  it('birth joins an existing household; a birth into a household that does not exist is refused', async () => {
    const { result } = await apply(moveInFamily());
    const [p] = await store.findPersons(db, result.personIds);
    const baby = person({ givenName: '陽菜', givenNameKana: 'ヒナ', sex: 2, birthDate: '2026-10-01', relationToHead: '子' });
    const born = await apply({ type: 'birth', sourceRef: ref(), effectiveDate: '2026-10-05', householdId: p!.household_id!, person: baby });
    expect((await hist.historyOf(db, born.result.personIds[0]!))[0]?.valid_from).toBe('2026-10-01');
    expect(await members(p!.household_id!)).toHaveLength(4);
    await refused(
      { type: 'birth', sourceRef: ref(), effectiveDate: '2026-10-05', householdId: '00000000-0000-4000-8000-000000000000', person: baby },
      'unprocessable',
      /household 00000000-0000-4000-8000-000000000000 does not exist/,
    );
    await refused({ type: 'birth', sourceRef: ref(), effectiveDate: '2026-09-01', householdId: p!.household_id!, person: baby }, 'unprocessable', /birthDate is after effectiveDate/);
  });

  it('move-out needs a new head when the head leaves others behind; a second move-out is refused', async () => {
    const { result } = await apply(moveInFamily());
    const persons = await store.findPersons(db, result.personIds);
    const head = persons.find((p) => p.relation_to_head === '本人')!;
    const wife = persons.find((p) => p.relation_to_head === '妻')!;
    await refused({ type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-01', personIds: [head.id] }, 'unprocessable', /name newHeadId/);
    await apply({ type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-01', personIds: [head.id], newHeadId: wife.id });
    expect((await store.findHousehold(db, head.household_id!))?.head_person_id).toBe(wife.id);
    expect((await store.findPerson(db, wife.id))?.relation_to_head).toBe('本人');
    await refused({ type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-02', personIds: [head.id] }, 'conflict', /is moved-out, not a resident/);
  });

  it('keeps nothing half-applied: a refused record changes no row, writes no event and no audit entry', async () => {
    const { result } = await apply(moveInFamily());
    const persons = await store.findPersons(db, result.personIds);
    const head = persons.find((p) => p.relation_to_head === '本人')!;
    const before = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM outbox.events) + (SELECT count(*) FROM audit.entries) AS n');
    // The child is valid, the stranger is not: the whole record is refused.
    await refused(
      { type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-01', personIds: [persons.find((p) => p.relation_to_head === '子')!.id, '00000000-0000-4000-8000-00000000abcd'] },
      'unprocessable',
      /does not exist/,
    );
    expect((await store.findPerson(db, head.id))?.status).toBe('resident');
    expect(await members(head.household_id!)).toHaveLength(3);
    const after = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM outbox.events) + (SELECT count(*) FROM audit.entries) AS n');
    expect(Number(after[0]?.n)).toBe(Number(before[0]?.n));
  });

  it('move-out of the whole household dissolves it; death of the last member too', async () => {
    const { result } = await apply(moveInFamily());
    const [p] = await store.findPersons(db, result.personIds);
    await apply({ type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-01', personIds: result.personIds });
    expect((await store.findHousehold(db, p!.household_id!))?.status).toBe('dissolved');
    const single = await apply(moveInFamily({ persons: [person({ givenName: '節子', givenNameKana: 'セツコ', sex: 2, birthDate: '1938-01-09' })] }));
    const id = single.result.personIds[0]!;
    await apply({ type: 'death', sourceRef: ref(), effectiveDate: '2026-07-01', personId: id });
    expect((await store.findPerson(db, id))?.status).toBe('deceased');
    await refused({ type: 'death', sourceRef: ref(), effectiveDate: '2026-07-02', personId: id }, 'conflict', /is deceased/);
    await refused({ type: 'name-change', sourceRef: ref(), effectiveDate: '2026-07-02', personId: id, familyName: '佐藤' }, 'conflict', /is deceased/);
  });

  it('answers "who was this person and where, on date D" through move-within and name-change', async () => {
    const { result } = await apply(moveInFamily({ effectiveDate: '2020-04-01' }));
    const [p] = await store.findPersons(db, result.personIds);
    const wife = (await store.findPersons(db, result.personIds)).find((x) => x.relation_to_head === '妻')!;
    await apply({ type: 'move-within', sourceRef: ref(), effectiveDate: '2022-10-01', householdId: p!.household_id!, address: address('9番地1') });
    await apply({ type: 'name-change', sourceRef: ref(), effectiveDate: '2024-02-01', personId: wife.id, familyName: '山﨑', familyNameKana: 'ヤマサキ' });
    const at = async (d: string) => {
      const h = await hist.historyAsOf(db, wife.id, d);
      const a = await store.findAddresses(db, [h!.address_id]);
      return `${h?.family_name} ${a.get(h!.address_id)?.block}`;
    };
    expect(await at('2021-01-01')).toBe('髙橋 123番地');
    expect(await at('2023-01-01')).toBe('髙橋 9番地1');
    expect(await at('2025-01-01')).toBe('山﨑 9番地1');
    expect(await hist.historyAsOf(db, wife.id, '2019-01-01')).toBeUndefined();
    await refused({ type: 'name-change', sourceRef: ref(), effectiveDate: '2023-01-01', personId: wife.id, givenName: '花' }, 'unprocessable', /earlier than the last change/);
    await refused({ type: 'name-change', sourceRef: ref(), effectiveDate: '2025-01-01', personId: wife.id }, 'unprocessable', /at least one/);
  });

  it('household-change: a child forms their own household; a member becomes head with the former head renamed', async () => {
    const { result } = await apply(moveInFamily());
    const persons = await store.findPersons(db, result.personIds);
    const head = persons.find((p) => p.relation_to_head === '本人')!;
    const wife = persons.find((p) => p.relation_to_head === '妻')!;
    const child = persons.find((p) => p.relation_to_head === '子')!;
    await apply({ type: 'household-change', sourceRef: ref(), effectiveDate: '2026-08-01', personId: child.id, newHousehold: true, relationToHead: '本人' });
    const moved = await store.findPerson(db, child.id);
    expect(moved?.household_id).not.toBe(head.household_id);
    expect((await store.findHousehold(db, moved!.household_id!))?.head_person_id).toBe(child.id);
    await refused(
      { type: 'household-change', sourceRef: ref(), effectiveDate: '2026-08-02', personId: wife.id, toHouseholdId: head.household_id!, relationToHead: '本人' },
      'unprocessable',
      /formerHeadRelation/,
    );
    await apply({ type: 'household-change', sourceRef: ref(), effectiveDate: '2026-08-02', personId: wife.id, toHouseholdId: head.household_id!, relationToHead: '本人', formerHeadRelation: '夫' });
    expect((await store.findHousehold(db, head.household_id!))?.head_person_id).toBe(wife.id);
    expect((await store.findPerson(db, head.id))?.relation_to_head).toBe('夫');
    await refused(
      { type: 'household-change', sourceRef: ref(), effectiveDate: '2026-08-03', personId: head.id, relationToHead: '子' },
      'unprocessable',
      /toHouseholdId .* or newHousehold/,
    );
  });

  it('a resident who moved out and returns keeps their record, found by 個人番号', async () => {
    const n = myNumber(31337);
    const first = await apply(moveInFamily({ effectiveDate: '2019-04-01', persons: [person({ givenName: '次郎', myNumber: n })] }));
    const id = first.result.personIds[0]!;
    await apply({ type: 'move-out', sourceRef: ref(), effectiveDate: '2021-04-01', personIds: [id] });
    const back = await apply(moveInFamily({ effectiveDate: '2025-04-01', household: { address: address('77番地') }, persons: [person({ givenName: '次郎', myNumber: n })] }));
    expect(back.result.personIds).toEqual([id]);
    expect((await hist.historyOf(db, id)).map((h) => h.status)).toEqual(['resident', 'moved-out', 'resident']);
  });

  it('gives the new head a history stretch of their own and names them in the change', async () => {
    const { result } = await apply(moveInFamily({ effectiveDate: '2020-04-01' }));
    const persons = await store.findPersons(db, result.personIds);
    const head = persons.find((p) => p.relation_to_head === '本人')!;
    const wife = persons.find((p) => p.relation_to_head === '妻')!;
    const out = await apply({ type: 'death', sourceRef: ref(), effectiveDate: '2026-03-01', personId: head.id, newHeadId: wife.id });
    expect(out.result.personIds.sort()).toEqual([head.id, wife.id].sort());
    expect((await hist.historyAsOf(db, wife.id, '2025-01-01'))?.relation_to_head).toBe('妻');
    expect((await hist.historyAsOf(db, wife.id, '2026-03-01'))?.relation_to_head).toBe('本人');
  });

  it('refuses a newHeadId when the head does not leave, and never touches a stranger', async () => {
    const a = await apply(moveInFamily());
    const b = await apply(moveInFamily());
    const pa = await store.findPersons(db, a.result.personIds);
    const child = pa.find((p) => p.relation_to_head === '子')!;
    const wife = pa.find((p) => p.relation_to_head === '妻')!;
    await refused({ type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-01', personIds: [child.id], newHeadId: wife.id }, 'unprocessable', /does not leave/);
    const stranger = b.result.personIds[0]!;
    const moved = await apply({ type: 'household-change', sourceRef: ref(), effectiveDate: '2026-06-01', personId: child.id, newHousehold: true, relationToHead: '本人', newHeadId: stranger });
    expect(moved.result.personIds).toEqual([child.id]);
    expect((await hist.historyOf(db, stranger)).map((h) => h.valid_from)).toEqual(['2026-04-01']);
  });

  it('applies concurrent changes to one household without a deadlock: each applies or is refused by a rule', async () => {
    const families = await Promise.all(Array.from({ length: 6 }, () => apply(moveInFamily())));
    const outcomes = await Promise.all(
      families.flatMap(({ result }) => {
        const [, wife, child] = result.personIds;
        return [
          apply({ type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-01', personIds: [wife!] }).then(() => 'ok', (e: DomainError) => e.code),
          apply({ type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-01', personIds: [child!] }).then(() => 'ok', (e: DomainError) => e.code),
          store.findPersons(db, [wife!]).then(([w]) =>
            apply({ type: 'move-within', sourceRef: ref(), effectiveDate: '2026-06-02', householdId: w!.household_id!, address: address('5番地') }).then(() => 'ok', (e: DomainError) => e.code),
          ),
        ];
      }),
    );
    expect(outcomes.every((o) => o === 'ok')).toBe(true);
    for (const { result } of families) expect(await members((await store.findPerson(db, result.personIds[0]!))!.household_id!)).toHaveLength(1);
  });

  it('audits every change in the chain, with the persons it touched', async () => {
    const { result } = await apply(moveInFamily());
    const [entry] = await findEntries(db, { personId: result.personIds[0], limit: 1 });
    expect(entry).toMatchObject({ action: 'registry.change', purpose: 'registry-maintenance', actorId: 'test-core-system' });
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });
});
