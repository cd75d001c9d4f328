/**
 * The case states and the explicit table of what may happen in each. Pure: given a case's
 * state and who acts, say whether an action is allowed and where it leads. The service
 * applies it under a row lock; a move not in this table is refused naming both states.
 */
export const STATES = ['received', 'in-review', 'waiting', 'proposed', 'approved', 'rejected', 'completed', 'withdrawn'] as const;
export type CaseState = (typeof STATES)[number];

export const OPEN_STATES: readonly CaseState[] = ['received', 'in-review', 'waiting', 'proposed', 'approved', 'rejected'];
export const isOpen = (s: CaseState) => OPEN_STATES.includes(s);

/** Positions in a department's approval route: 担当 proposes, 係長 and 課長 approve. */
export const POSITIONS = ['officer', 'chief', 'manager'] as const;
export type Position = (typeof POSITIONS)[number];
export const APPROVER_POSITIONS = ['chief', 'manager'] as const;
export type ApproverPosition = (typeof APPROVER_POSITIONS)[number];
/** The route when a procedure names none: 係長, then 課長. */
export const DEFAULT_ROUTE: readonly ApproverPosition[] = ['chief', 'manager'];

export const ACTIONS = ['assign', 'start-review', 'request-info', 'answer', 'resume', 'propose', 'approve', 'send-back', 'issue-notice', 'reopen', 'withdraw'] as const;
export type CaseAction = (typeof ACTIONS)[number];

/** Who may take an action: an officer of the department, an approver on the route, or the resident. */
export type Party = 'officer' | 'approver' | 'resident';

export interface Rule {
  from: readonly CaseState[];
  /** Where staff may take it when a resident may take it more widely (recording a withdrawal before any proposal). */
  staffFrom?: readonly CaseState[];
  /** The state after; `same` keeps it; `decision` is approved or rejected as proposed (final level only). */
  to: CaseState | 'same' | 'decision';
  by: readonly Party[];
  comment: 'required' | 'optional';
}

const BEFORE_PROPOSAL: readonly CaseState[] = ['received', 'in-review', 'waiting'];

export const RULES: Record<CaseAction, Rule> = {
  assign: { from: OPEN_STATES, to: 'same', by: ['officer', 'approver'], comment: 'optional' },
  'start-review': { from: ['received'], to: 'in-review', by: ['officer'], comment: 'optional' },
  'request-info': { from: ['received', 'in-review'], to: 'waiting', by: ['officer'], comment: 'required' },
  answer: { from: ['waiting'], to: 'in-review', by: ['resident'], comment: 'required' },
  resume: { from: ['waiting'], to: 'in-review', by: ['officer'], comment: 'required' },
  propose: { from: ['in-review'], to: 'proposed', by: ['officer'], comment: 'required' },
  approve: { from: ['proposed'], to: 'decision', by: ['approver'], comment: 'optional' },
  'send-back': { from: ['proposed'], to: 'in-review', by: ['approver'], comment: 'required' },
  'issue-notice': { from: ['approved', 'rejected'], to: 'completed', by: ['officer'], comment: 'optional' },
  reopen: { from: ['approved', 'rejected'], to: 'in-review', by: ['approver'], comment: 'required' },
  // A resident may withdraw until the notice is issued; staff record a withdrawal only before a proposal.
  withdraw: { from: OPEN_STATES, staffFrom: BEFORE_PROPOSAL, to: 'withdrawn', by: ['resident', 'officer'], comment: 'optional' },
};

/** The states an action may start from, for this party. */
export const fromStates = (action: CaseAction, party: Party = 'resident'): readonly CaseState[] =>
  (party !== 'resident' && RULES[action].staffFrom) || RULES[action].from;

/** The state an action leads to from `state`, or undefined when the table does not allow it. */
export function nextState(
  action: CaseAction,
  state: CaseState,
  c: { approvedLevels: number; routeLength: number; proposal: 'approve' | 'reject' | null },
  party: Party = 'resident',
): CaseState | undefined {
  const rule = RULES[action];
  if (!fromStates(action, party).includes(state)) return undefined;
  if (rule.to === 'same') return state;
  if (rule.to === 'decision') {
    if (c.approvedLevels + 1 < c.routeLength) return 'proposed';
    return c.proposal === 'reject' ? 'rejected' : 'approved';
  }
  return rule.to;
}

/** Where an action could lead at all: the state a 409 names as the one it needs. */
export function targetOf(action: CaseAction): string {
  const to = RULES[action].to;
  if (to === 'same') return RULES[action].from.join(' | ');
  if (to === 'decision') return 'approved | rejected';
  return to;
}

/** The actions a party could take in a state (what a page offers; authority is checked apart). */
export function actionsIn(state: CaseState, party: Party): CaseAction[] {
  return ACTIONS.filter((a) => fromStates(a, party).includes(state) && RULES[a].by.includes(party));
}

/**
 * Calendar days the clock was paused: a wait that began and ended on the same day counts
 * none; each started day after counts one. Computed in Japan's date.
 */
export function pausedDays(since: Date, until: Date): number {
  const day = (d: Date) => Math.floor((d.getTime() + 9 * 3_600_000) / 86_400_000);
  return Math.max(0, day(until) - day(since));
}

/** Days left until the due date (negative when overdue), from today's date in Japan. */
export function daysLeft(dueDate: string, today: string): number {
  return Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** What a resident is shown: the steps inside the town hall are all 「審査中」. */
export const RESIDENT_STATUSES = ['received', 'in-review', 'waiting', 'decided', 'withdrawn'] as const;
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number];

export function residentStatus(s: CaseState): ResidentStatus {
  if (s === 'received' || s === 'waiting' || s === 'withdrawn') return s;
  if (s === 'completed') return 'decided';
  return 'in-review';
}
