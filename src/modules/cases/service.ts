/**
 * The rules of case processing: every action goes through `performAction`, which locks
 * the case, checks the version the actor saw (412), the table of transitions (409 naming
 * both states) and the actor's authority (403), then writes the change, the timeline step,
 * the audit entry, the event and the resident's mail in one transaction.
 */
import { recordAccess } from '../../platform/audit.js';
import type { Queryable } from '../../platform/db/db.js';
import { conflict, DomainError, forbidden, notFound, validationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { emitEvent } from '../../platform/outbox.js';
import { translator } from '../../platform/i18n.js';
import type { AccessContext } from '../access/index.js';
import type { SubmittedApplication } from '../applications/index.js';
import { approvalCheck, authorityOf, routeFor, isApprover, isOfficer, roundApprovals, worksIn, type Authority } from './approval.js';
import { insertNotice, prepareNotice, type PreparedNotice } from './notice.js';
import { addDays, type CasesRuntime } from './runtime.js';
import { DEFAULT_ROUTE, fromStates, nextState, pausedDays, residentStatus, RULES, targetOf, type CaseAction, type CaseState } from './states.js';
import * as store from './store.js';

export type CaseActor =
  | { kind: 'staff'; ctx: AccessContext; id: string; name: string }
  | { kind: 'resident'; ctx: AccessContext; personId: string };

export interface ActionInput {
  action: CaseAction;
  /** The version of the case the actor saw (its ETag); a newer case refuses the action with 412. */
  version: number;
  comment?: string | undefined;
  /** assign: the officer to work the case; null takes it off everyone's list. */
  assignee?: string | null | undefined;
  /** propose: the decision the officer proposes. */
  outcome?: 'approve' | 'reject' | undefined;
}

export const COMMENT_MAX = 2000;

/**
 * Opens the cases of open applications that have none — those submitted before this module
 * was installed. Safe when two processes start at once: the unique application id refuses the
 * second, which then finds nothing left to do.
 */
export async function openMissingCases(rt: CasesRuntime): Promise<number> {
  const open = await rt.applications.openApplications();
  if (open.length === 0) return 0;
  const have = new Set((await store.casesOfApplications(rt.db, open.map((a) => a.id))).map((c) => c.application_id));
  const missing = open.filter((a) => !have.has(a.id));
  if (missing.length === 0) return 0;
  try {
    await rt.db.transaction((tx) => openCases(rt, tx, missing));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return 0;
    throw err;
  }
  return missing.length;
}

/** Opens a case for each submitted application, in the submitting transaction. */
export async function openCases(rt: CasesRuntime, tx: Queryable, apps: readonly SubmittedApplication[]): Promise<void> {
  for (const a of apps) {
    const id = newId();
    await store.insertCase(tx, {
      id, applicationId: a.id, reference: a.reference, procedureCode: a.procedureCode, department: a.department, channel: a.channel,
      applicantId: a.applicantId, subjectId: a.subjectId, receivedAt: a.submittedAt, standardDays: a.standardDays, dueDate: a.dueDate, demo: a.demo,
    });
    await store.insertStep(tx, {
      case_id: id, action: 'receive', from_state: null, to_state: 'received', at: a.submittedAt, actor_kind: 'system', actor_id: null,
      actor_name: null, on_behalf_of: null, on_behalf_name: null, level: null, position: null, comment: null,
    });
  }
}

const partyOf = (actor: CaseActor) => (actor.kind === 'resident' ? 'resident' : 'officer');

/** A resident is told only what they see: their status, never the steps inside the town hall. */
function stale(c: store.CaseRow, version: number, actor: CaseActor): DomainError {
  const detail = actor.kind === 'resident' ? { currentVersion: c.lock_version } : { currentVersion: c.lock_version, state: c.state };
  return new DomainError('precondition-failed', `case ${c.reference} was changed by someone else (now version ${c.lock_version}, you had ${version}); reload it and try again`, { detail });
}

function notAllowed(c: store.CaseRow, action: CaseAction, actor: CaseActor): DomainError {
  const from = actor.kind === 'resident' ? residentStatus(c.state) : c.state;
  return conflict(`case ${c.reference} cannot go from '${from}' to '${targetOf(action)}' by '${action}'` + (actor.kind === 'resident' ? '' : ` (allowed from: ${fromStates(action, 'officer').join(', ')})`), {
    currentState: from,
    targetState: targetOf(action),
    action,
  });
}

/** Who of the household may act on a case: the applicant and the person it is about (others only see it). */
export const residentMayAct = (c: { applicant_person_id: string | null; subject_person_id: string | null }, personId: string) =>
  c.applicant_person_id === personId || c.subject_person_id === personId;

/** Checks what can be checked before the transaction; throws the named error. */
function checkInput(c: store.CaseRow, input: ActionInput, actor: CaseActor): void {
  if (c.lock_version !== input.version) throw stale(c, input.version, actor);
  const rule = RULES[input.action];
  if (!fromStates(input.action, partyOf(actor)).includes(c.state)) throw notAllowed(c, input.action, actor);
  const comment = input.comment?.trim() ?? '';
  const needsComment = rule.comment === 'required' || (input.action === 'withdraw' && actor.kind === 'staff');
  if (needsComment && !comment) throw validationError(`'${input.action}' needs a comment`, [{ field: 'comment', message: 'required for this action' }]);
  if (comment.length > COMMENT_MAX) throw validationError('the comment is too long', [{ field: 'comment', message: `at most ${COMMENT_MAX} characters` }]);
  if (input.action === 'propose' && input.outcome !== 'approve' && input.outcome !== 'reject') {
    throw validationError('a proposal says approve or reject', [{ field: 'outcome', message: "'approve' or 'reject'" }]);
  }
  if (input.action === 'assign' && input.assignee === undefined) throw validationError('assign names the officer', [{ field: 'assignee', message: 'a staff id, or null' }]);
}

interface Decided {
  change: store.CaseChange;
  step: Pick<store.NewStep, 'on_behalf_of' | 'on_behalf_name' | 'level' | 'position'>;
}

/** Who may act, and what the action changes besides the state. Throws 403 / 400. */
async function decide(rt: CasesRuntime, tx: Queryable, c: store.CaseRow, input: ActionInput, actor: CaseActor, auth: Authority | undefined, now: Date, to: CaseState): Promise<Decided> {
  const rule = RULES[input.action];
  const none = { on_behalf_of: null, on_behalf_name: null, level: null, position: null };
  if (actor.kind === 'staff') {
    const a = auth!;
    const asOfficer = rule.by.includes('officer') && isOfficer(a, c.department);
    const asApprover = rule.by.includes('approver') && isApprover(a, c.department);
    if (!asOfficer && !asApprover) {
      throw forbidden(`'${input.action}' on a case of department ${c.department} needs ${rule.by.filter((b) => b !== 'resident').join(' or ')} there`);
    }
  }
  const base: store.CaseChange = { state: to };
  if (c.state === 'waiting' && to !== 'waiting') {
    const days = pausedDays(c.paused_since!, now);
    Object.assign(base, { paused_since: null, paused_days: c.paused_days + days, due_date: addDays(c.due_date, days) });
  }
  switch (input.action) {
    case 'assign': {
      if (input.assignee !== null) {
        const officers = await store.staffIn(tx, c.department, 'officer');
        if (!officers.includes(input.assignee!)) throw validationError('the assignee is not an officer of this department', [{ field: 'assignee', message: 'choose an officer of the department' }]);
      }
      return { change: { ...base, assignee: input.assignee ?? null }, step: none };
    }
    case 'start-review':
      return { change: { ...base, ...(c.assignee ? {} : { assignee: auth!.staffId }) }, step: none };
    case 'request-info':
      return { change: { ...base, paused_since: now }, step: none };
    case 'propose': {
      const route = routeFor(rt.applications.catalog.procedures.get(c.procedure_code)?.approvalRoute ?? DEFAULT_ROUTE, auth!, c.department);
      return {
        change: { ...base, route, proposal_outcome: input.outcome!, proposed_by: auth!.staffId, approved_levels: 0, ...(c.assignee ? {} : { assignee: auth!.staffId }) },
        step: none,
      };
    }
    case 'approve':
    case 'send-back': {
      const check = approvalCheck(auth!, c, roundApprovals(await store.stepsOf(tx, c.id)), input.action);
      if ('refused' in check) throw forbidden(check.refused);
      const step = { on_behalf_of: check.onBehalfOf?.id ?? null, on_behalf_name: check.onBehalfOf?.name ?? null, level: check.level, position: check.position };
      if (input.action === 'send-back') return { change: { ...base, route: [], proposal_outcome: null, approved_levels: 0 }, step };
      if (to === 'proposed') return { change: { ...base, approved_levels: c.approved_levels + 1 }, step };
      return {
        change: { ...base, approved_levels: c.approved_levels + 1, proposal_outcome: null, decision: to === 'approved' ? 'approved' : 'rejected', decided_at: now },
        step,
      };
    }
    case 'reopen':
      return { change: { ...base, route: [], approved_levels: 0, decision: null, decided_at: null, proposal_outcome: null }, step: none };
    case 'issue-notice':
      return { change: { ...base, completed_at: now, closed_at: now }, step: none };
    case 'withdraw':
      return { change: { ...base, closed_at: now, proposal_outcome: null, route: [], approved_levels: 0 }, step: none };
    default:
      return { change: base, step: none };
  }
}

export interface ActionResult {
  case: store.CaseRow;
  notice?: { hash: string };
}

export interface ActionOptions {
  /** Runs inside the action's transaction after its writes (a job records its progress with the change). */
  inTransaction?: (tx: Queryable, updated: store.CaseRow) => Promise<void>;
}

export async function performAction(rt: CasesRuntime, actor: CaseActor, caseId: string, input: ActionInput, opts: ActionOptions = {}): Promise<ActionResult> {
  const seen = await store.findCase(rt.db, caseId);
  if (!seen) throw notFound(`case ${caseId}`);
  const auth = actor.kind === 'staff' ? await authorityOf(rt.db, rt.access, actor, rt.today()) : undefined;
  // A case outside one's departments or household is not there at all.
  if (actor.kind === 'staff' ? !worksIn(auth!, seen.department) : !(await rt.applications.residentMaySee(actor.personId, seen.application_id))) {
    throw notFound(`case ${caseId}`);
  }
  // A resident learns nothing of the case's workings from an action that is not theirs to take.
  if (actor.kind === 'resident') {
    if (!RULES[input.action].by.includes('resident')) throw forbidden(`'${input.action}' is for staff`);
    if (!residentMayAct(seen, actor.personId)) throw forbidden('only the applicant or the person the application is about may answer or withdraw it');
  }
  checkInput(seen, input, actor);
  const now = rt.now();
  // The notice is made before the transaction (it reads the register); the version check inside keeps it true.
  let notice: PreparedNotice | undefined;
  if (input.action === 'issue-notice') {
    if (actor.kind !== 'staff' || !isOfficer(auth!, seen.department)) throw forbidden(`issuing a notice needs an officer of department ${seen.department}`);
    notice = await prepareNotice(rt, actor.ctx, seen, await store.stepsOf(rt.db, seen.id), now, { id: actor.id, name: actor.name });
  }
  return rt.db.transaction(async (tx) => {
    const c = await store.findCase(tx, caseId, { lock: true });
    if (!c) throw notFound(`case ${caseId}`);
    checkInput(c, input, actor);
    const to = nextState(input.action, c.state, { approvedLevels: c.approved_levels, routeLength: c.route.length, proposal: c.proposal_outcome }, partyOf(actor));
    if (!to) throw notAllowed(c, input.action, actor);
    const { change, step } = await decide(rt, tx, c, input, actor, auth, now, to);
    const updated = await store.updateCase(tx, c.id, c.lock_version, change, now);
    if (!updated) throw stale(c, input.version, actor);
    const comment = input.comment?.trim() || null;
    await store.insertStep(tx, {
      case_id: c.id, action: input.action, from_state: c.state, to_state: to, at: now,
      actor_kind: actor.kind, actor_id: actor.kind === 'staff' ? actor.id : actor.personId, actor_name: actor.kind === 'staff' ? actor.name : null,
      ...step,
      comment: input.action === 'assign' ? assignNote(input.assignee ?? null, comment) : comment,
    });
    if (notice) await insertNotice(tx, c, notice, actor.kind === 'staff' ? actor.id : null);
    if (to === 'completed' || to === 'withdrawn') await rt.applications.closeApplication(tx, c.application_id, to === 'completed' ? 'closed' : 'withdrawn');
    const subjects = [...new Set([c.subject_person_id, c.applicant_person_id].filter((x): x is string => !!x))];
    await emitEvent(tx, 'case.changed', subjects, {
      caseId: c.id, applicationId: c.application_id, reference: c.reference, procedure: c.procedure_code, department: c.department, action: input.action, from: c.state, to,
    });
    await mailOnChange(rt, tx, c, c.state, to, actor);
    await opts.inTransaction?.(tx, updated);
    // Last: the audit chain's head stays locked only until the commit that follows.
    await recordAccess(tx, rt.access.auditEntry(actor.ctx, `case.${input.action}`, subjects, ['case']));
    return { case: updated, ...(notice ? { notice: { hash: notice.hash } } : {}) };
  });
}

const assignNote = (assignee: string | null, comment: string | null) => [assignee ? `→ ${assignee}` : '→ -', comment].filter(Boolean).join(' ');

/** Tells the resident when what they see changes (not for steps inside the town hall). */
async function mailOnChange(rt: CasesRuntime, tx: Queryable, c: store.CaseRow, from: CaseState, to: CaseState, actor: CaseActor): Promise<void> {
  const before = residentStatus(from);
  const after = residentStatus(to);
  if (before === after || actor.kind === 'resident' && after !== 'withdrawn') return;
  const p = rt.applications.catalog.procedures.get(c.procedure_code);
  // In the language the resident applied in.
  await rt.applications.mailApplicant(tx, c.application_id, (locale) => {
    const t = translator(locale);
    const where = c.applicant_person_id ? `${rt.config.publicUrl}/me/cases/${c.id}?lang=${locale}` : t('cases.mail.whereAnonymous');
    const status = t(`cases.resident.${after}`);
    return {
      subject: t('cases.mail.subject', { reference: c.reference, status }),
      text: t('cases.mail.text', { town: rt.townName(), procedure: p?.names[locale] ?? c.procedure_code, reference: c.reference, status, note: t(`cases.mail.note.${after}`), where }),
      tag: 'case.status',
      ref: c.reference,
    };
  });
}
