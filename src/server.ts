/**
 * The composition root: opens nothing itself, mounts the modules on one app in order, and
 * starts and stops their background work. The CLI and the tests both build through here.
 */
import type { Config } from './platform/config.js';
import type { Db } from './platform/db/db.js';
import { createApp, type App } from './platform/http/app.js';
import type { YakubaModule } from './platform/module.js';
import { getInstallation } from './platform/installation.js';
import { setSiteInfo, siteInfo } from './platform/views/render.js';
import './platform/views/messages.js';
import { createAccess, type Access } from './modules/access/index.js';
import { createRegistry, type Registry } from './modules/registry/index.js';
import { createAuditModule } from './modules/audit/index.js';
import { createEvents } from './modules/events/index.js';
import { createWebhooks, type Webhooks } from './modules/webhooks/index.js';
import { createPortal } from './modules/portal/index.js';
import { createApplications, type Applications } from './modules/applications/index.js';
import { createCases, type Cases } from './modules/cases/index.js';
import { createCounter, type Counter } from './modules/counter/index.js';
import { createPayments, type Payments } from './modules/payments/index.js';
import { createReservations, type Reservations } from './modules/reservations/index.js';
import { createMailTransport, createMailWorker } from './platform/mail.js';
import { DEMO_PASSWORD, DEMO_POSITIONS, DEMO_STAFF } from './demo.js';


export interface Server {
  app: App;
  access: Access;
  registry: Registry;
  webhooks: Webhooks;
  applications: Applications;
  cases: Cases;
  counter: Counter;
  payments: Payments;
  reservations: Reservations;
  modules: YakubaModule[];
  /** Starts background workers (call after listen, or in tests that need them). */
  startWorkers(): void;
  /** Stops workers and closes the app; the database stays open (its owner closes it). */
  close(): Promise<void>;
}

export async function buildServer(
  config: Config,
  db: Db,
  opts: { webhookBackoffMs?: number; logStream?: { write(msg: string): void }; today?: () => string; now?: () => Date } = {},
): Promise<Server> {
  const installation = await getInstallation(db);
  setSiteInfo({ demo: installation?.mode === 'demo', townName: installation?.townName ?? '' });
  const app = await createApp(config, db, opts.logStream ? { logStream: opts.logStream } : {});
  const ctx = { db, config };
  const access = await createAccess(ctx);
  if (installation?.mode === 'demo') {
    access.showDemoLogins(
      DEMO_STAFF.map((s) => ({ login: s.login, role: s.roles[0], ...(DEMO_POSITIONS[s.login] ? { note: `cases.position.${DEMO_POSITIONS[s.login]}` } : {}) })),
      DEMO_PASSWORD,
    );
  }
  const registry = createRegistry({ ...ctx, access });
  access.useResidentCheck((id) => registry.isResident(id));
  const webhooks = createWebhooks({ ...ctx, access }, opts.webhookBackoffMs !== undefined ? { backoffBaseMs: opts.webhookBackoffMs } : {});
  const townName = () => siteInfo().townName;
  const applications = createApplications({ ...ctx, access, registry, demo: () => siteInfo().demo, townName, ...(opts.today ? { today: opts.today } : {}) });
  // A blank form that is missing, or a box off its page, stops the start (not a print at the counter).
  await applications.checkPaperForms();
  const cases = createCases({ ...ctx, access, registry, applications, demo: () => siteInfo().demo, townName, log: app.log, ...(opts.today ? { today: opts.today } : {}), ...(opts.now ? { now: opts.now } : {}) });
  const counter = createCounter({ ...ctx, access, registry, applications, cases, demo: () => siteInfo().demo, townName, log: app.log, ...(opts.today ? { today: opts.today } : {}), ...(opts.now ? { now: opts.now } : {}) });
  const payments = createPayments({ ...ctx, access, demo: () => siteInfo().demo, log: app.log, ...(opts.now ? { now: opts.now } : {}) });
  const reservations = createReservations({ ...ctx, access, registry, payments, demo: () => siteInfo().demo, townName, log: app.log, ...(opts.now ? { now: opts.now } : {}) });
  const mailWorker = createMailWorker({ db, transport: createMailTransport(config.mail, app.log), from: config.mail.from, pollMs: config.mail.pollMs, log: app.log });
  const mail: YakubaModule = { name: 'mail', start: () => mailWorker.start(), stop: () => mailWorker.stop() };
  const modules: YakubaModule[] = [
    access,
    registry,
    createAuditModule({ ...ctx, access }),
    createEvents({ ...ctx, access }),
    webhooks,
    createPortal({ ...ctx, access, registry, demo: installation?.mode === 'demo' }),
    applications,
    cases,
    counter,
    payments,
    reservations,
    mail,
  ];
  for (const m of modules) await m.routes?.(app);
  await app.ready();
  let started = false;
  return {
    app,
    access,
    registry,
    webhooks,
    applications,
    cases,
    counter,
    payments,
    reservations,
    modules,
    startWorkers() {
      if (started) return;
      started = true;
      modules.forEach((m) => m.start?.());
    },
    async close() {
      for (const m of modules) await m.stop?.();
      await app.close();
    },
  };
}
