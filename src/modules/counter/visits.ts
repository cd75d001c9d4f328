/**
 * A visit (来庁) from start to end: 本人確認 (by pre-entry code, card or search, always
 * confirmed by the clerk) → the procedures, pre-filled, asking only what remains → the forms
 * printed for checking and signed (tablet or paper) → sent under one receipt, each opening a
 * case like an online application → certificates and their fees due at the counter → ended.
 * Every change is refused unless the visit is in the state it needs.
 */
import { recordAccess } from '../../platform/audit.js';
import type { Queryable } from '../../platform/db/db.js';
import { conflict, DomainError, notFound, unprocessable, validationError, type FieldIssue } from '../../platform/errors.js';
import { signToken, verifyToken } from '../../platform/crypto.js';
import { newId } from '../../platform/ids.js';
import { emitEvent } from '../../platform/outbox.js';
import type { Locale, Translate } from '../../platform/i18n.js';
import type { AccessContext } from '../access/index.js';
import type { DeskChoice, DeskItem } from '../applications/index.js';
import { createHash } from 'node:crypto';
import { procedureFee } from './certificates.js';
import { preEntryFromCode, PreEntryRefused } from './pre-entry.js';
import { readContext, type CounterRuntime } from './runtime.js';
import * as store from './store.js';

/** A procedure that could not be added, and why (the others are added). */
export interface Refused {
  procedure: string;
  subjectId?: string;
  reason: 'already-open' | 'already-in-visit' | 'not-allowed' | 'not-counter' | 'too-many';
  reference?: string;
}

/** Loads a visit of this clerk (another clerk's visit is not found: visits are not shared). */
export async function visitOf(rt: CounterRuntime, ctx: AccessContext, id: string, opts: { lock?: boolean; db?: Queryable } = {}): Promise<store.VisitRow> {
  const v = /^[0-9a-f-]{36}$/.test(id) ? await store.findVisit(opts.db ?? rt.db, id, opts) : undefined;
  if (!v || v.staff_id !== ctx.principal.id) throw notFound(`visit ${id.slice(0, 40)}`);
  return v;
}

function mustBe(v: store.VisitRow, states: readonly store.VisitState[], action: string): void {
  if (!states.includes(v.state)) {
    throw new DomainError('conflict', `visit ${v.reference} is ${v.state}; '${action}' needs it ${states.join(' or ')}`, { detail: { currentState: v.state } });
  }
}

/** Adds procedures one by one: what cannot be added is reported, the rest is added. */
export async function addProcedures(rt: CounterRuntime, ctx: AccessContext, v: store.VisitRow, choices: readonly DeskChoice[], preEntry?: { personId: string; group: string }): Promise<Refused[]> {
  mustBe(v, ['open'], 'add a procedure');
  const refused: Refused[] = [];
  for (const c of choices) {
    try {
      await rt.applications.desk.add(ctx, v.id, { applicantId: v.person_id, choices: [c], ...(preEntry ? { preEntry } : {}) });
    } catch (err) {
      if (!(err instanceof DomainError) || !['conflict', 'forbidden', 'validation', 'not-found', 'unprocessable'].includes(err.code)) throw err;
      const open = (err.detail as { openApplication?: { reference?: string } } | undefined)?.openApplication?.reference;
      const tooMany = err.code === 'validation' && err.message.startsWith('at most');
      const reason: Refused['reason'] = open ? 'already-open' : err.code === 'conflict' ? 'already-in-visit' : tooMany ? 'too-many' : err.code === 'validation' ? 'not-counter' : 'not-allowed';
      refused.push({ procedure: c.procedure, ...(c.subjectId ? { subjectId: c.subjectId } : {}), reason, ...(open ? { reference: open } : {}) });
    }
  }
  return refused;
}

/**
 * Opens a visit for a confirmed person. From a pre-entry, the code is checked again (not only
 * when it was scanned) and its procedures come with what the resident entered at home; one
 * that cannot be taken (already open, say) is reported. A code opens one visit at a time.
 */
