/**
 * Applying change records (異動). Each record applies in one transaction: the rules are
 * checked, persons and households change, history gets a new stretch, the record is kept,
 * an event is emitted and the access is audited — all or nothing. A repeated sourceRef
 * with the same body answers the original result; with another body it is refused.
 */
import type { Db, Queryable } from '../../platform/db/db.js';
import { emitEvent } from '../../platform/outbox.js';
import { recordAccess, type AuditEntryInput } from '../../platform/audit.js';
import { sha256Hex } from '../../platform/crypto.js';
import { conflict, DomainError, unprocessable } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { EVENT_OF, type ChangeRecord, type ChangeResult } from './changes-schema.js';
import * as hist from './history-store.js';
import * as store from './store.js';
import { createPersons, leaveHousehold, requireActiveHousehold, requireResident, snapshotOf } from './change-rules.js';
import type { FieldKeys } from './mynumber.js';
import { kanaMatchKey, nameMatchKey } from './matchkey.js';
import { applyHouseholdChange } from './household-change.js';

export interface Applied {
  /** Persons whose record changed (history gets a new stretch from the effective date). */
  touched: string[];
  /** Persons created, with the day their history starts. */
  created: { id: string; from: string }[];
  householdIds: string[];
  fields: string[];
}

const NAME_FIELDS = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana'];

/** Canonical JSON (sorted keys), so the same record always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The households a record may touch, found without locking (the rules re-read them locked). */
async function householdsOf(tx: Queryable, c: ChangeRecord): Promise<string[]> {
  const ofPersons = async (ids: string[]) => (await store.findPersons(tx, ids)).map((p) => p.household_id);
  let ids: (string | null | undefined)[];
  switch (c.type) {
    case 'move-in':
      ids = 'id' in c.household ? [c.household.id] : [];
      break;
    case 'birth':
    case 'move-within':
      ids = [c.householdId];
      break;
    case 'move-out':
      ids = await ofPersons(c.personIds);
      break;
    case 'death':
    case 'name-change':
      ids = await ofPersons([c.personId]);
      break;
    case 'household-change':
      ids = [...(await ofPersons([c.personId])), c.toHouseholdId];
      break;
  }
  return [...new Set(ids.filter((id): id is string => !!id))].sort();
}

/**
 * Serialises changes per household: every change first takes a transaction-scoped lock on
 * each household it touches, in id order, so two changes can never wait on each other in
 * opposite orders (a deadlock on PostgreSQL; PGlite runs one transaction at a time anyway).
 */
async function lockHouseholds(tx: Queryable, c: ChangeRecord): Promise<void> {
  for (const id of await householdsOf(tx, c)) await tx.query('SELECT pg_advisory_xact_lock(7311, hashtext($1))', [id]);
}

const RETRYABLE = new Set(['40P01', '40001']); // deadlock detected, serialization failure
const ATTEMPTS = 3;

async function applyRules(tx: Queryable, keys: FieldKeys, c: ChangeRecord): Promise<Applied> {
  const d = c.effectiveDate;
  switch (c.type) {
    case 'move-in': {
      let householdId: string;
      let addressId: string;
      const heads = c.persons.filter((p) => p.relationToHead === '本人').length;
      if ('id' in c.household) {
        const hh = await requireActiveHousehold(tx, c.household.id);
        if (heads > 0) throw unprocessable('a person joining an existing household cannot be 本人: the household already has a head');
        householdId = hh.id;
        addressId = hh.address_id;
      } else {
        if (heads !== 1) throw unprocessable('a new household needs exactly one person whose relationToHead is 本人');
        householdId = newId();
        addressId = newId();
        await store.insertAddress(tx, addressId, c.household.address);
        await store.insertHouseholds(tx, [{ id: householdId, headPersonId: null, addressId, createdOn: d, demo: false }]);
      }
      const result = await createPersons(tx, keys, c.persons, { householdId, addressId, effectiveDate: d, historyFrom: () => d });
      if (!('id' in c.household)) {
        const head = result.all.find((p) => p.relationToHead === '本人');
        await store.updateHousehold(tx, householdId, { headPersonId: head?.id ?? null });
      }
      return { touched: result.returning, created: result.created, householdIds: [householdId], fields: result.fields };
    }
    case 'birth': {
      const hh = await requireActiveHousehold(tx, c.householdId);
      if (c.person.relationToHead === '本人') throw unprocessable('a newborn cannot be 本人 of an existing household');
      if (c.person.birthDate > d) throw unprocessable('person/birthDate is after effectiveDate');
      const result = await createPersons(tx, keys, [c.person], {
        householdId: hh.id,
        addressId: hh.address_id,
        effectiveDate: d,
        historyFrom: (p) => p.birthDate,
        refuseReturning: true,
      });
      return { touched: [], created: result.created, householdIds: [hh.id], fields: result.fields };
    }
    case 'move-out': {
      const persons = await store.findPersons(tx, c.personIds, { lock: true });
      for (const id of c.personIds) requireResident(persons.find((p) => p.id === id), id);
      const households = [...new Set(persons.map((p) => p.household_id).filter((h): h is string => h !== null))];
      const newHeads: string[] = [];
      for (const hhId of households) {
        const leaving = persons.filter((p) => p.household_id === hhId).map((p) => p.id);
        newHeads.push(...(await leaveHousehold(tx, hhId, leaving, c.newHeadId)));
      }
      for (const p of persons) await store.updatePerson(tx, p.id, { status: 'moved-out' });
      return { touched: [...c.personIds, ...newHeads], created: [], householdIds: households, fields: ['status', 'relationToHead'] };
    }
    case 'death': {
      const person = requireResident(await store.findPerson(tx, c.personId, { lock: true }), c.personId);
      const newHeads = person.household_id ? await leaveHousehold(tx, person.household_id, [person.id], c.newHeadId) : [];
      await store.updatePerson(tx, person.id, { status: 'deceased' });
      return { touched: [person.id, ...newHeads], created: [], householdIds: person.household_id ? [person.household_id] : [], fields: ['status', 'relationToHead'] };
    }
    case 'move-within': {
      const hh = await requireActiveHousehold(tx, c.householdId);
      const addressId = newId();
      await store.insertAddress(tx, addressId, c.address);
      await store.updateHousehold(tx, hh.id, { addressId });
      const members = await store.householdMembers(tx, hh.id, { lock: true, residentsOnly: true });
      for (const m of members) await store.updatePerson(tx, m.id, { addressId });
      return { touched: members.map((m) => m.id), created: [], householdIds: [hh.id], fields: ['address'] };
    }
    case 'name-change': {
      const person = requireResident(await store.findPerson(tx, c.personId, { lock: true }), c.personId);
      const changed = NAME_FIELDS.filter((f) => (c as Record<string, unknown>)[f] !== undefined);
      if (changed.length === 0) throw unprocessable('a name-change must change at least one of familyName, givenName, familyNameKana, givenNameKana');
      const familyName = c.familyName ?? person.family_name;
      const givenName = c.givenName ?? person.given_name;
      const familyNameKana = c.familyNameKana ?? person.family_name_kana;
      const givenNameKana = c.givenNameKana ?? person.given_name_kana;
      await store.updatePerson(tx, person.id, {
        familyName, givenName, familyNameKana, givenNameKana,
        matchKey: nameMatchKey(familyName, givenName),
        kanaKey: kanaMatchKey(familyNameKana, givenNameKana),
      });
      return { touched: [person.id], created: [], householdIds: [], fields: changed };
    }
    case 'household-change':
      return applyHouseholdChange(tx, c);
  }
}

