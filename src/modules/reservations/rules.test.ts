/** The pure rules: slots of a day, booking windows, fees with 減免, cancellation refunds, the state table, iCalendar text. */
import { describe, expect, it } from 'vitest';
import { summarise } from './calendar.js';
import { calendar, escapeText, foldLine } from './ical.js';
import { ageOn, bookingTimeRefusal, cancellationTerms, feeOf, holdUntil, slotAt, slotsOn, spacePrice, windowOpensFor, type FacilityRules } from './rules.js';
import { isLive, nextState, RULES, STATES } from './states.js';
import { jst, mondayOf } from './time.js';

const kominkan: FacilityRules = {
  kind: 'room', capacity: 30, slotMinutes: 180, holdMinutes: 30, konbiniHoldHours: 72, offerHoldHours: 24,
  residentWindowDays: 90, nonresidentWindowDays: 30, windowOpensAt: '09:00', closesMinutesBefore: 60, cancelDeadlineDays: 1,
  nonresidentSurchargePercent: 50, maxActivePerBooker: 4,
  hours: new Map([2, 3, 4, 5, 6, 0].map((w) => [w, { opens: '09:00', closes: '21:00' }])),
  periods: [
    { code: 'night', nameJa: '夜間', nameEn: 'Evening', starts: '18:00', ends: '21:00' },
    { code: 'am', nameJa: '午前', nameEn: 'Morning', starts: '09:00', ends: '12:00' },
    { code: 'pm', nameJa: '午後', nameEn: 'Afternoon', starts: '13:00', ends: '17:00' },
  ],
  cancellation: [{ daysBefore: 1, refundPercent: 50 }, { daysBefore: 7, refundPercent: 100 }],
};
const tennis: FacilityRules = { ...kominkan, slotMinutes: 120, periods: [], hours: new Map([[1, { opens: '08:00', closes: '19:00' }]]) };

