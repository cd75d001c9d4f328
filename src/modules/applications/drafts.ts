/**
 * Drafts: a form saved as it is typed, on the server, so it can be resumed on another device
 * and a validation error never loses what was typed. Only the one who opened a draft sees it.
 * A life event opens several drafts in one group; what is typed in one (phone, mail, bank
 * account) fills the same empty field in the others, so nothing is asked twice.
 */
import { conflict, notFound, validationError } from '../../platform/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
import { newId } from '../../platform/ids.js';
import { sha256Hex } from '../../platform/crypto.js';
import type { Procedure } from './definition-schema.js';
import { isGroup } from './definitions.js';
import { cleanData, validateData, type FormData, type FormIssue } from './form.js';
import { prefilledPaths, prefillFor, restorePrefilled } from './prefill.js';
import { MAX_CORRECTION, resolveParties, type Correction } from './prepare.js';
import { checkAttachment, safeFilename, type AttachmentProblem } from './attachments.js';
import { ownerKeyOf, procedureOf, type Actor, type ApplicationsRuntime } from './runtime.js';
import * as store from './store.js';

export interface Draft {
  row: store.ApplicationRow;
  procedure: Procedure;
  prefilled: Set<string>;
  issues: FormIssue[];
}

export function toDraft(rt: ApplicationsRuntime, row: store.ApplicationRow): Draft {
  const procedure = procedureOf(rt, row.procedure_code);
  // Issues of what applies now: answers kept for questions that do not apply are not checked.
  return { row, procedure, prefilled: prefilledPaths(procedure, row.data, new Set(row.prefilled)), issues: validateData(procedure, cleanData(procedure, row.data)) };
}

type DraftOptions = { subjectId?: string; applicantId?: string; bundle?: string; draftGroup?: string; channel?: store.Channel };

/** The row of a new draft: the parties read from the register and what they pre-fill. */
export async function newDraftRow(rt: ApplicationsRuntime, actor: Actor, code: string, opts: DraftOptions): Promise<store.NewDraft> {
  const p = procedureOf(rt, code);
  const { parties } = await resolveParties(rt, actor, p, opts.subjectId, opts.applicantId);
  const pre = parties ? prefillFor(p, parties, rt.today()) : { data: {}, paths: new Set<string>() };
  return {
    id: newId(),
    procedureCode: p.code,
    procedureVersion: p.version,
    department: p.department.code,
    channel: opts.channel ?? (actor.kind === 'staff' ? 'paper' : 'online'),
    ownerKey: ownerKeyOf(actor),
    applicantId: parties?.applicant.id ?? null,
    subjectId: parties?.subject.id ?? null,
    data: pre.data,
    corrections: [],
    prefilled: [...pre.paths],
    keyedBy: actor.kind === 'staff' ? actor.staffId : null,
    bundle: opts.bundle ?? null,
    draftGroup: opts.draftGroup ?? null,
    demo: rt.demo(),
  };
}

export async function startDraft(rt: ApplicationsRuntime, actor: Actor, code: string, opts: DraftOptions = {}): Promise<Draft> {
  const row = await newDraftRow(rt, actor, code, opts);
  await store.insertDraft(rt.db, row);
  return loadDraft(rt, actor, row.id);
}

export async function loadDraft(rt: ApplicationsRuntime, actor: Actor, id: string): Promise<Draft> {
  const row = await store.findApplication(rt.db, id);
  if (!row || row.status !== 'draft' || row.owner_key !== ownerKeyOf(actor)) throw notFound(`draft ${id}`);
  return toDraft(rt, row);
}

/** Saves what was typed (whatever its state); returns the draft with its current issues. */
export async function saveDraft(rt: ApplicationsRuntime, actor: Actor, id: string, raw: FormData, corrections: readonly Correction[]): Promise<Draft> {
  const draft = await loadDraft(rt, actor, id);
  const p = draft.procedure;
  // Answers to questions that do not apply yet are kept in the draft (typed before the
  // choice that opens them, without JavaScript); submission drops them.
  const data = cleanData(p, raw, { keepHidden: true });
  restorePrefilled(p, data, draft.row.data, new Set(draft.row.prefilled));
  const prefilled = prefilledPaths(p, data, new Set(draft.row.prefilled));
  const kept = corrections
    .map((c) => ({ path: c.path, note: c.note.replace(/\s+/g, ' ').trim().slice(0, MAX_CORRECTION) }))
    .filter((c, i, all) => c.note && prefilled.has(c.path) && all.findIndex((x) => x.path === c.path) === i);
  await rt.db.transaction(async (tx) => {
    // The last save wins (one person, several devices); a draft discarded or sent meanwhile is gone.
    if (!(await store.lockDraft(tx, id))) throw notFound(`draft ${id}`);
    const current = await store.findApplication(tx, id);
    await store.updateDraft(tx, id, current!.lock_version, { data, corrections: kept });
    if (draft.row.draft_group) {
      for (const sibling of await store.draftsOfGroup(tx, draft.row.draft_group)) {
        if (sibling.id === id) continue;
        const sp = procedureOf(rt, sibling.procedure_code);
        // At the counter a group holds unrelated procedures, often for different people: only the applicant's contact crosses between them.
        const only = draft.row.channel === 'counter' ? COUNTER_SHARED : undefined;
        const shared = shareValues(p, data, sp, sibling.data, new Set(sibling.prefilled), only);
        if (shared) await store.updateDraft(tx, sibling.id, sibling.lock_version, { data: sibling.data, corrections: sibling.corrections });
      }
    }
  });
  return loadDraft(rt, actor, id);
}

/** What the counter shares between the procedures of a visit or a pre-entry: how to reach the applicant. */
export const COUNTER_SHARED: ReadonlySet<string> = new Set(['contact', 'phone', 'email']);

