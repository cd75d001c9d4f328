/**
 * reservations — public facility and town-bus reservations (公共施設予約): facilities, units
 * and rules as data; an availability calendar anyone can read (month and week, no script
 * needed); bookings by residents and registered groups held until paid through the payments
 * module and released by a worker when unpaid; cancellation within the rules with refunds;
 * a waiting list that offers freed slots in order; calendar feeds. The database refuses two
 * live claims on one unit that overlap, so no race double-books. Other modules use only what
 * this exports.
 */
import { hkdfSync } from 'node:crypto';
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import { createPoller } from '../../platform/poller.js';
import { registerNav } from '../../platform/views/layout.js';
import type { Access } from '../access/index.js';
import type { Registry } from '../registry/index.js';
import './messages.js';
import './page-messages.js';
import { registerReservationsApi } from './routes.js';
import { registerFacilityPages } from './pages.js';
import { registerResidentPages } from './resident-pages.js';
import { drawDueRounds, registerLotteryAndDesk } from './desk.js';
import { releaseDueHolds } from './lifecycle.js';
import { cancelStrayPayments, onPaymentChanged } from './payment.js';
import { onRefundChanged } from './refunds.js';
import { PAYMENT_PURPOSE, type PaymentsPort, type ReservationsLog, type ReservationsRuntime } from './runtime.js';
import { seedDemoReservations, type SeedOptions, type SeedSummary } from './seed.js';

export type { SeedSummary as ReservationsSeedSummary } from './seed.js';
export { PAYMENT_PURPOSE as RESERVATION_PAYMENT_PURPOSE };

/** The staff purpose and role of the facilities desk. */
export const FACILITY_PURPOSE = 'facility-booking';
export const FACILITY_ROLES = ['facility-manager'];

export interface Reservations extends YakubaModule {
  /** Seeds みどり町's facilities, trips, closures, groups and bookings (demo installations only). */
  seedDemo(opts: SeedOptions): Promise<SeedSummary>;
  /** Releases holds that ran out unpaid and offers them to the waiting list (the worker does it; tests call it). */
  releaseDueHolds(): Promise<number>;
  /** Cancels payments still open of bookings that no longer wait for one (the worker does it; tests call it). */
  cancelStrayPayments(): Promise<number>;
}

export function createReservations(
  ctx: ModuleContext & { access: Access; registry: Registry; payments: PaymentsPort; demo: () => boolean; townName: () => string; now?: () => Date; log?: ReservationsLog; pollMs?: number },
): Reservations {
  const rt: ReservationsRuntime = {
    db: ctx.db,
    config: ctx.config,
    access: ctx.access,
    registry: ctx.registry,
    payments: ctx.payments,
    feedKey: Buffer.from(hkdfSync('sha256', ctx.config.secret, 'yakuba', 'yakuba:reservations:feed', 32)),
    now: ctx.now ?? (() => new Date()),
    demo: ctx.demo,
    townName: ctx.townName,
    log: ctx.log ?? { info: () => {}, warn: () => {}, error: () => {} },
  };
  ctx.payments.onPaymentChanged((tx, p) => onPaymentChanged(rt, tx, p), { purpose: PAYMENT_PURPOSE });
  ctx.payments.onRefundChanged((tx, r, p, cause) => onRefundChanged(rt, tx, r, p, cause), { purpose: PAYMENT_PURPOSE });
  registerNav(
    { href: '/facilities', label: 'nav.facilities', audience: 'public' },
    { href: '/me/bookings', label: 'nav.myBookings', audience: 'resident' },
  );
  const poller = createPoller({
    pass: async () => {
      const released = await releaseDueHolds(rt);
      const cancelled = await cancelStrayPayments(rt, { limit: 20 });
      // Lottery rounds whose draw time has come are drawn (the desk can draw earlier by hand).
      const drawn = await drawDueRounds(rt);
      return released > 0 || cancelled === 20 || drawn > 0;
    },
    pollMs: ctx.pollMs ?? 5000,
    onError: (err) => rt.log.error({ err: err instanceof Error ? err.name : 'error' }, 'booking hold worker failed'),
  });
  return {
    name: 'reservations',
    routes(app) {
      registerFacilityPages(app, rt);
      registerResidentPages(app, rt);
      registerReservationsApi(app, rt);
      registerLotteryAndDesk(app, rt);
    },
    start: () => poller.start(),
    stop: () => poller.stop(),
    seedDemo: (opts) => seedDemoReservations(ctx.db, opts),
    releaseDueHolds: () => releaseDueHolds(rt),
    cancelStrayPayments: () => cancelStrayPayments(rt, { limit: 100 }),
  };
}
