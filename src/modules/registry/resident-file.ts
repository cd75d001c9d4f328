/**
 * The whole file of one person as a page shows it — record, household, history, who looked
 * — read in one transaction and recorded as one audit entry, so a person's access log
 * shows one line per look rather than one per table.
 */
import type { Db } from '../../platform/db/db.js';
import { findEntries, recordAccess, type AuditEntry } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import * as store from './store.js';
import * as hist from './history-store.js';
import type { Address } from './schema.js';
import { visibleHistory, type ReadContext } from './service.js';

export interface ResidentFile {
  person: store.PersonRow & { hasMyNumber: boolean };
  address: Address | undefined;
  household: { id: string; headId: string | null; members: store.PersonRow[] } | undefined;
  history: (hist.HistoryRow & { address: Address | undefined; changeType: string | null })[];
  accessLog: AuditEntry[];
}

export const FILE_FIELDS = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'sex', 'birthDate', 'status', 'relationToHead', 'address', 'household', 'history', 'accessLog'];

export async function readResidentFile(db: Db, ctx: ReadContext, id: string): Promise<ResidentFile> {
  return db.transaction(async (tx) => {
    const row = await tx.query<store.PersonRow & { has_my_number: boolean }>(
      'SELECT id, my_number_enc IS NOT NULL AS has_my_number FROM registry.persons WHERE id = $1',
      [id],
    );
    const person = await store.findPerson(tx, id);
    if (!person || !row[0]) throw notFound(`person ${id}`);
    if (ctx.principal.kind === 'resident') {
      const self = await store.findPerson(tx, ctx.principal.id);
      const sameHousehold = self?.household_id !== null && self?.household_id === person.household_id && person.status === 'resident';
      if (!self || (self.id !== id && !sameHousehold)) throw notFound(`person ${id}`);
    }
    const members = person.household_id ? await store.householdMembers(tx, person.household_id, { residentsOnly: true }) : [];
    const hh = person.household_id ? await store.findHousehold(tx, person.household_id) : undefined;
    const history = await visibleHistory(tx, ctx.principal, id, await hist.historyOf(tx, id));
    const changes = new Map((await hist.changesOf(tx, id)).map((c) => [c.id, c.type]));
    const addresses = await store.findAddresses(tx, [person.address_id, ...history.map((h) => h.address_id)]);
    // Recorded first, so the log shown includes this very look.
    await recordAccess(tx, ctx.audit([id, ...members.map((m) => m.id).filter((m) => m !== id)], FILE_FIELDS, 'person.read-file'));
    const accessLog = await findEntries(tx, { personId: id, limit: 20 });
    return {
      person: { ...person, my_number_enc: null, hasMyNumber: row[0].has_my_number },
      address: addresses.get(person.address_id),
      household: hh ? { id: hh.id, headId: hh.head_person_id, members } : undefined,
      history: history.map((h) => ({ ...h, address: addresses.get(h.address_id), changeType: h.change_id ? (changes.get(h.change_id) ?? null) : null })),
      accessLog,
    };
  });
}