describe('slots of a day', () => {
  it('are the named periods in order on an open weekday, none on a closed one', () => {
    const s = slotsOn(kominkan, '2026-12-01'); // Tuesday
    expect(s.map((x) => `${x.period?.code} ${x.from}-${x.to}`)).toEqual(['am 09:00-12:00', 'pm 13:00-17:00', 'night 18:00-21:00']);
    expect(s[0]!.start.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(slotsOn(kominkan, '2026-11-30')).toEqual([]); // 月曜休館
  });
  it('step by the slot length from opening when there are no periods, dropping a last short one', () => {
    expect(slotsOn(tennis, '2026-11-30').map((x) => x.from)).toEqual(['08:00', '10:00', '12:00', '14:00', '16:00']);
    expect(slotAt(tennis, '2026-11-30', jst('2026-11-30', '10:00'))?.to).toBe('12:00');
    expect(slotAt(tennis, '2026-11-30', jst('2026-11-30', '11:00'))).toBeUndefined();
  });
  it('leave out a period outside the day’s hours', () => {
    const short = { ...kominkan, hours: new Map([[2, { opens: '09:00', closes: '17:00' }]]) };
    expect(slotsOn(short, '2026-12-01').map((x) => x.period?.code)).toEqual(['am', 'pm']);
  });
});

describe('booking windows', () => {
  it('open earlier for residents than for people from outside the town, at the stated time in Japan', () => {
    expect(windowOpensFor(kominkan, '2027-03-01', 'resident').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(windowOpensFor(kominkan, '2027-03-01', 'non-resident').toISOString()).toBe('2027-01-30T00:00:00.000Z');
  });
  it('refuse before the window and after the close, and name the rule', () => {
    const start = jst('2027-01-05', '13:00');
    expect(bookingTimeRefusal(kominkan, '2027-01-05', start, 'resident', new Date('2026-11-23T01:00:00Z'))).toBeUndefined();
    expect(bookingTimeRefusal(kominkan, '2027-01-05', start, 'non-resident', new Date('2026-11-23T01:00:00Z'))?.rule).toBe('booking-window-not-open');
    expect(bookingTimeRefusal(kominkan, '2027-01-05', start, 'resident', jst('2027-01-05', '12:00'))?.rule).toBe('booking-closed');
    expect(bookingTimeRefusal(kominkan, '2027-01-05', start, 'resident', jst('2027-01-05', '11:59'))).toBeUndefined();
  });
  it('hold a provisional booking for its minutes, never past the start', () => {
    expect(holdUntil(jst('2026-12-01', '10:00'), jst('2026-12-01', '13:00'), 30).toISOString()).toBe(jst('2026-12-01', '10:30').toISOString());
    expect(holdUntil(jst('2026-12-01', '12:50'), jst('2026-12-01', '13:00'), 30).toISOString()).toBe(jst('2026-12-01', '13:00').toISOString());
  });
});

describe('fees', () => {
  it('charge the hourly fee for the slot, half as much again from outside the town, less reductions, rounded down to 10 yen', () => {
    expect(spacePrice(400, jst('2026-12-01', '18:00'), jst('2026-12-01', '21:00'))).toBe(1200);
    expect(feeOf({ base: 1200, booker: 'resident', surchargePercent: 50, reductionPercent: 0 })).toEqual({ base: 1200, surcharge: 0, reduction: 0, amount: 1200 });
    expect(feeOf({ base: 1200, booker: 'non-resident', surchargePercent: 50, reductionPercent: 0 })).toEqual({ base: 1200, surcharge: 600, reduction: 0, amount: 1800 });
    expect(feeOf({ base: 1250, booker: 'resident', surchargePercent: 50, reductionPercent: 30 })).toEqual({ base: 1250, surcharge: 0, reduction: 380, amount: 870 });
    expect(feeOf({ base: 1200, booker: 'non-resident', surchargePercent: 50, reductionPercent: 100 }).amount).toBe(0);
  });
  it('round every part down to 10 yen the same way, with or without a reduction', () => {
    // A price not in tens (a 90-minute slot at 333 yen an hour: 500; a fare of 255): the payer never pays the odd yen.
    expect(feeOf({ base: 255, booker: 'resident', surchargePercent: 50, reductionPercent: 0 })).toEqual({ base: 250, surcharge: 0, reduction: 0, amount: 250 });
    expect(feeOf({ base: 255, booker: 'resident', surchargePercent: 50, reductionPercent: 50 })).toEqual({ base: 250, surcharge: 0, reduction: 130, amount: 120 });
    expect(feeOf({ base: 1255, booker: 'non-resident', surchargePercent: 50, reductionPercent: 0 })).toEqual({ base: 1250, surcharge: 620, reduction: 0, amount: 1870 });
    for (const base of [0, 1, 9, 10, 333, 499.5, 1255, 4321]) {
      for (const reductionPercent of [0, 30, 50, 100]) {
        for (const booker of ['resident', 'non-resident'] as const) {
          const f = feeOf({ base, booker, surchargePercent: 50, reductionPercent });
          expect(f.amount % 10, `${base} ${booker} ${reductionPercent}`).toBe(0);
          expect(f.amount).toBe(f.base + f.surcharge - f.reduction);
        }
      }
    }
  });
  it('reads ages on the day of use', () => {
    expect(ageOn('1961-12-02', '2026-12-01')).toBe(64);
    expect(ageOn('1961-12-01', '2026-12-01')).toBe(65);
  });
});

describe('cancellation', () => {
  it('gives back the largest step that has not passed, and refuses after the deadline', () => {
    expect(cancellationTerms(kominkan, '2026-12-10', '2026-11-23', 1200)).toEqual({ allowed: true, lastDate: '2026-12-09', refundPercent: 100, refund: 1200 });
    expect(cancellationTerms(kominkan, '2026-12-10', '2026-12-05', 1200)).toMatchObject({ allowed: true, refundPercent: 50, refund: 600 });
    expect(cancellationTerms(kominkan, '2026-12-10', '2026-12-09', 1250)).toMatchObject({ allowed: true, refundPercent: 50, refund: 625 });
    expect(cancellationTerms(kominkan, '2026-12-10', '2026-12-10', 1200)).toMatchObject({ allowed: false, refundPercent: 0, refund: 0 });
    expect(cancellationTerms({ cancelDeadlineDays: 0, cancellation: [] }, '2026-12-10', '2026-12-10', 1200)).toMatchObject({ allowed: true, refund: 0 });
  });
  it('refuses and gives nothing once the booking has begun, even on a day whose steps allow it', () => {
    const bus = { cancelDeadlineDays: 0, cancellation: [{ daysBefore: 0, refundPercent: 100 }] };
    const start = jst('2026-12-10', '09:00');
    expect(cancellationTerms(bus, '2026-12-10', '2026-12-10', 200, { startsAt: start, now: jst('2026-12-10', '08:59') })).toMatchObject({ allowed: true, refundPercent: 100, refund: 200 });
    expect(cancellationTerms(bus, '2026-12-10', '2026-12-10', 200, { startsAt: start, now: jst('2026-12-10', '09:00') })).toMatchObject({ allowed: false, refundPercent: 0, refund: 0 });
    expect(cancellationTerms(bus, '2026-12-10', '2026-12-10', 200, { startsAt: start, now: jst('2026-12-10', '17:00') })).toMatchObject({ allowed: false, refund: 0 });
  });
});

describe('the booking state table', () => {
  it('allows exactly these moves', () => {
    const table = Object.fromEntries(STATES.map((s) => [s, Object.keys(RULES).filter((a) => nextState(a as keyof typeof RULES, s)).sort()]));
    expect(table).toEqual({
      held: ['cancel', 'confirm', 'release'],
      confirmed: ['cancel', 'check-in', 'no-show'],
      'checked-in': [],
      cancelled: [],
      released: [],
      'no-show': [],
    });
    expect(STATES.filter(isLive)).toEqual(['held', 'confirmed', 'checked-in']);
  });
});

describe('a day in words', () => {
  it('summarises its slots: some free, all booked, closed, not yet open', () => {
    expect(summarise('2026-12-01', [{ status: 'available' }, { status: 'taken' }])).toMatchObject({ state: 'available', available: 1, total: 2 });
    expect(summarise('2026-12-01', [{ status: 'taken' }, { status: 'taken' }])).toMatchObject({ state: 'full' });
    expect(summarise('2026-12-01', [{ status: 'closed' }])).toMatchObject({ state: 'closed' });
    expect(summarise('2026-12-01', [])).toMatchObject({ state: 'no-slots' });
    expect(summarise('2026-12-01', [{ status: 'not-yet-open', opensAt: new Date(0) }])).toMatchObject({ state: 'not-yet-open', opensAt: new Date(0) });
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
  });
});

describe('iCalendar', () => {
  it('escapes text and folds long lines at 75 octets without splitting a character', () => {
    expect(escapeText('会議, 1;2\\3\n次')).toBe('会議\\, 1\\;2\\\\3\\n次');
    // Every kind of line break becomes \n: a lone CR must not end the content line.
    expect(escapeText('a\rb\r\nc\nd')).toBe('a\\nb\\nc\\nd');
    const line = `SUMMARY:${'中央公民館'.repeat(10)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const l of folded) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(folded.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(folded.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(line);
  });
  it('writes a calendar with CRLF, UID, DTSTAMP and UTC times', () => {
    const text = calendar({
      name: 'みどり町 施設予約',
      now: new Date('2026-11-23T01:00:00Z'),
      events: [{ uid: 'booking-1@yakuba.example', start: jst('2026-12-01', '09:00'), end: jst('2026-12-01', '12:00'), summary: '第1会議室', status: 'CONFIRMED' }],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n').filter(Boolean).every((l) => !l.includes('\n'))).toBe(true);
    expect(text).toContain('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n');
    expect(text).toContain('UID:booking-1@yakuba.example\r\nDTSTAMP:20261123T010000Z\r\nDTSTART:20261201T000000Z\r\nDTEND:20261201T030000Z\r\n');
    expect(text).toContain('STATUS:CONFIRMED');
    expect(text).not.toContain('SEQUENCE');
    expect(text.trim().endsWith('END:VCALENDAR')).toBe(true);
    const revised = calendar({ name: 'x', now: new Date(0), events: [{ uid: 'u', start: new Date(0), end: new Date(1000), summary: 's', modified: new Date('2026-11-24T00:00:00Z'), sequence: 3 }] });
    expect(revised).toContain('LAST-MODIFIED:20261124T000000Z\r\nSEQUENCE:3\r\n');
  });
});
