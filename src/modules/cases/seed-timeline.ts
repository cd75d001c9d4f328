/**
 * One case's life in the demo history, step by step through the real table of states:
 * receive → start-review → (request-info → answer | resume) → propose → approve per level
 * (sometimes send-back and propose again) → issue-notice; a few are withdrawn, a few
 * rejected. Times fall in office hours; a resident answers whenever they like. And the
 * replay that turns steps into the case row exactly as the service would have left it.
 */
import { nextState, pausedDays, type ApproverPosition, type CaseAction, type CaseState } from './states.js';
import { DAY, MINUTE, Random, dayOf, officeMoment, residentMoment } from './seed-calendar.js';

export interface SeedStaff {
  id: string;
  name: string;
}

/** Who works a department's cases in the history: officers propose, chiefs and managers approve. */
export interface DepartmentStaff {
  officer: SeedStaff[];
  chief: SeedStaff[];
  manager: SeedStaff[];
}

export interface PlannedStep {
  action: 'receive' | CaseAction;
  from: CaseState | null;
  to: CaseState;
  at: Date;
  actorKind: 'staff' | 'resident' | 'system';
  actorId: string | null;
  actorName: string | null;
  level: number | null;
  position: ApproverPosition | null;
  comment: string | null;
  /** propose: the decision proposed (kept in the case row, not in the step). */
  outcome?: 'approve' | 'reject';
}

export interface TimelineInput {
  receivedAt: number;
  /** Working time to a decision in (calendar) days, before pauses and send-backs. */
  days: number;
  route: readonly ApproverPosition[];
  staff: DepartmentStaff;
  /** Whether the resident applied online (then they answer and withdraw online themselves). */
  online: boolean;
  infoChance: number;
  grant: boolean;
}

const COMMENTS = {
  requestInfo: [
    '添付書類の写しが不鮮明です。再度提出してください。',
    '申請書の記載内容について確認したい点があります。ご連絡ください。',
    '本人確認書類の写しの提出をお願いします。',
    '世帯の状況について確認させてください。',
  ],
  requestInfoGrant: ['振込先口座の情報に不足があります。ご確認ください。', '被害の状況が分かる写真の提出をお願いします。'],
  answer: ['書類を再提出しました。', '記載内容を修正しました。', '確認しました。よろしくお願いします。', '写真を追加しました。'],
  resume: ['電話で確認できたため審査を再開します。', '窓口で書類を受け取りました。', '郵送で書類が届きました。'],
  proposeApprove: ['要件を確認しました。承認で起案します。', '内容・添付書類に問題ありません。', '審査の結果、要件を満たすため承認で起案します。'],
  proposeReject: ['要件を満たさないため、不承認で起案します。', '対象期間外の申請のため、不承認で起案します。'],
  sendBack: ['根拠条文の記載を補ってください。', '添付書類との照合結果を記録してください。', '決定日の記載を確認してください。'],
  approve: ['確認しました。', '承認します。'],
  withdrawStaff: ['申請者から電話で取下げの申出がありました。', '申請者から窓口で取下げの申出がありました。'],
  withdrawResident: ['必要がなくなったため取り下げます。'],
};