export async function applyChange(
  db: Db,
  keys: FieldKeys,
  record: ChangeRecord,
  audit: (personIds: string[], fields: string[]) => AuditEntryInput,
  today: string,
): Promise<{ result: ChangeResult; replayed: boolean }> {
  const bodyHash = sha256Hex(canonical(record));
  if (record.effectiveDate > today) throw unprocessable('effectiveDate is in the future: changes are recorded once they take effect');
  const replay: Replay = async (tx: Queryable) => {
    const existing = await hist.findChangeBySourceRef(tx, record.sourceRef);
    if (!existing) return undefined;
    if (existing.body_hash !== bodyHash) {
      throw conflict(`sourceRef "${record.sourceRef}" was already used for a different change record`, { existingChangeId: existing.id });
    }
    return { result: toResult(existing), replayed: true as const };
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await applyOnce(db, keys, record, audit, bodyHash, replay);
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      // Two deliveries of the same record at once: the loser finds the winner's row.
      if (code === '23505' && String((err as Error).message).includes('source_ref')) {
        const again = await replay(db);
        if (again) return again;
      }
      if (!RETRYABLE.has(code)) throw err;
      if (attempt >= ATTEMPTS) throw new DomainError('busy', 'the registry is busy with concurrent changes to the same household: send the record again');
    }
  }
}

type Replay = (tx: Queryable) => Promise<{ result: ChangeResult; replayed: true } | undefined>;

async function applyOnce(
  db: Db,
  keys: FieldKeys,
  record: ChangeRecord,
  audit: (personIds: string[], fields: string[]) => AuditEntryInput,
  bodyHash: string,
  replay: Replay,
): Promise<{ result: ChangeResult; replayed: boolean }> {
  return db.transaction(async (tx) => {
      const earlier = await replay(tx);
      if (earlier) return earlier;
      const changeId = newId();
      await lockHouseholds(tx, record);
      const applied = await applyRules(tx, keys, record);
      const rewritesPast = await hist.recordStates(tx, applied.touched, record.effectiveDate, changeId);
      if (rewritesPast) throw unprocessable(`effectiveDate is earlier than the last change recorded for person ${rewritesPast}`);
      const created = await store.findPersons(tx, applied.created.map((c) => c.id));
      await hist.openHistoryRows(
        tx,
        created.map((row) => ({ personId: row.id, from: applied.created.find((c) => c.id === row.id)!.from, s: snapshotOf(row), changeId })),
      );
      const personIds = [...new Set([...applied.touched, ...applied.created.map((c) => c.id)])];
      const entry = audit(personIds, applied.fields);
      const row = await hist.insertChange(tx, {
        id: changeId, sourceRef: record.sourceRef, type: record.type, effectiveDate: record.effectiveDate,
        body: record, bodyHash, personIds, actorId: entry.actorId,
      });
      await emitEvent(tx, EVENT_OF[record.type], personIds, {
        changeId, changeType: record.type, effectiveDate: record.effectiveDate, personIds, householdIds: applied.householdIds,
      });
      await recordAccess(tx, entry);
      return { result: toResult(row), replayed: false };
  });
}

function toResult(row: hist.ChangeRow): ChangeResult {
  return {
    id: row.id,
    sourceRef: row.source_ref,
    type: row.type,
    effectiveDate: row.effective_date,
    personIds: row.person_ids,
    recordedAt: row.recorded_at.toISOString(),
  };
}
