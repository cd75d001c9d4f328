/**
 * Revenue (使用料収入) of the facilities over a period: what came in online — the payments
 * module's ledger of reservation payments (captures +, refunds −, provider fees −), put under
 * each booking's facility and summed by method — and what was taken and given back at the
 * facilities' counters, with refunds still owed there.
 */
import * as facilities from './facility-store.js';
import { PAYMENT_PURPOSE, type ReservationsRuntime } from './runtime.js';
import * as store from './staff-store.js';
import { addDays, jst } from './time.js';
import { nameIn } from './words.js';
import type { Locale } from '../../platform/i18n.js';

export interface Money {
  captured: number;
  captures: number;
  refunded: number;
  refunds: number;
  fees: number;
  net: number;
}

export interface RevenueLine {
  facility: string;
  name: string;
  online: Money;
  counter: { received: number; receipts: number; refunded: number; owed: number };
  /** Online net plus counter received less counter refunded. */
  net: number;
}

export interface Revenue {
  from: string;
  to: string;
  /** False when the payments module gives no ledger (only the counter's figures are shown). */
  ledger: boolean;
  lines: RevenueLine[];
  byMethod: ({ method: string } & Money)[];
  total: RevenueLine;
}

const zero = (): Money => ({ captured: 0, captures: 0, refunded: 0, refunds: 0, fees: 0, net: 0 });

function add(m: Money, kind: 'capture' | 'refund' | 'fee', amount: number): void {
  if (kind === 'capture') {
    m.captured += amount;
    m.captures += 1;
  } else if (kind === 'refund') {
    m.refunded += -amount;
    m.refunds += 1;
  } else {
    m.fees += -amount;
  }
  m.net = m.captured - m.refunded - m.fees;
}

/** The revenue of [from, to] (Japan dates). */
export async function revenueOf(rt: ReservationsRuntime, from: string, to: string, locale: Locale): Promise<Revenue> {
  const start = jst(from, '00:00');
  const end = jst(addDays(to, 1), '00:00');
  const fs = await facilities.loadFacilities(rt.db, { includeInactive: true });
  const moves = await rt.payments.movements({ from: start, to: end, purpose: PAYMENT_PURPOSE });
  const owners = await store.facilityOfBookings(rt.db, [...new Set(moves.map((m) => m.ownerRef).filter((x): x is string => !!x))]);
  const counter = await store.counterMoney(rt.db, start, end);
  const online = new Map<string, Money>();
  const methods = new Map<string, Money>();
  for (const m of moves) {
    const fid = (m.ownerRef && owners.get(m.ownerRef)) || '';
    if (!online.has(fid)) online.set(fid, zero());
    add(online.get(fid)!, m.kind, m.amount);
    if (!methods.has(m.method)) methods.set(m.method, zero());
    add(methods.get(m.method)!, m.kind, m.amount);
  }
  const lines: RevenueLine[] = fs.map((f) => {
    const o = online.get(f.id) ?? zero();
    const c = counter.find((x) => x.facility_id === f.id) ?? { received: 0, receipts: 0, refunded: 0, owed: 0 };
    return { facility: f.code, name: nameIn(f, locale), online: o, counter: { received: c.received, receipts: c.receipts, refunded: c.refunded, owed: c.owed }, net: o.net + c.received - c.refunded };
  });
  // Movements of bookings this installation does not know (should not happen): kept visible, not dropped.
  const stray = online.get('');
  if (stray) lines.push({ facility: '', name: '', online: stray, counter: { received: 0, receipts: 0, refunded: 0, owed: 0 }, net: stray.net });
  const sum = (k: keyof Money) => lines.reduce((s, l) => s + l.online[k], 0);
  const csum = (k: keyof RevenueLine['counter']) => lines.reduce((s, l) => s + l.counter[k], 0);
  const total: RevenueLine = {
    facility: '', name: '',
    online: { captured: sum('captured'), captures: sum('captures'), refunded: sum('refunded'), refunds: sum('refunds'), fees: sum('fees'), net: sum('net') },
    counter: { received: csum('received'), receipts: csum('receipts'), refunded: csum('refunded'), owed: csum('owed') },
    net: lines.reduce((s, l) => s + l.net, 0),
  };
  return { from, to, ledger: true, lines, byMethod: [...methods].sort(([a], [b]) => a.localeCompare(b)).map(([method, m]) => ({ method, ...m })), total };
}
