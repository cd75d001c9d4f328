import { describe, expect, it } from 'vitest';
import { approvalCheck, routeFor, type Authority } from './approval.js';

const person = (staffId: string, positions: Authority['positions'] = [], standingInFor: Authority['standingInFor'] = []): Authority => ({
  staffId, name: staffId, positions, standingInFor,
});
const chief = person('chief', [{ department: 'kodomo', position: 'chief' }]);
const manager = person('manager', [{ department: 'kodomo', position: 'manager' }]);
const twoLevels = (approved = 0, proposedBy = 'officer') => ({ department: 'kodomo', route: ['chief', 'manager'], approved_levels: approved, proposed_by: proposedBy });

describe('who approves a level', () => {
  it('the level’s position, in order; not another department’s', () => {
    expect(approvalCheck(chief, twoLevels(), [], 'approve')).toEqual({ level: 1, position: 'chief' });
    expect(approvalCheck(manager, twoLevels(), [], 'approve')).toMatchObject({ why: 'position', position: 'chief' });
    expect(approvalCheck(manager, twoLevels(1), [{ actorId: 'chief', onBehalfOf: null }], 'approve')).toEqual({ level: 2, position: 'manager' });
    expect(approvalCheck(person('x', [{ department: 'kaigo', position: 'chief' }]), twoLevels(), [], 'approve')).toMatchObject({ why: 'position' });
  });

  it('never the proposer, nor someone standing in for them', () => {
    expect(approvalCheck(chief, twoLevels(0, 'chief'), [], 'approve')).toMatchObject({ why: 'own-proposal' });
    expect(approvalCheck(chief, twoLevels(0, 'chief'), [], 'send-back')).toMatchObject({ why: 'own-proposal' });
    const deputy = person('deputy', [], [{ staffId: 'chief', name: '係長', positions: chief.positions }]);
    expect(approvalCheck(deputy, twoLevels(0, 'chief'), [], 'approve')).toMatchObject({ why: 'own-proposal' });
  });

  it('each level by another authority; standing in for an absent 係長 and then approving as 課長 is 代決', () => {
    const both = person('both', [{ department: 'kodomo', position: 'chief' }, { department: 'kodomo', position: 'manager' }]);
    expect(approvalCheck(both, twoLevels(1), [{ actorId: 'both', onBehalfOf: null }], 'approve')).toMatchObject({ why: 'two-levels' });
    const covering = person('manager', manager.positions, [{ staffId: 'chief', name: '係長', positions: chief.positions }]);
    expect(approvalCheck(covering, twoLevels(), [], 'approve')).toEqual({ level: 1, position: 'chief', onBehalfOf: { id: 'chief', name: '係長' } });
    expect(approvalCheck(covering, twoLevels(1), [{ actorId: 'manager', onBehalfOf: 'chief' }], 'approve')).toEqual({ level: 2, position: 'manager' });
    // The absent 係長 approved level 1 before leaving: their deputy may not approve level 2 for them.
    const forChief = person('deputy', [], [{ staffId: 'chief', name: '係長', positions: [{ department: 'kodomo', position: 'manager' }] }]);
    expect(approvalCheck(forChief, twoLevels(1), [{ actorId: 'chief', onBehalfOf: null }], 'approve')).toMatchObject({ why: 'two-levels' });
  });
});

describe('the route a proposal takes', () => {
  it('starts above the proposer’s own position, but always leaves its last level to someone else', () => {
    expect(routeFor(['chief', 'manager'], person('o', [{ department: 'kodomo', position: 'officer' }]), 'kodomo')).toEqual(['chief', 'manager']);
    expect(routeFor(['chief', 'manager'], chief, 'kodomo')).toEqual(['manager']);
    expect(routeFor(['chief', 'manager'], manager, 'kodomo')).toEqual(['manager']);
    expect(routeFor(['chief'], chief, 'kodomo')).toEqual(['chief']);
    expect(routeFor(['chief', 'manager'], chief, 'kaigo')).toEqual(['chief', 'manager']);
  });
});