/** The steps of one case from its receipt to its end, as if nothing stopped it. */
export function timeline(t: TimelineInput, rng: Random): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const officer = rng.pick(t.staff.officer);
  let state: CaseState = 'received';
  let approved = 0;
  let proposal: 'approve' | 'reject' | null = null;
  let at = t.receivedAt;
  const push = (action: PlannedStep['action'], to: CaseState, actor: SeedStaff | 'resident' | null, extra: Partial<PlannedStep> = {}) => {
    steps.push({
      action, from: action === 'receive' ? null : state, to, at: new Date(at),
      actorKind: actor === null ? 'system' : actor === 'resident' ? 'resident' : 'staff',
      // A resident's id is filled in once the applicant is chosen.
      actorId: actor === null || actor === 'resident' ? null : actor.id,
      actorName: actor && actor !== 'resident' ? actor.name : null,
      level: null, position: null, comment: null, ...extra,
    });
    state = to;
  };
  /** The office moment at `days` after receipt (or soon after the last step, if that is later). */
  const office = (days: number) => (at = officeMoment(Math.max(t.receivedAt + days * DAY, at + rng.int(4, 40) * MINUTE), rng));
  const say = (xs: readonly string[]) => rng.pick(xs);

  push('receive', 'received', null);
  const D = t.days;
  const withdraw = rng.chance(0.03);
  const withdrawer = () => (t.online && rng.chance(0.8) ? 'resident' : officer);
  const doWithdraw = (days: number) => {
    office(days);
    const by = withdrawer();
    push('withdraw', 'withdrawn', by, { comment: by === 'resident' ? (rng.chance(0.5) ? say(COMMENTS.withdrawResident) : null) : say(COMMENTS.withdrawStaff) });
    return steps;
  };
  if (withdraw && rng.chance(0.3)) return doWithdraw(D * rng.between(0, 0.1));

  office(D * rng.between(0, 0.12));
  push('start-review', 'in-review', officer);
  let shift = 0;
  if (rng.chance(t.infoChance)) {
    office(D * rng.between(0.12, 0.3));
    const asked = at;
    push('request-info', 'waiting', officer, { comment: say(t.grant && rng.chance(0.5) ? COMMENTS.requestInfoGrant : COMMENTS.requestInfo) });
    const wait = rng.tri(0.3, 3, 16) * DAY;
    if (withdraw && rng.chance(0.5)) {
      at = t.online ? residentMoment(dayOf(asked + wait), rng) : officeMoment(asked + wait, rng);
      if (at <= asked) at = asked + rng.int(30, 300) * MINUTE;
      push('withdraw', 'withdrawn', t.online ? 'resident' : officer, { comment: t.online ? null : say(COMMENTS.withdrawStaff) });
      return steps;
    }
    if (t.online && rng.chance(0.8)) {
      at = residentMoment(dayOf(asked + wait), rng);
      if (at <= asked) at = asked + rng.int(30, 300) * MINUTE;
      push('answer', 'in-review', 'resident', { comment: say(COMMENTS.answer) });
    } else {
      at = officeMoment(asked + wait, rng);
      push('resume', 'in-review', officer, { comment: say(COMMENTS.resume) });
    }
    shift = (at - asked) / DAY;
  }
  if (withdraw) return doWithdraw(D * rng.between(0.2, 0.5) + shift);

  const outcome = rng.chance(0.05) ? 'reject' : 'approve';
  let sendBacks = rng.chance(0.06) ? 1 : 0;
  let proposeAt = D * rng.between(0.55, 0.75) + shift;
  let end = D + shift;
  for (;;) {
    office(proposeAt);
    push('propose', 'proposed', officer, { outcome, comment: say(outcome === 'reject' ? COMMENTS.proposeReject : COMMENTS.proposeApprove) });
    proposal = outcome;
    approved = 0;
    const used = new Set([officer.id]);
    let sentBack = false;
    for (const [k, position] of t.route.entries()) {
      const free = t.staff[position].filter((s) => !used.has(s.id));
      const approver = rng.pick(free.length ? free : t.staff[position]);
      used.add(approver.id);
      office(proposeAt + ((end - proposeAt) * 0.9 * (k + 1)) / t.route.length);
      const mark = { level: k + 1, position };
      if (sendBacks > 0 && (k === t.route.length - 1 || rng.chance(0.5))) {
        sendBacks--;
        push('send-back', 'in-review', approver, { ...mark, comment: say(COMMENTS.sendBack) });
        proposal = null;
        const extra = rng.tri(0.3, 1, 4);
        proposeAt = (at - t.receivedAt) / DAY + extra;
        end += extra + 1;
        sentBack = true;
        break;
      }
      const to = nextState('approve', 'proposed', { approvedLevels: approved, routeLength: t.route.length, proposal })!;
      push('approve', to, approver, { ...mark, comment: rng.chance(0.2) ? say(COMMENTS.approve) : null });
      approved++;
    }
    if (!sentBack) break;
  }
  office(end);
  push('issue-notice', 'completed', officer);
  return steps;
}

