/**
 * From a card read to the person staff confirm. The registry finds the candidates
 * (`registry.matchCard`: exact first, then the matching key — it owns names and their keys);
 * this decides what the counter screen does with them, without ever choosing for staff:
 *
 *   nobody          → search (the search box is offered, filled with the card's birth date)
 *   one person      → confirm (even an exact match: staff check the person in front of them)
 *   several         → choose
 *
 * and which differences to point out for each candidate (another glyph in the name, an address
 * or sex that is not the register's). Pure.
 */
import type { CardCandidate, CardMatch } from '../registry/index.js';
import type { CardFields, CardSex } from './card/types.js';
import './matching-messages.js';

export type CardMatchStep = 'confirm' | 'choose' | 'search';

export interface CardMatchPlan {
  step: CardMatchStep;
  how: CardMatch['how'];
  /** Message keys about the match as a whole (`counter.card.exact|key|none|several`, messages.ts). */
  notes: string[];
  /** Every candidate, in the registry's order, with message keys of its differences from the card (matching-messages.ts). */
  candidates: { person: CardCandidate; notes: string[] }[];
  /** What to put in the search box when staff search instead (the card's birth date). */
  searchHint: string;
}

/** The differences between the card and one candidate, as message keys. */
export function differenceNotes(c: CardCandidate): string[] {
  const notes: string[] = [];
  if (c.card.name !== 'same') notes.push('counter.match.name-glyph');
  if (c.card.address !== 'same') notes.push('counter.match.address-differs');
  if (c.card.sex !== 'same') notes.push('counter.match.sex-differs');
  return notes;
}

export function planCardMatch(card: CardFields, match: CardMatch): CardMatchPlan {
  const n = match.people.length;
  const step: CardMatchStep = match.how === 'none' || n === 0 ? 'search' : n === 1 ? 'confirm' : 'choose';
  const notes = step === 'search' ? ['counter.card.none'] : [`counter.card.${match.how}`];
  if (step === 'choose') notes.push('counter.card.several');
  return {
    step,
    how: step === 'search' ? 'none' : match.how,
    notes,
    candidates: match.people.map((person) => ({ person, notes: differenceNotes(person) })),
    searchHint: card.birthDate,
  };
}

const SEX_CODE: Record<CardSex, number> = { 'not-known': 0, male: 1, female: 2, 'not-applicable': 9 };

/** The card's sex as the register codes it (ISO 5218). */
export const cardSexCode = (sex: CardSex): number => SEX_CODE[sex];
