/**
 * The booking states and the explicit table of what may happen in each. Pure: the service
 * applies it under a row lock, and a move not in the table is refused naming both states.
 *
 *   held ──pay──▶ confirmed ──check-in──▶ checked-in
 *    │              │  └──no-show──▶ no-show
 *    │              └──cancel──▶ cancelled
 *    ├──cancel──▶ cancelled
 *    └──release──▶ released   (the hold ran out unpaid)
 */
export const STATES = ['held', 'confirmed', 'checked-in', 'cancelled', 'released', 'no-show'] as const;
export type BookingState = (typeof STATES)[number];

/** States whose claims are live on the calendar. */
export const LIVE_STATES: readonly BookingState[] = ['held', 'confirmed', 'checked-in'];
export const isLive = (s: BookingState): boolean => LIVE_STATES.includes(s);
/** States that end a booking: its claims are released. */
export const ENDED_STATES: readonly BookingState[] = ['cancelled', 'released', 'no-show'];

export const ACTIONS = ['confirm', 'cancel', 'release', 'check-in', 'no-show'] as const;
export type BookingAction = (typeof ACTIONS)[number];

export const RULES: Record<BookingAction, { from: readonly BookingState[]; to: BookingState }> = {
  // Paid (or nothing to pay): the provisional booking becomes a booking.
  confirm: { from: ['held'], to: 'confirmed' },
  // The booker (within the rules) or staff; an unpaid hold may always be given up.
  cancel: { from: ['held', 'confirmed'], to: 'cancelled' },
  // The worker, when a hold runs out unpaid.
  release: { from: ['held'], to: 'released' },
  'check-in': { from: ['confirmed'], to: 'checked-in' },
  'no-show': { from: ['confirmed'], to: 'no-show' },
};

/** Where an action leads from `state`, or undefined when the table does not allow it. */
export function nextState(action: BookingAction, state: BookingState): BookingState | undefined {
  const rule = RULES[action];
  return rule.from.includes(state) ? rule.to : undefined;
}
