/** Every word the lottery and desk pages build at run time exists in ja, ja-easy and en. */
import { describe, expect, it } from 'vitest';
import { allMessages, hasMessage, LOCALES } from '../../platform/i18n.js';
import './messages.js';
import './page-messages.js';
import './lottery-messages.js';
import './staff-messages.js';
import { LOTTERY_RULES } from './lottery.js';

describe('the lottery and desk words', () => {
  it('has every key built at run time', () => {
    const keys = [
      ...['open', 'drawn', 'cancelled', 'accepting'].map((s) => `reservations.lottery.state.${s}`),
      ...['entered', 'won', 'lost', 'withdrawn'].map((s) => `reservations.lottery.entry.${s}`),
      ...LOTTERY_RULES.map((r) => `reservations.lottery.rule.${r}`),
      ...['won', 'won-free', 'lost'].flatMap((k) => [`reservations.lottery.mail.${k}.subject`, `reservations.lottery.mail.${k}.body`]),
      ...['capacity', 'residentWindowDays', 'nonresidentWindowDays', 'windowOpensAt', 'closesMinutesBefore', 'holdMinutes', 'cancelDeadlineDays', 'surchargePercent', 'maxActive'].flatMap((k) => [
        `reservations.desk.rule.${k}`,
        `reservations.desk.ruleHint.${k}`,
      ]),
      ...['rules', 'hours', 'units', 'unit-added', 'block-added', 'block-removed', 'lottery-opened', 'lottery-drawn', 'lottery-cancelled'].map((k) => `reservations.desk.logWhat.${k}`),
      ...['rules', 'hours', 'units', 'unit'].map((k) => `reservations.desk.saved.${k}`),
      ...['closed', 'maintenance', 'event'].map((k) => `reservations.desk.reason.${k}`),
      ...['added', 'removed'].map((k) => `reservations.desk.block.${k}`),
      ...['checked-in', 'no-show'].map((k) => `reservations.desk.done.${k}`),
      ...[0, 1, 2, 3, 4, 5, 6].map((w) => `reservations.weekday.${w}`),
      'nav.lotteries', 'nav.facilityDesk', 'action.lottery.apply', 'action.lottery.withdraw', 'action.lottery.read', 'action.booking.check-in', 'action.booking.no-show',
    ];
    expect(keys.filter((k) => !hasMessage(k))).toEqual([]);
    for (const k of keys) for (const l of LOCALES) expect(allMessages().get(k)![l].trim(), `${k} ${l}`).not.toBe('');
  });
});
