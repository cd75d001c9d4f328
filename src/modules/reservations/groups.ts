/**
 * Registered groups (団体登録): a resident registers a group they represent (name, members,
 * activity); the facilities desk approves it, and may grant the group a reduction (減免) of
 * the town's `group` kind. An approved group books at the residents' window and rate.
 */
import { recordAccess } from '../../platform/audit.js';
import { conflict, notFound, validationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AccessContext } from '../access/index.js';
import * as facilities from './facility-store.js';
import * as store from './group-store.js';
import type { ReservationsRuntime } from './runtime.js';

export async function registerGroup(
  rt: ReservationsRuntime,
  ctx: AccessContext,
  g: { name: string; members: number; activity: string; contactEmail?: string | undefined },
): Promise<store.GroupRow> {
  if (ctx.principal.kind !== 'resident') throw validationError('a group is registered by the resident who represents it');
  const personId = ctx.principal.id;
  try {
    return await rt.db.transaction(async (tx) => {
      const row = await store.insertGroup(tx, {
        id: newId(), name: g.name.trim(), representativeId: personId, members: g.members, activity: g.activity.trim(),
        contactEmail: g.contactEmail?.trim() || null, demo: rt.demo(),
      });
      await recordAccess(tx, rt.access.auditEntry(ctx, 'group.register', [personId], ['group']));
      return row;
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === '23505') throw conflict('a group of this name is registered already', { reason: 'name-taken' });
    throw err;
  }
}

/** The desk decides on a registration (and may grant a reduction of the `group` kind). */
export async function decideGroup(
  rt: ReservationsRuntime,
  ctx: AccessContext,
  id: string,
  d: { decision: 'approve' | 'reject'; reduction?: string | undefined; note?: string | undefined },
): Promise<store.GroupRow> {
  if (d.reduction) {
    const r = (await facilities.reductions(rt.db)).find((x) => x.code === d.reduction);
    if (!r || r.basis !== 'group') throw validationError('not a reduction for groups', [{ field: 'reduction', message: 'must be a reduction of the group kind' }]);
  }
  return rt.db.transaction(async (tx) => {
    const g = await store.findGroup(tx, id, { lock: true });
    if (!g) throw notFound(`group ${id}`);
    const ok = await store.decideGroup(tx, id, {
      state: d.decision === 'approve' ? 'approved' : 'rejected', reductionCode: d.decision === 'approve' ? (d.reduction ?? null) : null,
      staffId: ctx.principal.id, note: d.note?.trim() || null, at: rt.now(),
    });
    if (!ok) throw conflict(`the group is ${g.state}, not waiting for a decision`, { state: g.state });
    await recordAccess(tx, rt.access.auditEntry(ctx, 'group.decide', [g.representative_id], ['group']));
    return (await store.findGroup(tx, id))!;
  });
}

export async function withdrawGroup(rt: ReservationsRuntime, personId: string, id: string): Promise<void> {
  if (!(await store.withdrawGroup(rt.db, id, personId))) throw notFound(`group ${id}`);
}
