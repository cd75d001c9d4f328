/** 世帯変更: joining another household, forming one's own, becoming head, or a new relation. */
import type { Queryable } from '../../platform/db/db.js';
import { unprocessable } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { HouseholdChangeChange } from './changes-schema.js';
import type { Applied } from './changes.js';
import { leaveHousehold, requireActiveHousehold, requireResident } from './change-rules.js';
import * as store from './store.js';

export async function applyHouseholdChange(tx: Queryable, c: HouseholdChangeChange): Promise<Applied> {
  const person = requireResident(await store.findPerson(tx, c.personId, { lock: true }), c.personId);
  const from = person.household_id;
  if (c.newHousehold && c.toHouseholdId) throw unprocessable('give either toHouseholdId or newHousehold, not both');
  if (!c.newHousehold && !c.toHouseholdId) throw unprocessable('give toHouseholdId (join or stay) or newHousehold: true');

  // Within the same household: a new relation, or becoming its head.
  if (c.toHouseholdId && c.toHouseholdId === from) {
    const hh = await requireActiveHousehold(tx, from);
    if (c.relationToHead !== '本人') {
      if (hh.head_person_id === person.id) throw unprocessable('the head cannot take another relation without a new head: make another member 本人');
      await store.updatePerson(tx, person.id, { relationToHead: c.relationToHead });
      return { touched: [person.id], created: [], householdIds: [from], fields: ['relationToHead'] };
    }
    const formerHead = hh.head_person_id;
    if (formerHead === person.id) throw unprocessable(`person ${person.id} is already the head of household ${from}`);
    const touched = [person.id];
    if (formerHead) {
      if (!c.formerHeadRelation || c.formerHeadRelation === '本人') {
        throw unprocessable('name formerHeadRelation: the relation of the former head to the new head');
      }
      await store.updatePerson(tx, formerHead, { relationToHead: c.formerHeadRelation });
      touched.push(formerHead);
    }
    await store.updatePerson(tx, person.id, { relationToHead: '本人' });
    await store.updateHousehold(tx, from, { headPersonId: person.id });
    return { touched, created: [], householdIds: [from], fields: ['relationToHead'] };
  }

  // Leaving for another household or one's own.
  const touched = [person.id];
  if (c.newHeadId && !from) throw unprocessable('newHeadId is given but the person belongs to no household');
  if (c.toHouseholdId) {
    if (c.relationToHead === '本人') throw unprocessable('a person joining a household cannot be 本人: change its head in a second record');
    const target = await requireActiveHousehold(tx, c.toHouseholdId);
    if (from) touched.push(...(await leaveHousehold(tx, from, [person.id], c.newHeadId)));
    await store.updatePerson(tx, person.id, { householdId: target.id, relationToHead: c.relationToHead, addressId: target.address_id });
    return { touched, created: [], householdIds: [from, target.id].filter((h): h is string => !!h), fields: ['householdId', 'relationToHead', 'address'] };
  }
  if (c.relationToHead !== '本人') throw unprocessable('a person forming a new household is its head: relationToHead must be 本人');
  if (from) touched.push(...(await leaveHousehold(tx, from, [person.id], c.newHeadId)));
  const householdId = newId();
  await store.insertHouseholds(tx, [{ id: householdId, headPersonId: person.id, addressId: person.address_id, createdOn: c.effectiveDate, demo: false }]);
  await store.updatePerson(tx, person.id, { householdId, relationToHead: '本人' });
  return { touched, created: [], householdIds: [from, householdId].filter((h): h is string => !!h), fields: ['householdId', 'relationToHead'] };
}