export async function startVisit(
  rt: CounterRuntime,
  ctx: AccessContext,
  s: { personId: string; startedBy: store.StartedBy; code?: string; ident?: string; key?: string },
): Promise<{ visit: store.VisitRow; refused: Refused[] }> {
  // The same confirmation posted again (back and resend) opens nothing new.
  const again = s.key ? await store.findVisitByKey(rt.db, ctx.principal.id, s.key) : undefined;
  if (again) return { visit: again, refused: [] };
  if (!(await rt.registry.isResident(s.personId))) throw notFound('this resident');
  let pre: store.PreEntryRow | undefined;
  if (s.startedBy === 'pre-entry') {
    pre = await preEntryFromCode(rt, s.code ?? '');
    if (pre.person_id !== s.personId) throw new PreEntryRefused('unknown');
  } else if (!identified(rt, ctx, s.ident, s.personId, s.startedBy)) {
    // How the person was identified is what the server saw (a card read, a search), not what the page says.
    throw unprocessable('the visit must start from a card read or a search confirmed on this counter');
  }
  let visit: store.VisitRow;
  try {
    visit = await rt.db.transaction(async (tx) => {
      const v = await store.insertVisit(tx, {
        id: newId(), personId: s.personId, startedBy: s.startedBy, preEntryId: pre?.id ?? null, staffId: ctx.principal.id, startedAt: rt.now(),
        year: Number(rt.today().slice(0, 4)), startKey: s.key ?? null, demo: rt.demo(),
      });
      await recordAccess(tx, rt.access.auditEntry(ctx, 'visit.start', [s.personId], ['visit']));
      return v;
    });
  } catch (err) {
    const unique = (err as { code?: string }).code === '23505' ? String((err as Error).message) : '';
    if (unique.includes('visits_pre_entry_open')) throw new PreEntryRefused('in-use');
    const raced = unique.includes('visits_start_key') && s.key ? await store.findVisitByKey(rt.db, ctx.principal.id, s.key) : undefined;
    if (raced) return { visit: raced, refused: [] };
    throw err;
  }
  let refused: Refused[] = [];
  if (pre) {
    const entered = await rt.applications.desk.choicesOf({ personId: pre.person_id }, pre.draft_group);
    refused = await addProcedures(rt, ctx, visit, entered, { personId: pre.person_id, group: pre.draft_group });
  }
  return { visit, refused };
}

const IDENT_SECONDS = 30 * 60;

/** A proof, given with the confirmation page, that this clerk identified this person this way (card or search) within the last half hour. */
export function identification(rt: CounterRuntime, ctx: AccessContext, personId: string, how: 'card' | 'search'): string {
  return signToken(rt.qrKey, { k: 'ident', p: personId, h: how, s: ctx.principal.id }, IDENT_SECONDS, rt.now().getTime());
}

function identified(rt: CounterRuntime, ctx: AccessContext, token: string | undefined, personId: string, how: store.StartedBy): boolean {
  if (!token) return false;
  const check = verifyToken<{ k: string; p: string; h: string; s: string }>(rt.qrKey, token, rt.now().getTime());
  return check.ok && check.payload.k === 'ident' && check.payload.p === personId && check.payload.h === how && check.payload.s === ctx.principal.id;
}

/** What the forms say now, as one digest: a signature is for the forms as they were when it was given. */
export function formsDigest(items: readonly DeskItem[]): string {
  const content = [...items]
    .sort((a, b) => a.draftId.localeCompare(b.draftId))
    .map((i) => [i.draftId, i.procedure.code, i.procedure.version, i.subjectId, i.data, [...i.attachments].sort()]);
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** Whether the visit's signature covers the forms as they are now. */
export function signatureState(v: store.VisitRow, items: readonly DeskItem[]): 'valid' | 'stale' | 'none' {
  if (!v.signed_on) return 'none';
  return v.signed_digest === formsDigest(items) ? 'valid' : 'stale';
}

export async function answerVisit(rt: CounterRuntime, ctx: AccessContext, v: store.VisitRow, posted: ReadonlyMap<string, string[]>): Promise<DeskItem[]> {
  mustBe(v, ['open'], 'answer');
  return rt.applications.desk.answer(ctx, v.id, posted);
}

export async function removeProcedure(rt: CounterRuntime, ctx: AccessContext, v: store.VisitRow, draftId: string): Promise<void> {
  mustBe(v, ['open'], 'remove a procedure');
  await rt.applications.desk.remove(ctx, v.id, draftId);
}

/** A PNG from the tablet: checked by its bytes, not its name. */
export function checkSignature(png: Buffer): string | undefined {
  if (png.length < 67) return 'too-small';
  if (png.length > 262_144) return 'too-large';
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'not-png';
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width < 50 || height < 20 || width > 4000 || height > 2000) return 'size';
  return undefined;
}

