/**
 * applications — online applications (電子申請): procedures defined as data, forms that
 * pre-fill what the town knows, drafts, submission with the register's checks, receipts,
 * life-event bundles, and the departmental inbox. Other modules use only what this exports.
 */
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import { registerNav } from '../../platform/views/layout.js';
import type { Access } from '../access/index.js';
import type { Registry } from '../registry/index.js';
import { todayInJapan } from '../registry/index.js';
import './messages.js';
import { loadDefinitions, type Catalog } from './definitions.js';
import { registerApplicationsApi } from './routes.js';
import { registerApplicationPages } from './pages.js';
import type { ApplicationsRuntime } from './runtime.js';
import { insertAgent } from './agents.js';
import type { Queryable } from '../../platform/db/db.js';

export { DefinitionError, loadDefinitions } from './definitions.js';
export type { Catalog } from './definitions.js';
export type { Procedure, Bundle } from './definition-schema.js';

export interface Applications extends YakubaModule {
  catalog: Catalog;
  /** Registers an agent (代理人) who may apply for a person outside their household. */
  registerAgent(
    db: Queryable,
    a: { principalId: string; agentId: string; kind: 'guardian' | 'relative' | 'care-manager' | 'other'; validFrom: string; validTo?: string; registeredBy?: string; demo: boolean },
  ): Promise<string>;
}

export function createApplications(ctx: ModuleContext & { access: Access; registry: Registry; demo: () => boolean; townName: () => string; today?: () => string }): Applications {
  const catalog = loadDefinitions(ctx.config.proceduresDir);
  const rt: ApplicationsRuntime = {
    db: ctx.db,
    config: ctx.config,
    catalog,
    access: ctx.access,
    registry: ctx.registry,
    today: ctx.today ?? (() => todayInJapan()),
    demo: ctx.demo,
  };
  const staffRoles = ['counter-clerk', 'case-officer', 'approver'];
  registerNav(
    { href: '/procedures', label: 'nav.procedures', audience: 'public' },
    { href: '/me/applications', label: 'nav.myApplications', audience: 'resident' },
    { href: '/staff/applications', label: 'nav.inbox', audience: 'staff', roles: staffRoles },
  );
  ctx.access.addStaffLink({ href: '/staff/applications', label: 'nav.inbox', roles: staffRoles });
  return {
    name: 'applications',
    catalog,
    routes(app) {
      registerApplicationsApi(app, rt, ctx.townName);
      registerApplicationPages(app, rt, ctx.townName);
    },
    registerAgent: (db, a) => insertAgent(db, a),
  };
}
