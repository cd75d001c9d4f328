/**
 * counter — the write-free counter (書かない窓口): a visit starts from a resident's pre-entry
 * QR code, their My Number card or a search, always confirmed by the clerk; the procedures
 * are pre-filled from the register and the pre-entry and only what remains is asked, on one
 * screen; the forms print on the town's official layouts to check and sign (or on a tablet);
 * the applications are sent like online ones (channel `counter`, each opening a case); the
 * certificates asked for are listed with their fees; the visit's times and pages feed the
 * metrics. Other modules use only what this exports.
 */
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import { deriveKey } from '../../platform/crypto.js';
import { registerNav } from '../../platform/views/layout.js';
import type { Access } from '../access/index.js';
import type { Applications } from '../applications/index.js';
import type { Cases } from '../cases/index.js';
import type { Registry } from '../registry/index.js';
import { todayInJapan } from '../registry/index.js';
import './messages.js';
import './visit-messages.js';
import './resident-messages.js';
import { registerCounterAssets } from './assets.js';
import { loadCertificates } from './certificates.js';
import { seedVisitHistory, type CounterHistoryRow } from './history.js';
import { recentVisits, visitMetrics } from './metrics.js';
import { PURPOSE, registerStartPages, ROLES } from './pages.js';
import { purgeExpiredPreEntries } from './pre-entry.js';
import { registerResidentPages } from './resident-pages.js';
import { registerCounterApi } from './routes.js';
import type { CounterRuntime } from './runtime.js';
import { registerVisitPages } from './visit-pages.js';
import { VisitMetricsSection } from './views/metrics.js';

export type { CardFields, CardReader, PcscTransport } from './card/types.js';
export { ApduCardReader } from './card/apdu-reader.js';
export { loadCertificates } from './certificates.js';

export type { CounterHistoryRow } from './history.js';

export interface Counter extends YakubaModule {
  /** Demo seed only: a visit for each application the case history took at the counter (ended, signed on paper, its fee due). */
  seedVisitHistory(rows: readonly CounterHistoryRow[], clerkId: string): Promise<number>;
}

export function createCounter(
  ctx: ModuleContext & {
    access: Access; registry: Registry; applications: Applications; cases: Cases; demo: () => boolean; townName: () => string; today?: () => string; now?: () => Date;
    log?: { warn(obj: object, msg: string): void };
  },
): Counter {
  const rt: CounterRuntime = {
    db: ctx.db,
    config: ctx.config,
    access: ctx.access,
    registry: ctx.registry,
    applications: ctx.applications,
    qrKey: deriveKey(ctx.config.secret, 'qr'),
    certificates: loadCertificates(ctx.config.proceduresDir),
    today: ctx.today ?? (() => todayInJapan()),
    now: ctx.now ?? (() => new Date()),
    demo: ctx.demo,
    townName: ctx.townName,
  };
  registerNav(
    { href: '/staff/counter', label: 'nav.counter', audience: 'staff', roles: ROLES },
    { href: '/me/pre-entries', label: 'nav.preEntries', audience: 'resident' },
  );
  ctx.access.addStaffLink({ href: '/staff/counter', label: 'nav.counter', roles: ROLES });
  ctx.applications.desk.useHome((group, holder, t) =>
    holder === 'staff' ? { href: `/staff/counter/visits/${group}`, name: t('counter.visit.name') } : { href: `/me/pre-entries/${group}`, name: t('counter.pre.name') },
  );
  ctx.cases.addDashboardSection(async (period, words) =>
    VisitMetricsSection({ ...words, f: await visitMetrics(ctx.db, period), recent: await recentVisits(ctx.db, period) }),
  );
  let purge: ReturnType<typeof setInterval> | undefined;
  return {
    name: 'counter',
    // Unused pre-entries are dropped 30 days after their last day (at start, then twice a day).
    start() {
      const run = () => void purgeExpiredPreEntries(rt).catch((err: unknown) => ctx.log?.warn({ err: (err as Error).message }, 'counter: purging expired pre-entries failed'));
      run();
      purge = setInterval(run, 12 * 3_600_000);
      purge.unref();
    },
    async stop() {
      if (purge) clearInterval(purge);
    },
    seedVisitHistory: (rows, clerkId) => ctx.db.transaction((tx) => seedVisitHistory(tx, rows, { clerkId, procedures: ctx.applications.catalog.procedures })),
    routes(app) {
      registerCounterAssets(app);
      registerStartPages(app, rt);
      registerVisitPages(app, rt);
      registerResidentPages(app, rt);
      registerCounterApi(app, rt);
    },
  };
}

export { PURPOSE as COUNTER_PURPOSE };