/** The officer asks the resident for more information at `at` (a case left waiting in the backlog). */
export function askStep(by: Pick<PlannedStep, 'actorId' | 'actorName'>, at: Date, rng: Random): PlannedStep {
  return {
    action: 'request-info', from: 'in-review', to: 'waiting', at, actorKind: 'staff', actorId: by.actorId, actorName: by.actorName,
    level: null, position: null, comment: rng.pick(COMMENTS.requestInfo),
  };
}

/** A case row as the service leaves it after its steps. */
export interface CaseRowPlan {
  state: CaseState;
  assignee: string | null;
  dueDate: string;
  pausedSince: Date | null;
  pausedDays: number;
  route: ApproverPosition[];
  proposalOutcome: 'approve' | 'reject' | null;
  proposedBy: string | null;
  approvedLevels: number;
  decision: 'approved' | 'rejected' | null;
  decidedAt: Date | null;
  completedAt: Date | null;
  closedAt: Date | null;
  lockVersion: number;
  updatedAt: Date;
}

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * Replays steps the way `performAction` applies them (the same transitions, pauses moving
 * the due date, the route fixed on proposal). Throws on a step the table does not allow.
 */
export function replay(steps: readonly PlannedStep[], c: { receivedDate: string; standardDays: number; route: readonly ApproverPosition[]; reference?: string }): CaseRowPlan {
  const first = steps[0];
  if (!first || first.action !== 'receive') throw new Error('a case begins with its receipt');
  const r: CaseRowPlan = {
    state: 'received', assignee: null, dueDate: addDays(c.receivedDate, c.standardDays), pausedSince: null, pausedDays: 0, route: [],
    proposalOutcome: null, proposedBy: null, approvedLevels: 0, decision: null, decidedAt: null, completedAt: null, closedAt: null,
    lockVersion: 1, updatedAt: first.at,
  };
  for (const s of steps.slice(1)) {
    const action = s.action as CaseAction;
    const to = nextState(action, r.state, { approvedLevels: r.approvedLevels, routeLength: r.route.length, proposal: r.proposalOutcome });
    if (!to || to !== s.to || s.from !== r.state) throw new Error(`step ${action} from ${r.state} to ${s.to} is not allowed (${c.reference ?? ''})`);
    if (r.state === 'waiting' && to !== 'waiting') {
      const days = pausedDays(r.pausedSince!, s.at);
      r.pausedDays += days;
      r.dueDate = addDays(r.dueDate, days);
      r.pausedSince = null;
    }
    switch (action) {
      case 'start-review': r.assignee ??= s.actorId; break;
      case 'request-info': r.pausedSince = s.at; break;
      case 'propose':
        Object.assign(r, { route: [...c.route], proposalOutcome: s.outcome ?? 'approve', proposedBy: s.actorId, approvedLevels: 0 });
        r.assignee ??= s.actorId;
        break;
      case 'approve':
        r.approvedLevels++;
        if (to !== 'proposed') Object.assign(r, { proposalOutcome: null, decision: to, decidedAt: s.at });
        break;
      case 'send-back': Object.assign(r, { route: [], proposalOutcome: null, approvedLevels: 0 }); break;
      case 'issue-notice': Object.assign(r, { completedAt: s.at, closedAt: s.at }); break;
      case 'withdraw': Object.assign(r, { closedAt: s.at, proposalOutcome: null, route: [], approvedLevels: 0 }); break;
      default: break;
    }
    r.state = to;
    r.lockVersion++;
    r.updatedAt = s.at;
  }
  return r;
}