export async function signVisit(rt: CounterRuntime, ctx: AccessContext, v: store.VisitRow, how: { png: Buffer } | { paper: true }): Promise<void> {
  mustBe(v, ['open'], 'sign');
  if ('png' in how) {
    const problem = checkSignature(how.png);
    if (problem) throw validationError('the signature is not a usable image', [{ field: 'signature', message: problem }]);
  }
  const digest = formsDigest(await rt.applications.desk.items(ctx, v.id));
  // Signed on paper means signed on a printout of the forms as they are now.
  if ('paper' in how && v.printed_digest !== digest) throw validationError('print the forms as they are now before they are signed on paper', [{ field: 'print', message: 'not printed since the last change' }]);
  await rt.db.transaction(async (tx) => {
    await store.setSignature(tx, v.id, 'png' in how ? { png: how.png, on: 'tablet', at: rt.now(), digest } : { png: null, on: 'paper', at: rt.now(), digest });
    await recordAccess(tx, rt.access.auditEntry(ctx, 'visit.sign', [v.person_id], ['signature']));
  });
}

export async function clearSignature(rt: CounterRuntime, ctx: AccessContext, v: store.VisitRow): Promise<void> {
  mustBe(v, ['open'], 'clear the signature');
  await store.setSignature(rt.db, v.id, store.NO_SIGNATURE);
}

/**
 * Sends the visit's procedures: every form complete and signed first (400 naming what is
 * missing), then one transaction writes the applications (their cases open with them), the
 * visit's record of them, the procedures' fees due, and spends the pre-entry.
 */
export async function sendVisit(rt: CounterRuntime, ctx: AccessContext, id: string, words: { locale: Locale; t: Translate; idempotencyKey?: string }): Promise<store.VisitRow> {
  const v = await visitOf(rt, ctx, id);
  if (v.state === 'sent' && words.idempotencyKey) return v;
  mustBe(v, ['open'], 'send');
  const items = await rt.applications.desk.items(ctx, v.id);
  if (items.length === 0) throw validationError('this visit has no procedures to send', [{ field: 'procedures', message: 'add at least one procedure' }]);
  const issues: FieldIssue[] = items.filter((i) => i.issues.length).map((i) => ({ field: `procedures/${i.draftId}`, message: `${i.procedure.code}: ${i.issues.length} item(s) still open` }));
  for (const i of items) for (const a of i.missingAttachments) issues.push({ field: `attachments/${i.draftId}/${a.slot}`, message: `${i.procedure.code}: document ${a.slot} not attached` });
  const signed = signatureState(v, items);
  if (signed === 'none') issues.push({ field: 'signature', message: 'the resident has not signed the forms yet' });
  if (signed === 'stale') issues.push({ field: 'signature-stale', message: 'the forms changed after they were signed: print them and have them signed again' });
  if (issues.length) throw validationError('the visit cannot be sent yet', issues);
  const pre = v.pre_entry_id ? await store.findPreEntry(rt.db, v.pre_entry_id) : undefined;
  await rt.applications.desk.submit(ctx, v.id, {
    locale: words.locale,
    t: words.t,
    ...(words.idempotencyKey ? { idempotencyKey: words.idempotencyKey } : {}),
    alsoWrite: async (tx, apps, submissionId) => {
      const locked = await store.findVisit(tx, v.id, { lock: true });
      if (!locked || !(await store.markSent(tx, v.id, submissionId, rt.now()))) throw conflict(`visit ${v.reference} was sent or closed meanwhile`);
      await store.insertVisitApplications(tx, v.id, apps.map((a) => ({ id: a.id, reference: a.reference, procedureCode: a.procedureCode })));
      const fees = [];
      for (const a of apps) {
        const p = rt.applications.catalog.procedures.get(a.procedureCode);
        const item = items.find((i) => i.procedure.code === a.procedureCode && i.subjectId === a.subjectId);
        const fee = p && item ? procedureFee(p.fee.amount, item.data) : undefined;
        if (fee) fees.push({ id: newId(), kind: 'procedure' as const, code: a.procedureCode, subjectId: a.subjectId, ...fee });
      }
      await store.insertFees(tx, v.id, fees);
      if (pre) {
        // Two clerks may have opened the same code: the first to send spends it.
        if (!(await store.markPreEntryUsed(tx, pre.id, v.id))) throw new PreEntryRefused('used');
        await rt.applications.desk.discard(tx, { personId: pre.person_id }, pre.draft_group);
      }
      await emitEvent(tx, 'counter.visit.sent', [v.person_id], { visitId: v.id, reference: v.reference, applications: apps.map((a) => a.reference) });
    },
  });
  return visitOf(rt, ctx, v.id);
}

