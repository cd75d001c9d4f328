import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../testing/db.js';
import { findEntries, recordAccess, verifyChain, type AuditEntryInput } from './audit.js';

const PERSON = '0b6a4d55-1111-4c6e-9d2a-5a4f8f1b2c3d';
const entry = (i: number): AuditEntryInput => ({
  actorType: 'staff',
  actorId: `staff-${i % 3}`,
  actorName: `職員${i % 3}`,
  role: 'counter-clerk',
  purpose: 'counter-service',
  action: 'person.read',
  subjectIds: i % 2 === 0 ? [PERSON] : [],
  fields: ['familyName', 'givenName'],
  requestId: `req-${i}`,
  sourceIp: '127.0.0.1',
});

describe('the audit trail', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
    for (let i = 0; i < 12; i += 1) await db.transaction((tx) => recordAccess(tx, entry(i), new Date(Date.UTC(2026, 10, 22, 9, 0, i))));
  });
  afterAll(async () => db.close());

  it('chains each entry to the one before and verifies intact', async () => {
    const [first, second] = await findEntries(db, { limit: 100 }).then((r) => r.reverse());
    expect(first?.prevHash).toBe('0'.repeat(64));
    expect(second?.prevHash).toBe(first?.hash);
    expect(await verifyChain(db, 5)).toEqual({ ok: true, checked: 12, headSeq: 12 });
  });

  it('finds entries by person, actor and purpose, newest first', async () => {
    const aboutPerson = await findEntries(db, { personId: PERSON, limit: 100 });
    expect(aboutPerson.map((e) => e.seq)).toEqual([11, 9, 7, 5, 3, 1]);
    expect((await findEntries(db, { actorId: 'staff-0', limit: 2 })).map((e) => e.seq)).toEqual([10, 7]);
    expect(await findEntries(db, { purpose: 'audit', limit: 5 })).toEqual([]);
  });

  it('refuses UPDATE and DELETE of entries', async () => {
    await expect(db.query(`UPDATE audit.entries SET purpose = 'audit' WHERE seq = 3`)).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit.entries WHERE seq = 3')).rejects.toThrow(/append-only/);
  });

  it('rolls back with the access it records: no entry, no access', async () => {
    await expect(
      db.transaction(async (tx) => {
        await recordAccess(tx, entry(99));
        throw new Error('the read failed');
      }),
    ).rejects.toThrow('the read failed');
    expect((await verifyChain(db)).ok).toBe(true);
    expect((await findEntries(db, { limit: 1 }))[0]?.seq).toBe(12);
  });

  it('does not mistake entries appended during a walk for tampering', async () => {
    const appends = Promise.all(Array.from({ length: 5 }, (_, i) => db.transaction((tx) => recordAccess(tx, entry(100 + i)))));
    const during = await verifyChain(db, 2);
    await appends;
    expect(during.ok).toBe(true);
    expect(await verifyChain(db)).toMatchObject({ ok: true, checked: 17 });
  });

  it('names the first broken link when a row is altered behind the triggers', async () => {
    await db.exec(`ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only;
      UPDATE audit.entries SET actor_id = 'someone-else' WHERE seq = 5;
      ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only;`);
    const report = await verifyChain(db, 4);
    expect(report).toMatchObject({ ok: false, brokenAt: 5, checked: 4, reason: expect.stringContaining('hash') });
  });
});

describe('the audit trail, truncated at its end', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
    for (let i = 0; i < 4; i += 1) await db.transaction((tx) => recordAccess(tx, entry(i)));
  });
  afterAll(async () => db.close());

  it('detects entries removed from the end (the head no longer matches)', async () => {
    await db.exec(`ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only;
      DELETE FROM audit.entries WHERE seq = 4;
      ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only;`);
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('detects a gap in the middle', async () => {
    await db.exec(`ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only;
      DELETE FROM audit.entries WHERE seq = 2;
      ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only;`);
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: 2, reason: 'entry 2 is missing' });
  });
});
