/**
 * Who may do what on a department's cases: officers (担当) work them, approvers (係長, 課長)
 * approve at their level of the route — or stand in for someone who is away (代決).
 */
import type { Queryable } from '../../platform/db/db.js';
import type { Access } from '../access/index.js';
import { APPROVER_POSITIONS, type Position } from './states.js';
import * as store from './store.js';

export interface Authority {
  staffId: string;
  name: string;
  positions: { department: string; position: Position }[];
  /** Colleagues this staff member stands in for today, with their positions. */
  standingInFor: { staffId: string; name: string; positions: { department: string; position: Position }[] }[];
}

export async function authorityOf(db: Queryable, access: Access, staff: { id: string; name: string }, today: string): Promise<Authority> {
  const [positions, froms] = await Promise.all([store.positionsOf(db, staff.id), store.standingInFor(db, staff.id, today)]);
  const names = froms.length ? new Map((await access.staffDirectory(froms)).filter((s) => s.active).map((s) => [s.id, s.name])) : new Map<string, string>();
  // A deputy stands in for approvals only: the absent colleague's 係長 / 課長 positions, not their officer work.
  const standingInFor = await Promise.all(
    [...names].map(async ([staffId, name]) => ({
      staffId,
      name,
      positions: (await store.positionsOf(db, staffId)).filter((p) => (APPROVER_POSITIONS as readonly string[]).includes(p.position)),
    })),
  );
  return { staffId: staff.id, name: staff.name, positions, standingInFor };
}

export const holds = (a: Pick<Authority, 'positions'>, department: string, position: Position) =>
  a.positions.some((p) => p.department === department && p.position === position);

export const worksIn = (a: Authority, department: string) =>
  a.positions.some((p) => p.department === department) || a.standingInFor.some((s) => s.positions.some((p) => p.department === department));

export const isOfficer = (a: Authority, department: string) => holds(a, department, 'officer');

export const isApprover = (a: Authority, department: string) =>
  holds(a, department, 'chief') || holds(a, department, 'manager') ||
  a.standingInFor.some((s) => holds(s, department, 'chief') || holds(s, department, 'manager'));

/**
 * Whether the staff member may approve at `position` in `department`: in their own right,
 * or in place of an absent colleague (then `onBehalfOf` names them). Undefined: may not.
 */
export function approvalRight(a: Authority, department: string, position: Position): { onBehalfOf?: { id: string; name: string } } | undefined {
  if (holds(a, department, position)) return {};
  const absent = a.standingInFor.find((s) => holds(s, department, position));
  return absent ? { onBehalfOf: { id: absent.staffId, name: absent.name } } : undefined;
}

/** The departments whose cases a staff member sees: where they hold a position or stand in. */
export function departmentsOf(a: Authority): string[] {
  return [...new Set([...a.positions.map((p) => p.department), ...a.standingInFor.flatMap((s) => s.positions.map((p) => p.department))])].sort();
}

/** An approval already given in the current round: who acted, and for whom. */
export interface RoundApproval {
  actorId: string;
  onBehalfOf: string | null;
}

export type ApprovalRefusal = 'position' | 'own-proposal' | 'two-levels';

export interface ApprovalCase {
  department: string;
  route: readonly string[];
  approved_levels: number;
  proposed_by: string | null;
}

/**
 * Whether a staff member may approve (or send back) the current level of a proposal, and as
 * whom. Refused, with the reason: not holding the level's position (nor standing in for
 * someone who does); their own proposal, also in place of its proposer; one authority at two
 * levels of one round.
 */
export function approvalCheck(
  a: Authority,
  c: ApprovalCase,
  round: readonly RoundApproval[],
  action: 'approve' | 'send-back',
): { level: number; position: Position; onBehalfOf?: { id: string; name: string } } | { refused: string; why: ApprovalRefusal; position?: Position } {
  const level = c.approved_levels + 1;
  const position = c.route[c.approved_levels] as Position | undefined;
  if (!position) return { refused: 'this case has no level left to approve', why: 'position' };
  const right = approvalRight(a, c.department, position);
  if (!right) return { refused: `level ${level} of this route is approved by the department's ${position}`, why: 'position', position };
  if (c.proposed_by === a.staffId || (right.onBehalfOf && right.onBehalfOf.id === c.proposed_by)) {
    return { refused: 'nobody approves or sends back their own proposal, in their own right or in place of its proposer', why: 'own-proposal' };
  }
  if (action === 'approve') {
    // Each level by another authority: nobody approves two levels as themself, nobody is stood in for twice.
    // Standing in for an absent earlier approver and then approving one's own level is 代決, and allowed.
    const used = new Set(round.map((r) => r.onBehalfOf ?? r.actorId));
    if (used.has(right.onBehalfOf?.id ?? a.staffId)) return { refused: 'one person approves one level of a proposal, not two', why: 'two-levels' };
  }
  return { level, position, ...(right.onBehalfOf ? { onBehalfOf: right.onBehalfOf } : {}) };
}

/** The approvals of each case's current round (a send-back or reopening starts a new one), from their timelines. */
export function roundApprovals(steps: readonly store.StepRow[]): RoundApproval[] {
  const from = [...steps].reverse().find((s) => s.action === 'propose')?.seq ?? 0;
  return steps.filter((s) => s.action === 'approve' && s.seq > from).map((s) => ({ actorId: s.actor_id!, onBehalfOf: s.on_behalf_of }));
}

/**
 * The route a proposal takes: the procedure's, without the levels at or below the highest
 * position the proposer holds in the department (a 係長 who drafts a decision has given the
 * 係長's approval), but always with its last level, for someone else.
 */
export function routeFor(route: readonly Position[], proposer: Pick<Authority, 'positions'>, department: string): Position[] {
  const held = route.map((p, i) => (holds(proposer, department, p) ? i : -1)).reduce((m, i) => Math.max(m, i), -1);
  return route.slice(Math.min(held + 1, route.length - 1));
}