export async function addCertificate(rt: CounterRuntime, ctx: AccessContext, v: store.VisitRow, c: { code: string; subjectId?: string; copies: number }): Promise<void> {
  mustBe(v, ['open', 'sent'], 'add a certificate');
  const kind = rt.certificates.find((k) => k.code === c.code);
  if (!kind) throw validationError(`unknown certificate ${c.code.slice(0, 64)}`, [{ field: 'certificate', message: 'is not a certificate of this town' }]);
  if (!Number.isInteger(c.copies) || c.copies < 1 || c.copies > 20) throw validationError('copies must be 1 to 20', [{ field: 'copies', message: 'from 1 to 20' }]);
  const subjectId = kind.perPerson ? (c.subjectId ?? v.person_id) : null;
  if (subjectId && subjectId !== v.person_id) {
    const household = await rt.registry.householdMemberIds(v.person_id);
    if (!household.includes(subjectId)) throw validationError('the certificate is for someone outside the household', [{ field: 'subjectId', message: 'is not in the visitor’s household' }]);
  }
  await store.insertFees(rt.db, v.id, [{ id: newId(), kind: 'certificate', code: kind.code, subjectId, copies: c.copies, unitFee: kind.fee }]);
}

export async function removeCertificate(rt: CounterRuntime, ctx: AccessContext, v: store.VisitRow, feeId: string): Promise<void> {
  mustBe(v, ['open', 'sent'], 'remove a certificate');
  if (!/^[0-9a-f-]{36}$/.test(feeId) || !(await store.deleteFee(rt.db, v.id, feeId))) throw notFound(`certificate ${feeId.slice(0, 40)} of this visit`);
}

/** Ends a visit: after sending, or when nothing is left unsent (certificates only). */
export async function endVisit(rt: CounterRuntime, ctx: AccessContext, id: string): Promise<void> {
  const v = await visitOf(rt, ctx, id);
  mustBe(v, ['open', 'sent'], 'end');
  if (v.state === 'open' && (await rt.applications.desk.items(ctx, v.id)).length > 0) {
    throw conflict(`visit ${v.reference} has procedures not sent yet: send them, or take them out, before ending`);
  }
  if (v.state === 'open' && (await store.feesOf(rt.db, v.id)).length === 0) throw conflict(`visit ${v.reference} has nothing done yet: add a procedure or a certificate, or abandon it`);
  if (!(await store.closeVisit(rt.db, v.id, 'ended', rt.now()))) throw conflict(`visit ${v.reference} was closed meanwhile`);
}

/** Abandons an open visit: its unsent forms are dropped; the pre-entry stays usable. */
export async function abandonVisit(rt: CounterRuntime, ctx: AccessContext, id: string): Promise<void> {
  const v = await visitOf(rt, ctx, id);
  mustBe(v, ['open'], 'abandon');
  await rt.db.transaction(async (tx) => {
    if (!(await store.closeVisit(tx, v.id, 'abandoned', rt.now()))) throw conflict(`visit ${v.reference} was closed meanwhile`);
    await rt.applications.desk.discard(tx, { staffId: ctx.principal.id }, v.id);
    await store.setSignature(tx, v.id, store.NO_SIGNATURE);
    // Nothing was done, so nothing is owed.
    await store.deleteFees(tx, v.id);
  });
}

/** The person of a visit and their household, as the visit screen shows them (one audit entry). */
export async function visitPerson(rt: CounterRuntime, ctx: AccessContext, v: store.VisitRow) {
  return rt.registry.personForCounter(readContext(rt, ctx), v.person_id);
}
