/**
 * Pre-entry from home (事前入力): a resident picks the procedures they will do at the counter,
 * fills what the town cannot know (on the ordinary form, saved as drafts), and gets a QR code.
 * The code carries a short signed token — a random id and the last valid day, never personal
 * data. At the counter the code opens the visit; it is spent when the visit sends.
 */
import { conflict, DomainError, notFound } from '../../platform/errors.js';
import type { AccessContext } from '../access/index.js';
import type { DeskChoice } from '../applications/index.js';
import { addDays, type CounterRuntime } from './runtime.js';
import * as store from './store.js';
import { issuePreEntryToken, newPreEntryId, readPreEntryToken } from './token.js';
import { newId } from '../../platform/ids.js';

export async function createPreEntry(rt: CounterRuntime, ctx: AccessContext, choices: readonly DeskChoice[]): Promise<store.PreEntryRow> {
  const id = newId();
  // The drafts and the entry are written together: all, or nothing.
  await rt.applications.desk.add(ctx, id, {
    choices,
    alsoWrite: (tx) => store.insertPreEntry(tx, { id, tokenId: newPreEntryId(), personId: ctx.principal.id, draftGroup: id, expiresOn: addDays(rt.today(), rt.config.counter.preEntryDays), demo: rt.demo() }),
  });
  return (await store.findPreEntry(rt.db, id))!;
}

/** A resident's own pre-entry (another's is not found). */
export async function ownPreEntry(rt: CounterRuntime, personId: string, id: string): Promise<store.PreEntryRow> {
  const row = /^[0-9a-f-]{36}$/.test(id) ? await store.findPreEntry(rt.db, id) : undefined;
  if (!row || row.person_id !== personId) throw notFound('this pre-entry');
  return row;
}

export const tokenOf = (rt: CounterRuntime, row: store.PreEntryRow): string => issuePreEntryToken(rt.qrKey, row.token_id, row.expires_on);

export const preEntryState = (rt: CounterRuntime, row: store.PreEntryRow): 'usable' | 'used' | 'expired' => (row.used_at ? 'used' : row.expires_on < rt.today() ? 'expired' : 'usable');

/** Deletes an unused pre-entry and its drafts. */
export async function deletePreEntry(rt: CounterRuntime, personId: string, id: string): Promise<void> {
  const row = await ownPreEntry(rt, personId, id);
  await rt.db.transaction(async (tx) => {
    if (!(await store.deletePreEntry(tx, row.id))) throw conflict('this pre-entry was used at the counter and is kept with the visit');
    await rt.applications.desk.discard(tx, { personId }, row.draft_group);
  });
}

/** Drops unused pre-entries some days past their last day, with their drafts and documents (data kept no longer than needed). */
export async function purgeExpiredPreEntries(rt: CounterRuntime, graceDays = 30): Promise<number> {
  let n = 0;
  for (const p of await store.expiredPreEntries(rt.db, addDays(rt.today(), -graceDays))) {
    await rt.db.transaction(async (tx) => {
      await rt.applications.desk.discard(tx, { personId: p.person_id }, p.draft_group);
      if (await store.deletePreEntry(tx, p.id)) n += 1;
    });
  }
  return n;
}

/** Why a code read at the counter opens nothing: said to the clerk in plain words. */
export class PreEntryRefused extends DomainError {
  constructor(
    readonly problem: 'malformed' | 'forged' | 'expired' | 'unknown' | 'used' | 'in-use',
    readonly expiresOn?: string,
  ) {
    super(problem === 'used' || problem === 'in-use' ? 'conflict' : 'unprocessable', `the pre-entry code is ${problem}`, { detail: { problem, ...(expiresOn ? { expiresOn } : {}) } });
  }
}

/** The pre-entry a scanned code names, if it is genuine, unexpired and unused. Nothing is opened here. */
export async function preEntryFromCode(rt: CounterRuntime, text: string): Promise<store.PreEntryRow> {
  const read = readPreEntryToken(rt.qrKey, text, rt.today());
  if (!read.ok) throw new PreEntryRefused(read.problem, read.expiresOn);
  const row = await store.findPreEntryByToken(rt.db, read.id);
  // A genuine code whose entry was deleted by the resident.
  if (!row) throw new PreEntryRefused('unknown');
  if (row.used_at) throw new PreEntryRefused('used');
  if (row.expires_on < rt.today()) throw new PreEntryRefused('expired', row.expires_on);
  return row;
}
