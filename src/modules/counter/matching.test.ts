import { describe, expect, it } from 'vitest';
import { hasMessage } from '../../platform/i18n.js';
import type { CardCandidate } from '../registry/index.js';
import type { CardFields } from './card/types.js';
import { cardSexCode, planCardMatch } from './matching.js';
import './messages.js';

const CARD: CardFields = { name: '高橋　一郎', address: '広島県みどり町大字みどり１２番地', birthDate: '1960-05-01', sex: 'male' };

function candidate(id: string, card: Partial<CardCandidate['card']> = {}): CardCandidate {
  return {
    id,
    familyName: '髙橋',
    givenName: '一郎',
    familyNameKana: 'タカハシ',
    givenNameKana: 'イチロウ',
    birthDate: '1960-05-01',
    sex: 1,
    address: '広島県みどり町大字みどり12番地',
    relationToHead: '本人',
    status: 'resident',
    card: { name: 'same', address: 'same', sex: 'same', ...card },
  };
}

describe('planning what staff do with a card match', () => {
  it('asks staff to confirm even an exact match of one person', () => {
    const plan = planCardMatch(CARD, { how: 'exact', people: [candidate('a')] });
    expect(plan).toMatchObject({ step: 'confirm', how: 'exact', notes: ['counter.card.exact'], searchHint: '1960-05-01' });
    expect(plan.candidates).toEqual([{ person: candidate('a'), notes: [] }]);
  });

  it('points out the differences of a key match', () => {
    const plan = planCardMatch(CARD, { how: 'key', people: [candidate('a', { name: 'variant', address: 'different', sex: 'different' })] });
    expect(plan.step).toBe('confirm');
    expect(plan.notes).toEqual(['counter.card.key']);
    expect(plan.candidates[0]!.notes).toEqual(['counter.match.name-glyph', 'counter.match.address-differs', 'counter.match.sex-differs']);
  });

  it('lets staff choose among several, and offers a search for nobody', () => {
    const several = planCardMatch(CARD, { how: 'key', people: [candidate('a', { name: 'variant' }), candidate('b', { address: 'different' })] });
    expect(several).toMatchObject({ step: 'choose', notes: ['counter.card.key', 'counter.card.several'] });
    expect(several.candidates.map((c) => c.person.id)).toEqual(['a', 'b']);
    expect(planCardMatch(CARD, { how: 'none', people: [] })).toMatchObject({ step: 'search', how: 'none', notes: ['counter.card.none'], candidates: [], searchHint: '1960-05-01' });
  });

  it('names only messages that exist', () => {
    const plans = [
      planCardMatch(CARD, { how: 'exact', people: [candidate('a')] }),
      planCardMatch(CARD, { how: 'key', people: [candidate('a', { name: 'variant', address: 'different', sex: 'different' }), candidate('b')] }),
      planCardMatch(CARD, { how: 'none', people: [] }),
    ];
    for (const key of plans.flatMap((p) => [...p.notes, ...p.candidates.flatMap((c) => c.notes)])) expect(hasMessage(key), key).toBe(true);
  });

  it('codes the card sex as the register does', () => {
    expect((['male', 'female', 'not-known', 'not-applicable'] as const).map(cardSexCode)).toEqual([1, 2, 0, 9]);
  });
});
