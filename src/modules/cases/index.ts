/**
 * cases — case processing (案件処理) and electronic approval (電子決裁): every submitted
 * application becomes a case in its department's inbox, moves through an explicit table of
 * states to a decision approved along a route, and ends with a sealed decision notice that
 * anyone can verify. Front-office metrics are computed from the cases' timelines.
 * Other modules use only what this exports.
 */
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import type { Queryable } from '../../platform/db/db.js';
import { registerNav } from '../../platform/views/layout.js';
import type { Access } from '../access/index.js';
import type { Applications } from '../applications/index.js';
import type { Registry } from '../registry/index.js';
import { todayInJapan } from '../registry/index.js';
import './messages.js';
import { openCases, openMissingCases } from './service.js';
import { progressOf } from './read.js';
import { registerCasesApi } from './routes.js';
import { registerCasePages } from './pages.js';
import { registerResidentCasePages } from './resident-pages.js';
import { registerVerifyPages } from './verify.js';
import { registerMetrics } from './metrics-routes.js';
import { createJobRunner } from './jobs.js';
import type { CasesLog, CasesRuntime, DashboardSection } from './runtime.js';
export type { DashboardSection } from './runtime.js';
import type { Position } from './states.js';
import * as store from './store.js';

export { seedCaseHistory, type HistoryOptions } from './seed.js';
export type { Position } from './states.js';

export interface Cases extends YakubaModule {
  /** Sets where a staff member works on cases: department codes and positions (担当, 係長, 課長). */
  setPositions(db: Queryable, staffId: string, units: readonly { department: string; position: Position }[]): Promise<void>;
  /** Runs queued bulk jobs to the end now (tests; the worker does it in the background). */
  drainJobs(): Promise<void>;
  /** Adds a part to the metrics dashboard (`/staff/metrics`), shown under the cases' figures for the same period. */
  addDashboardSection(section: DashboardSection): void;
}

export const CASE_ROLES = ['case-officer', 'approver'];

export function createCases(
  ctx: ModuleContext & {
    access: Access; registry: Registry; applications: Applications; demo: () => boolean; townName: () => string; today?: () => string; now?: () => Date; log?: CasesLog;
  },
): Cases {
  const rt: CasesRuntime = {
    db: ctx.db,
    config: ctx.config,
    access: ctx.access,
    registry: ctx.registry,
    applications: ctx.applications,
    today: ctx.today ?? (() => todayInJapan()),
    now: ctx.now ?? (() => new Date()),
    demo: ctx.demo,
    townName: ctx.townName,
    log: ctx.log ?? { warn: () => {}, error: () => {} },
    dashboardSections: [],
  };
  ctx.applications.onSubmitted((tx, apps) => openCases(rt, tx, apps));
  ctx.applications.useProgress(async (ids, t) => {
    const progress = await progressOf(rt, ids);
    return new Map(
      [...progress].map(([appId, p]) => [
        appId,
        { label: t(p.decision ? `cases.resident.decided.${p.decision}` : `cases.resident.${p.status}`), attention: p.status === 'waiting', href: `/me/cases/${p.caseId}` },
      ]),
    );
  });
  registerNav(
    { href: '/staff/cases', label: 'nav.cases', audience: 'staff', roles: CASE_ROLES },
    { href: '/staff/metrics', label: 'nav.metrics', audience: 'staff', roles: CASE_ROLES },
  );
  ctx.access.addStaffLink({ href: '/staff/cases', label: 'nav.cases', roles: CASE_ROLES });
  ctx.access.addStaffLink({ href: '/staff/metrics', label: 'nav.metrics', roles: CASE_ROLES });
  const jobs = createJobRunner(rt);
  return {
    name: 'cases',
    async routes(app) {
      // Applications submitted before cases existed (an upgrade) become cases too.
      const opened = await openMissingCases(rt);
      if (opened > 0) app.log.info({ opened }, 'opened cases for applications submitted before case processing');
      registerCasesApi(app, rt, jobs);
      registerCasePages(app, rt, jobs);
      registerResidentCasePages(app, rt);
      registerVerifyPages(app, rt);
      registerMetrics(app, rt);
    },
    start: () => jobs.start(),
    stop: () => jobs.stop(),
    setPositions: (db, staffId, units) => store.setPositions(db, staffId, units),
    drainJobs: () => jobs.drain(),
    addDashboardSection: (section) => void rt.dashboardSections.push(section),
  };
}
