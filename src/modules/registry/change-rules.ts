/** Rules shared by several change types: who must exist, who may leave, how persons are created. */
import type { Queryable } from '../../platform/db/db.js';
import { conflict, unprocessable } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import * as store from './store.js';
import type { Snapshot } from './history-store.js';
import type { NewPerson } from './schema.js';
import { kanaMatchKey, nameMatchKey } from './matchkey.js';
import { isValidMyNumber, myNumberHash, sealMyNumber, type FieldKeys } from './mynumber.js';

export function snapshotOf(row: store.PersonRow): Snapshot {
  return {
    familyName: row.family_name,
    givenName: row.given_name,
    familyNameKana: row.family_name_kana,
    givenNameKana: row.given_name_kana,
    status: row.status,
    householdId: row.household_id,
    relationToHead: row.relation_to_head,
    addressId: row.address_id,
  };
}

export async function requireActiveHousehold(tx: Queryable, id: string): Promise<store.HouseholdRow> {
  const hh = await store.findHousehold(tx, id, { lock: true });
  if (!hh) throw unprocessable(`household ${id} does not exist`);
  if (hh.status !== 'active') throw conflict(`household ${id} is dissolved`);
  return hh;
}

export function requireResident(p: store.PersonRow | undefined, id: string): store.PersonRow {
  if (!p) throw unprocessable(`person ${id} does not exist`);
  if (p.status !== 'resident') throw conflict(`person ${id} is ${p.status}, not a resident`);
  return p;
}

/**
 * Persons `leaving` leave household `householdId`. If the head leaves and others remain,
 * `newHeadId` must name one of those who remain; if nobody remains, the household dissolves.
 * Returns the ids of persons who stay but changed (the new head), for history and audit.
 * One record covers one household whose head leaves: `newHeadId` belongs to that household.
 */
export async function leaveHousehold(tx: Queryable, householdId: string, leaving: readonly string[], newHeadId: string | undefined): Promise<string[]> {
  const hh = await store.findHousehold(tx, householdId, { lock: true });
  if (!hh) return [];
  const members = await store.householdMembers(tx, householdId, { lock: true, residentsOnly: true });
  const remaining = members.filter((m) => !leaving.includes(m.id));
  if (remaining.length === 0) {
    await store.updateHousehold(tx, householdId, { status: 'dissolved' });
    return [];
  }
  const headLeaves = hh.head_person_id !== null && leaving.includes(hh.head_person_id);
  if (!headLeaves) {
    if (newHeadId && members.some((m) => m.id === newHeadId)) {
      throw unprocessable(`newHeadId is given but the head of household ${householdId} does not leave`);
    }
    return [];
  }
  if (!newHeadId) throw unprocessable(`the head of household ${householdId} leaves while others remain: name newHeadId`);
  if (!remaining.some((m) => m.id === newHeadId)) {
    throw unprocessable(
      `newHeadId ${newHeadId} is not a remaining resident member of household ${householdId} (send one record per household whose head leaves)`,
    );
  }
  await store.updateHousehold(tx, householdId, { headPersonId: newHeadId });
  await store.updatePerson(tx, newHeadId, { relationToHead: '本人' });
  return [newHeadId];
}

export interface CreateOptions {
  householdId: string;
  addressId: string;
  effectiveDate: string;
  historyFrom: (p: NewPerson) => string;
  /** A birth can never be a returning resident. */
  refuseReturning?: boolean;
}

/**
 * Creates persons from a change record. A person whose 個人番号 belongs to someone who
 * moved out earlier is that same person returning: their record is reopened, not copied.
 */
export async function createPersons(tx: Queryable, keys: FieldKeys, persons: readonly NewPerson[], o: CreateOptions) {
  const rows: store.NewPersonRow[] = [];
  const created: { id: string; from: string }[] = [];
  const returning: string[] = [];
  const all: { id: string; relationToHead: string }[] = [];
  const seen = new Set<string>();
  const fields = new Set(['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'sex', 'birthDate', 'relationToHead', 'address']);
  for (const [i, p] of persons.entries()) {
    if (p.birthDate > o.effectiveDate) throw unprocessable(`persons/${i}/birthDate is after effectiveDate`);
    let sealed: { enc: string; hash: string } | undefined;
    if (p.myNumber !== undefined) {
      fields.add('myNumber');
      if (!isValidMyNumber(p.myNumber)) throw unprocessable(`persons/${i}/myNumber has a wrong check digit`);
      const hash = myNumberHash(keys, p.myNumber);
      if (seen.has(hash)) throw unprocessable(`persons/${i}/myNumber appears twice in this change record`);
      seen.add(hash);
      const holder = await store.findPersonByMyNumberHash(tx, hash);
      if (holder) {
        if (holder.status !== 'moved-out' || o.refuseReturning) {
          throw conflict(`persons/${i}/myNumber is already registered to another person`);
        }
        await store.updatePerson(tx, holder.id, {
          familyName: p.familyName, givenName: p.givenName, familyNameKana: p.familyNameKana, givenNameKana: p.givenNameKana,
          matchKey: nameMatchKey(p.familyName, p.givenName), kanaKey: kanaMatchKey(p.familyNameKana, p.givenNameKana),
          status: 'resident', householdId: o.householdId, relationToHead: p.relationToHead, addressId: o.addressId,
        });
        returning.push(holder.id);
        all.push({ id: holder.id, relationToHead: p.relationToHead });
        continue;
      }
      sealed = sealMyNumber(keys, p.myNumber);
    }
    const id = newId();
    rows.push({
      id,
      familyName: p.familyName,
      givenName: p.givenName,
      familyNameKana: p.familyNameKana,
      givenNameKana: p.givenNameKana,
      matchKey: nameMatchKey(p.familyName, p.givenName),
      kanaKey: kanaMatchKey(p.familyNameKana, p.givenNameKana),
      sex: p.sex,
      birthDate: p.birthDate,
      status: 'resident',
      householdId: o.householdId,
      relationToHead: p.relationToHead,
      addressId: o.addressId,
      myNumberEnc: sealed?.enc ?? null,
      myNumberHash: sealed?.hash ?? null,
      demo: false,
    });
    created.push({ id, from: o.historyFrom(p) });
    all.push({ id, relationToHead: p.relationToHead });
  }
  await store.insertPersons(tx, rows);
  return { created, returning, all, fields: [...fields] };
}
