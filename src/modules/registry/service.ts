/**
 * Reading the registry. Each read: scope check (a resident sees only their own household),
 * load, shape to the fields asked for, and one audit entry, in one transaction, so a read
 * whose audit entry cannot be written returns nothing.
 */
import type { Db, Queryable } from '../../platform/db/db.js';
import { recordAccess, type AuditEntryInput } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/auth/principal.js';
import * as store from './store.js';
import * as hist from './history-store.js';
import { openMyNumber, type FieldKeys } from './mynumber.js';
import type { Address, PersonField, PersonView } from './schema.js';
import { normalizeQuery } from './matchkey.js';

export type Audit = (subjectIds: string[], fields: string[], action: string) => AuditEntryInput;

export interface ReadContext {
  principal: Principal;
  purpose: string;
  audit: Audit;
}

/** The persons a resident may see: themselves and the current members of their household. */
async function residentScope(db: Queryable, personId: string): Promise<Set<string>> {
  const self = await store.findPerson(db, personId);
  if (!self) return new Set();
  const ids = new Set([self.id]);
  if (self.household_id) (await store.householdMembers(db, self.household_id, { residentsOnly: true })).forEach((m) => ids.add(m.id));
  return ids;
}

async function assertInScope(db: Queryable, p: Principal, ids: readonly string[], what: string): Promise<void> {
  if (p.kind !== 'resident') return;
  const scope = await residentScope(db, p.id);
  // Someone else's record is "not found", not "forbidden": its existence is not revealed.
  if (ids.some((id) => !scope.has(id))) throw notFound(what);
}

function shape(row: store.PersonRow, address: Address | undefined, fields: readonly PersonField[], keys: FieldKeys): PersonView {
  const full: Record<PersonField, unknown> = {
    id: row.id,
    familyName: row.family_name,
    givenName: row.given_name,
    familyNameKana: row.family_name_kana,
    givenNameKana: row.given_name_kana,
    sex: row.sex,
    birthDate: row.birth_date,
    status: row.status,
    householdId: row.household_id,
    relationToHead: row.relation_to_head,
    address,
    myNumber: undefined,
  };
  const view: Record<string, unknown> = { id: row.id };
  for (const f of fields) {
    if (f === 'myNumber') view.myNumber = row.my_number_enc ? openMyNumber(keys, row.my_number_enc) : null;
    else view[f] = full[f];
  }
  if (row.demo) view.demo = true;
  return view as PersonView;
}

/**
 * What of a person's past a resident may see: all of their own; of a household member, only
 * the stretches spent in the resident's household (earlier homes and households stay private,
 * e.g. for people under protection from a former partner). Staff and spokes see all.
 */
export async function visibleHistory<T extends { household_id: string | null }>(db: Queryable, p: Principal, personId: string, rows: T[]): Promise<T[]> {
  if (p.kind !== 'resident' || p.id === personId) return rows;
  const self = await store.findPerson(db, p.id);
  return rows.filter((r) => self?.household_id && r.household_id === self.household_id);
}

export async function readPerson(
  db: Db,
  keys: FieldKeys,
  ctx: ReadContext,
  id: string,
  fields: readonly PersonField[],
  asOf?: string,
): Promise<PersonView> {
  return db.transaction(async (tx) => {
    await assertInScope(tx, ctx.principal, [id], `person ${id}`);
    let row = await store.findPerson(tx, id);
    if (!row) throw notFound(`person ${id}`);
    if (asOf && ctx.principal.kind === 'resident' && ctx.principal.id !== id) throw notFound(`a record of person ${id} on ${asOf}`);
    if (asOf) {
      const h = await hist.historyAsOf(tx, id, asOf);
      if (!h) throw notFound(`a record of person ${id} on ${asOf}`);
      row = {
        ...row,
        family_name: h.family_name,
        given_name: h.given_name,
        family_name_kana: h.family_name_kana,
        given_name_kana: h.given_name_kana,
        status: h.status as store.PersonRow['status'],
        household_id: h.household_id,
        relation_to_head: h.relation_to_head,
        address_id: h.address_id,
      };
    }
    const address = fields.includes('address') ? (await store.findAddresses(tx, [row.address_id])).get(row.address_id) : undefined;
    await recordAccess(tx, ctx.audit([id], [...fields], asOf ? 'person.read-history' : 'person.read'));
    const view = shape(row, address, fields, keys);
    return asOf ? { ...view, asOf } : view;
  });
}

export interface SearchHitView {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  sex: number;
  status: string;
  town: string;
  demo?: boolean;
}