/** Copies typed values into the same empty, same-kind fields of another procedure (only the top-level ids in `only`, if given). */
export function shareValues(from: Procedure, data: FormData, to: Procedure, target: FormData, prefilled: ReadonlySet<string>, only?: ReadonlySet<string>): boolean {
  let changed = false;
  const same = (a: { type: string; options?: { value: string }[] | undefined }, b: typeof a) =>
    a.type === b.type && JSON.stringify(a.options?.map((o) => o.value) ?? []) === JSON.stringify(b.options?.map((o) => o.value) ?? []);
  for (const f of from.fields) {
    const g = to.fields.find((x) => x.id === f.id);
    if (!g || data[f.id] === undefined || (only && !only.has(f.id))) continue;
    if (!isGroup(f) && !isGroup(g)) {
      if (same(f, g) && target[g.id] === undefined && !prefilled.has(`/${g.id}`) && !f.prefill) {
        target[g.id] = data[f.id];
        changed = true;
      }
      continue;
    }
    if (!isGroup(f) || !isGroup(g) || f.repeat || g.repeat) continue;
    const src = data[f.id] as FormData;
    const dst = (target[g.id] ??= {}) as FormData;
    for (const sf of f.fields) {
      const tf = g.fields.find((x) => x.id === sf.id);
      if (!tf || sf.prefill || src[sf.id] === undefined || dst[tf.id] !== undefined || prefilled.has(`/${g.id}/${tf.id}`) || !same(sf, tf)) continue;
      dst[tf.id] = src[sf.id];
      changed = true;
    }
  }
  return changed;
}

export async function discardDraft(rt: ApplicationsRuntime, actor: Actor, id: string): Promise<void> {
  await loadDraft(rt, actor, id);
  await store.deleteDraft(rt.db, id);
}

export class AttachmentRefused extends Error {
  constructor(readonly problem: AttachmentProblem) {
    super(`the attachment was refused: ${problem}`);
  }
}

/** Adds a file to a draft's slot after checking type (by content), size and count. */
export async function attachToDraft(rt: ApplicationsRuntime, actor: Actor, id: string, slotId: string, file: { filename: string; content: Buffer }): Promise<void> {
  const draft = await loadDraft(rt, actor, id);
  // Under the draft's lock: a submit in another tab, or a second upload, waits or is refused.
  await rt.db.transaction(async (tx) => {
    if (!(await store.lockDraft(tx, id))) throw conflict(`draft ${id} was already submitted`);
    const already = (await store.attachmentsOf(tx, [id])).filter((a) => a.slot === slotId).length;
    const check = checkAttachment(draft.procedure, slotId, file.content, already);
    if (check.problem === 'unknown-slot') throw validationError(`procedure ${draft.procedure.code} has no attachment "${slotId.slice(0, 64)}"`, [{ field: 'slot', message: 'is not an attachment of this procedure' }]);
    if (check.problem) throw new AttachmentRefused(check.problem);
    await store.insertAttachment(tx, {
    id: newId(),
    applicationId: id,
    slot: slotId,
    filename: safeFilename(file.filename, check.type!),
    contentType: check.type!,
    content: file.content,
    sha256: sha256Hex(file.content),
    });
  });
}

export async function removeFromDraft(rt: ApplicationsRuntime, actor: Actor, id: string, attachmentId: string): Promise<void> {
  await loadDraft(rt, actor, id);
  if (!UUID.test(attachmentId)) throw notFound(`attachment ${attachmentId.slice(0, 40)}`);
  await rt.db.transaction(async (tx) => {
    if (!(await store.lockDraft(tx, id))) throw conflict(`draft ${id} was already submitted`);
    if (!(await store.deleteAttachment(tx, id, attachmentId))) throw notFound(`attachment ${attachmentId}`);
  });
}

/** Opens a life event: one draft per chosen procedure, each for its own subject, in one group. */
export async function startBundle(rt: ApplicationsRuntime, actor: Actor, code: string, choices: { procedure: string; subjectId?: string }[]): Promise<string> {
  const bundle = rt.catalog.bundles.get(code);
  if (!bundle) throw notFound(`life event ${code.slice(0, 32)}`);
  const listed = new Set(bundle.procedures.map((x) => x.code));
  const unknown = choices.filter((c) => !listed.has(c.procedure));
  if (unknown.length) throw validationError('a chosen procedure is not part of this life event', unknown.map((c) => ({ field: 'procedures', message: c.procedure.slice(0, 64) })));
  if (choices.length === 0) throw validationError('choose at least one procedure', [{ field: 'procedures', message: 'is required' }]);
  const group = newId();
  // Every party is checked before the first draft is written: all open, or none.
  const rows: store.NewDraft[] = [];
  for (const c of choices) rows.push(await newDraftRow(rt, actor, c.procedure, { ...(c.subjectId ? { subjectId: c.subjectId } : {}), bundle: code, draftGroup: group }));
  await rt.db.transaction(async (tx) => {
    for (const r of rows) await store.insertDraft(tx, r);
  });
  return group;
}

export async function bundleDrafts(rt: ApplicationsRuntime, actor: Actor, group: string): Promise<Draft[]> {
  const rows = (await store.draftsOfGroup(rt.db, group)).filter((r) => r.owner_key === ownerKeyOf(actor) && r.bundle !== null);
  if (rows.length === 0) throw notFound(`life event drafts ${group}`);
  // In the life event's order (drafts opened together share one timestamp).
  const order = rt.catalog.bundles.get(rows[0]!.bundle ?? '')?.procedures.map((x) => x.code) ?? [];
  return rows.sort((a, b) => order.indexOf(a.procedure_code) - order.indexOf(b.procedure_code)).map((r) => toDraft(rt, r));
}
