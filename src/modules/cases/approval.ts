/**
 * Who may do what on a department's cases: officers (担当) work them, approvers (係長, 課長)
 * approve at their level of the route — or stand in for someone who is away (代決).
 */
import type { Queryable } from '../../platform/db/db.js';
import type { Access } from '../access/index.js';
import type { Position } from './states.js';
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
  const standingInFor = await Promise.all(
    [...names].map(async ([staffId, name]) => ({ staffId, name, positions: await store.positionsOf(db, staffId) })),
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