export const SEARCH_FIELDS = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'birthDate', 'sex', 'status', 'address.town'];

/** Search answers a restricted record per hit; the whole page of hits is one audit entry. */
export async function searchPersons(
  db: Db,
  ctx: ReadContext,
  q: string,
  opts: { includeAll: boolean; after?: { k: string; id: string } | undefined; limit: number },
): Promise<{ items: SearchHitView[]; last: { k: string; id: string } | undefined }> {
  const nq = normalizeQuery(q);
  return db.transaction(async (tx) => {
    const rows = await store.searchPersons(tx, {
      nameKey: nq.birthDate ? undefined : nq.nameKey,
      kanaKey: nq.birthDate ? undefined : nq.kanaKey,
      birthDate: nq.birthDate,
      includeAll: opts.includeAll,
      after: opts.after,
      limit: opts.limit + 1,
    });
    const page = rows.slice(0, opts.limit);
    await recordAccess(tx, ctx.audit(page.map((r) => r.id), SEARCH_FIELDS, 'person.search'));
    const items = page.map((r) => ({
      id: r.id,
      familyName: r.family_name,
      givenName: r.given_name,
      familyNameKana: r.family_name_kana,
      givenNameKana: r.given_name_kana,
      birthDate: r.birth_date,
      sex: r.sex,
      status: r.status,
      town: r.town,
      ...(r.demo ? { demo: true } : {}),
    }));
    const lastRow = page[page.length - 1];
    return { items, last: rows.length > opts.limit && lastRow ? { k: lastRow.sort_key, id: lastRow.id } : undefined };
  });
}

export interface HouseholdView {
  id: string;
  headId: string | null;
  status: string;
  address: Address | undefined;
  members: { id: string; familyName: string; givenName: string; familyNameKana: string; givenNameKana: string; relationToHead: string; birthDate: string; sex: number; status: string }[];
}

export const HOUSEHOLD_FIELDS = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'relationToHead', 'birthDate', 'sex', 'status', 'address'];

export async function readHousehold(db: Db, ctx: ReadContext, id: string): Promise<HouseholdView> {
  return db.transaction(async (tx) => {
    const hh = await store.findHousehold(tx, id);
    if (ctx.principal.kind === 'resident') {
      const self = await store.findPerson(tx, ctx.principal.id);
      if (!hh || self?.household_id !== id) throw notFound(`household ${id}`);
    }
    if (!hh) throw notFound(`household ${id}`);
    const members = await store.householdMembers(tx, id, { residentsOnly: true });
    const address = (await store.findAddresses(tx, [hh.address_id])).get(hh.address_id);
    await recordAccess(tx, ctx.audit(members.map((m) => m.id), HOUSEHOLD_FIELDS, 'household.read'));
    return {
      id: hh.id,
      headId: hh.head_person_id,
      status: hh.status,
      address,
      members: members.map((m) => ({
        id: m.id,
        familyName: m.family_name,
        givenName: m.given_name,
        familyNameKana: m.family_name_kana,
        givenNameKana: m.given_name_kana,
        relationToHead: m.relation_to_head,
        birthDate: m.birth_date,
        sex: m.sex,
        status: m.status,
      })),
    };
  });
}

export interface HistoryView {
  validFrom: string;
  validTo: string | null;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  status: string;
  householdId: string | null;
  relationToHead: string;
  address: Address | undefined;
  changeType: string | null;
}

export async function readHistory(db: Db, ctx: ReadContext, id: string): Promise<HistoryView[]> {
  return db.transaction(async (tx) => {
    await assertInScope(tx, ctx.principal, [id], `person ${id}`);
    if (!(await store.findPerson(tx, id))) throw notFound(`person ${id}`);
    const rows = await visibleHistory(tx, ctx.principal, id, await hist.historyOf(tx, id));
    const changes = new Map((await hist.changesOf(tx, id)).map((c) => [c.id, c.type]));
    const addresses = await store.findAddresses(tx, rows.map((r) => r.address_id));
    await recordAccess(tx, ctx.audit([id], ['history', ...HOUSEHOLD_FIELDS], 'person.read-history'));
    return rows.map((r) => ({
      validFrom: r.valid_from,
      validTo: r.valid_to,
      familyName: r.family_name,
      givenName: r.given_name,
      familyNameKana: r.family_name_kana,
      givenNameKana: r.given_name_kana,
      status: r.status,
      householdId: r.household_id,
      relationToHead: r.relation_to_head,
      address: addresses.get(r.address_id),
      changeType: r.change_id ? (changes.get(r.change_id) ?? null) : null,
    }));
  });
}
