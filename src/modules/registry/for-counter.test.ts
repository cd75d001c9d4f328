/** The counter's look-ups against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../testing/db.js';
import { deriveKey } from '../../platform/crypto.js';
import { DomainError } from '../../platform/errors.js';
import type { Principal } from '../../platform/auth/principal.js';
import { applyChange } from './changes.js';
import { asWritten, matchCard, personForCounter, searchForCounter, type CardIdentity } from './for-counter.js';
import type { ReadContext } from './service.js';
import { address, moveInFamily, person, ref, systemAudit } from './testing.js';
import type { ChangeRecord } from './changes-schema.js';

const keys = { encryption: deriveKey('c'.repeat(40), 'field'), hash: deriveKey('c'.repeat(40), 'field-hash') };
const TODAY = '2026-11-22';

const clerk: Principal = {
  kind: 'staff',
  id: 'clerk-1',
  name: 'Counter clerk',
  login: 'clerk',
  department: 'residents',
  roles: ['counter-clerk'],
  purposes: ['counter-service'],
  fields: [],
  fieldsByPurpose: {},
  taskPurpose: 'counter-service',
};
const ctx: ReadContext = {
  principal: clerk,
  purpose: 'counter-service',
  audit: (subjectIds, fields, action) => ({ actorType: 'staff', actorId: clerk.id, actorName: clerk.name, role: 'counter-clerk', purpose: 'counter-service', action, subjectIds, fields }),
};
const residentCtx: ReadContext = {
  ...ctx,
  principal: { kind: 'resident', id: '00000000-0000-4000-8000-000000000001', name: 'r', purposes: [], fields: [], demo: false, sessionId: 's', sessionExpires: new Date() },
};

describe('registry look-ups for the counter', () => {
  let db: TestDb;
  let takahashi: string[]; // 髙橋 一郎 (head), 花子, 翔太 at 123番地
  let otherTakahashi: string; // 高橋 一郎, same birth date, 45番地6
  let yamasaki: string; // 山﨑 美咲
  let sato: string; // 佐藤 健, moved out
  const apply = async (c: ChangeRecord) => (await applyChange(db, keys, c, systemAudit, TODAY)).result.personIds;
  const single = (over: Parameters<typeof person>[0], block: string) => moveInFamily({ household: { address: address(block) }, persons: [person(over)] });

  async function auditTrail(run: () => Promise<unknown>) {
    const count = async () => Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM audit.entries'))[0]!.n);
    const before = await count();
    const outcome: { value?: unknown; error?: unknown } = await run().then((value) => ({ value }), (error: unknown) => ({ error }));
    const added = (await count()) - before;
    const [last] = await db.query<{ purpose: string; action: string; actor_id: string; subject_ids: string[] }>(
      'SELECT purpose, action, actor_id, subject_ids FROM audit.entries ORDER BY seq DESC LIMIT 1',
    );
    return { ...outcome, added, last };
  }

  beforeAll(async () => {
    db = await openTestDb();
    takahashi = await apply(moveInFamily());
    otherTakahashi = (await apply(single({ familyName: '高橋' }, '45番地6')))[0]!;
    yamasaki = (await apply(single({ familyName: '山﨑', givenName: '美咲', familyNameKana: 'ヤマサキ', givenNameKana: 'ミサキ', sex: 2, birthDate: '1990-02-02' }, '7番地')))[0]!;
    sato = (await apply(single({ familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン', birthDate: '1975-07-07' }, '8番地')))[0]!;
    await apply({ type: 'move-out', sourceRef: ref(), effectiveDate: '2026-06-01', personIds: [sato] });
  });
  afterAll(async () => db.close());

  // The card of 髙橋 一郎 as a card writes it: U+3000, full-width digits.
  const ichiro: CardIdentity = { name: '髙橋\u3000一郎', address: '広島県みどり町大字みどり１２３番地', birthDate: '1960-05-01', sex: 'male' };

  describe('matchCard', () => {
    it('finds the exact match — name, birth date, sex and address as written — and leaves one audit entry', async () => {
      const run = await auditTrail(() => matchCard(db, ctx, ichiro));
      const match = run.value as Awaited<ReturnType<typeof matchCard>>;
      expect(match.how).toBe('exact');
      expect(match.people).toEqual([
        expect.objectContaining({
          id: takahashi[0],
          familyName: '髙橋',
          givenName: '一郎',
          familyNameKana: 'タカハシ',
          address: '広島県みどり町大字みどり123番地',
          relationToHead: '本人',
          status: 'resident',
          sex: 1,
          card: { name: 'same', address: 'same', sex: 'same' },
        }),
      ]);
      expect(run.added).toBe(1);
      expect(run.last).toEqual({ purpose: 'counter-service', action: 'person.match-card', actor_id: 'clerk-1', subject_ids: [takahashi[0]] });
    });

    it('matches a card with a variant glyph by the matching key, and says the name differs', async () => {
      const match = await matchCard(db, ctx, { name: '山崎 美咲', address: '広島県みどり町大字みどり７番地', birthDate: '1990-02-02', sex: 'female' });
      expect(match.how).toBe('key');
      expect(match.people.map((p) => [p.id, p.familyName, p.card])).toEqual([[yamasaki, '山﨑', { name: 'variant', address: 'same', sex: 'same' }]]);
    });

    it('returns everyone with the same key and birth date when nobody matches exactly', async () => {
      const run = await auditTrail(() => matchCard(db, ctx, { ...ichiro, name: '高橋　一郎', address: '東京都千代田区霞が関１－２－１' }));
      const match = run.value as Awaited<ReturnType<typeof matchCard>>;
      expect(match.how).toBe('key');
      expect(new Set(match.people.map((p) => p.id))).toEqual(new Set([takahashi[0], otherTakahashi]));
      expect(match.people.find((p) => p.id === otherTakahashi)?.card).toEqual({ name: 'same', address: 'different', sex: 'same' });
      expect(match.people.find((p) => p.id === takahashi[0])?.card).toEqual({ name: 'variant', address: 'different', sex: 'same' });
      expect(run.added).toBe(1);
      expect(new Set(run.last!.subject_ids)).toEqual(new Set([takahashi[0], otherTakahashi]));
    });

    it('prefers the one exact match over the other people with the key', async () => {
      const match = await matchCard(db, ctx, { ...ichiro, name: '高橋一郎', address: '広島県みどり町大字みどり45番地6' });
      expect(match).toMatchObject({ how: 'exact', people: [{ id: otherTakahashi }] });
    });

    it('matches by key, not exactly, when only the sex differs', async () => {
      const match = await matchCard(db, ctx, { ...ichiro, sex: 'female' });
      expect(match.how).toBe('key');
      expect(match.people.find((p) => p.id === takahashi[0])?.card).toEqual({ name: 'same', address: 'same', sex: 'different' });
    });

    it('does not match someone who moved out, nor a stranger, and still leaves one audit entry', async () => {
      const movedOut = await auditTrail(() => matchCard(db, ctx, { name: '佐藤　健', address: '広島県みどり町大字みどり８番地', birthDate: '1975-07-07', sex: 'male' }));
      expect(movedOut.value).toEqual({ how: 'none', people: [] });
      expect(movedOut.added).toBe(1);
      expect(movedOut.last).toMatchObject({ purpose: 'counter-service', action: 'person.match-card', subject_ids: [] });
      expect(await matchCard(db, ctx, { ...ichiro, name: '鈴木　次郎' })).toEqual({ how: 'none', people: [] });
      expect(await matchCard(db, ctx, { ...ichiro, birthDate: '1960-05-02' })).toEqual({ how: 'none', people: [] });
    });

    it('is for staff, and needs complete card fields', async () => {
      const asResident = await auditTrail(() => matchCard(db, residentCtx, ichiro));
      expect(asResident.error).toMatchObject({ code: 'forbidden' });
      expect(asResident.added).toBe(0);
      for (const bad of [{ ...ichiro, birthDate: '1960-02-30' }, { ...ichiro, name: ' ' }, { ...ichiro, sex: 'x' as CardIdentity['sex'] }]) {
        const err = await matchCard(db, ctx, bad).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(DomainError);
        expect(err).toMatchObject({ code: 'validation' });
      }
    });
  });

  describe('searchForCounter', () => {
    it('finds residents by name, kana or birth date (era dates too) with their whole address; one audit entry', async () => {
      const run = await auditTrail(() => searchForCounter(db, ctx, '高橋', 20));
      const hits = run.value as Awaited<ReturnType<typeof searchForCounter>>;
      expect(new Set(hits.map((h) => h.id))).toEqual(new Set([...takahashi, otherTakahashi]));
      expect(hits.find((h) => h.id === otherTakahashi)).toMatchObject({ familyName: '高橋', address: '広島県みどり町大字みどり45番地6', relationToHead: '本人', status: 'resident' });
      expect(run.added).toBe(1);
      expect(run.last).toMatchObject({ purpose: 'counter-service', action: 'person.search' });
      expect(new Set(run.last!.subject_ids)).toEqual(new Set(hits.map((h) => h.id)));

      expect(new Set((await searchForCounter(db, ctx, 'たかはし', 20)).map((h) => h.id))).toEqual(new Set([...takahashi, otherTakahashi]));
      expect(new Set((await searchForCounter(db, ctx, '昭和35年5月1日', 20)).map((h) => h.id))).toEqual(new Set([takahashi[0], otherTakahashi]));
      expect((await searchForCounter(db, ctx, '山崎', 20)).map((h) => h.id)).toEqual([yamasaki]);
      expect(await searchForCounter(db, ctx, '高橋', 2)).toHaveLength(2);
    });

    it('leaves out people who are no longer residents', async () => {
      expect(await searchForCounter(db, ctx, 'サトウ', 20)).toEqual([]);
      expect(await searchForCounter(db, ctx, '1975-07-07', 20)).toEqual([]);
    });

    it('refuses an empty query and a resident', async () => {
      const empty = await auditTrail(() => searchForCounter(db, ctx, ' \u3000', 20));
      expect(empty.error).toMatchObject({ code: 'validation' });
      expect(empty.added).toBe(0);
      await expect(searchForCounter(db, residentCtx, '高橋', 20)).rejects.toMatchObject({ code: 'forbidden' });
    });
  });

  describe('personForCounter', () => {
    it('gives the person and their household, head first and themselves included; one audit entry for all', async () => {
      const run = await auditTrail(() => personForCounter(db, ctx, takahashi[1]!));
      const p = run.value as Awaited<ReturnType<typeof personForCounter>>;
      expect(p).toMatchObject({ id: takahashi[1], givenName: '花子', relationToHead: '妻', address: '広島県みどり町大字みどり123番地', status: 'resident' });
      expect(p.household.map((m) => [m.givenName, m.relationToHead])).toEqual([['一郎', '本人'], ['花子', '妻'], ['翔太', '子']]);
      expect(p.household.every((m) => m.address === '広島県みどり町大字みどり123番地')).toBe(true);
      expect(run.added).toBe(1);
      expect(run.last).toMatchObject({ purpose: 'counter-service', action: 'person.read-for-counter' });
      expect(new Set(run.last!.subject_ids)).toEqual(new Set(takahashi));
    });

    it('gives someone who moved out without a household', async () => {
      expect(await personForCounter(db, ctx, sato)).toMatchObject({ id: sato, status: 'moved-out', household: [] });
    });

    it('answers 404 for nobody (and for something that is not an id), and 403 to a resident', async () => {
      await expect(personForCounter(db, ctx, '00000000-0000-4000-8000-00000000dead')).rejects.toMatchObject({ code: 'not-found' });
      await expect(personForCounter(db, ctx, 'nope')).rejects.toMatchObject({ code: 'not-found' });
      await expect(personForCounter(db, residentCtx, takahashi[0]!)).rejects.toMatchObject({ code: 'forbidden' });
    });
  });

  it('compares names and addresses as written: width, spaces and dashes aside, glyphs kept', () => {
    expect(asWritten('広島県みどり町大字みどり１２番地３\u3000みどりハイツ１０１')).toBe(asWritten('広島県みどり町大字みどり12番地3 みどりハイツ101'));
    expect(asWritten('大字みどり１－２－３')).toBe('大字みどり1-2-3');
    expect(asWritten('大字みどり1ー2ー3')).toBe('大字みどり1-2-3');
    expect(asWritten('センター1')).toBe('センター1');
    expect(asWritten('髙橋\u3000一郎')).not.toBe(asWritten('高橋一郎'));
  });
});
