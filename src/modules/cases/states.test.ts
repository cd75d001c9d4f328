import { describe, expect, it } from 'vitest';
import { ACTIONS, actionsIn, daysLeft, nextState, pausedDays, residentStatus, RULES, STATES, targetOf, type CaseState } from './states.js';

const at = (s: string) => new Date(s);
const plain = { approvedLevels: 0, routeLength: 2, proposal: 'approve' as const };

describe('the table of case states', () => {
  it('every action names states that exist, and who may take it', () => {
    for (const a of ACTIONS) {
      expect(RULES[a].from.length).toBeGreaterThan(0);
      RULES[a].from.forEach((s) => expect(STATES).toContain(s));
      expect(RULES[a].by.length).toBeGreaterThan(0);
    }
  });

  it('leads through review, a question, a proposal and two approvals to a notice', () => {
    let s: CaseState = 'received';
    const go = (a: (typeof ACTIONS)[number], c = plain) => (s = nextState(a, s, c)!);
    expect(go('start-review')).toBe('in-review');
    expect(go('request-info')).toBe('waiting');
    expect(go('answer')).toBe('in-review');
    expect(go('propose')).toBe('proposed');
    expect(go('approve', { ...plain, approvedLevels: 0 })).toBe('proposed');
    expect(go('approve', { ...plain, approvedLevels: 1 })).toBe('approved');
    expect(go('issue-notice')).toBe('completed');
  });

  it('a proposal to reject ends rejected; a one-level route decides at once', () => {
    expect(nextState('approve', 'proposed', { approvedLevels: 1, routeLength: 2, proposal: 'reject' })).toBe('rejected');
    expect(nextState('approve', 'proposed', { approvedLevels: 0, routeLength: 1, proposal: 'approve' })).toBe('approved');
  });

  it('refuses moves the table does not list', () => {
    expect(nextState('approve', 'in-review', plain)).toBeUndefined();
    expect(nextState('reopen', 'completed', plain)).toBeUndefined();
    // A resident may withdraw until the notice is issued; staff record a withdrawal only before a proposal.
    expect(nextState('withdraw', 'approved', plain, 'resident')).toBe('withdrawn');
    expect(nextState('withdraw', 'approved', plain, 'officer')).toBeUndefined();
    expect(nextState('withdraw', 'proposed', plain, 'officer')).toBeUndefined();
    expect(nextState('withdraw', 'waiting', plain, 'officer')).toBe('withdrawn');
    expect(nextState('answer', 'in-review', plain)).toBeUndefined();
    expect(nextState('issue-notice', 'proposed', plain)).toBeUndefined();
    for (const a of ACTIONS) {
      expect(nextState(a, 'completed', plain)).toBeUndefined();
      expect(nextState(a, 'withdrawn', plain)).toBeUndefined();
    }
  });

  it('names the target state of each action for a 409', () => {
    expect(targetOf('reopen')).toBe('in-review');
    expect(targetOf('approve')).toBe('approved | rejected');
    expect(targetOf('issue-notice')).toBe('completed');
  });

  it('offers each party only its own actions', () => {
    expect(actionsIn('waiting', 'resident')).toEqual(['answer', 'withdraw']);
    expect(actionsIn('proposed', 'approver')).toEqual(['assign', 'approve', 'send-back']);
    expect(actionsIn('proposed', 'officer')).toEqual(['assign']);
    expect(actionsIn('proposed', 'resident')).toEqual(['withdraw']);
    expect(actionsIn('approved', 'officer')).toEqual(['assign', 'issue-notice']);
    expect(actionsIn('completed', 'officer')).toEqual([]);
  });

  it('shows the resident the steps inside the town hall as one 「審査中」', () => {
    expect(residentStatus('proposed')).toBe('in-review');
    expect(residentStatus('approved')).toBe('in-review');
    expect(residentStatus('rejected')).toBe('in-review');
    expect(residentStatus('completed')).toBe('decided');
    expect(residentStatus('waiting')).toBe('waiting');
  });
});

describe('the clock', () => {
  it('counts paused days by dates in Japan: the same day none, each day begun after one', () => {
    expect(pausedDays(at('2026-11-02T01:00:00Z'), at('2026-11-02T08:00:00Z'))).toBe(0);
    // 23:30 JST on the 2nd to 00:30 JST on the 3rd: a day begun.
    expect(pausedDays(at('2026-11-02T14:30:00Z'), at('2026-11-02T15:30:00Z'))).toBe(1);
    expect(pausedDays(at('2026-11-02T01:00:00Z'), at('2026-11-12T01:00:00Z'))).toBe(10);
    expect(pausedDays(at('2026-11-12T01:00:00Z'), at('2026-11-02T01:00:00Z'))).toBe(0);
  });

  it('counts days left to the due date, negative when overdue', () => {
    expect(daysLeft('2026-11-25', '2026-11-22')).toBe(3);
    expect(daysLeft('2026-11-22', '2026-11-22')).toBe(0);
    expect(daysLeft('2026-11-20', '2026-11-22')).toBe(-2);
    expect(daysLeft('2027-01-05', '2026-12-28')).toBe(8);
  });
});
