/**
 * audit — the audit trail over HTTP: auditors search and verify it; every resident can see
 * who looked at their data. The trail itself (append, verify) is platform code, because
 * every module records into it.
 */
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import { deriveKey } from '../../platform/crypto.js';
import { registerNav } from '../../platform/views/layout.js';
import type { Access } from '../access/index.js';
import './messages.js';
import { registerAuditRoutes } from './routes.js';

export function createAuditModule(ctx: ModuleContext & { access: Access }): YakubaModule {
  registerNav(
    { href: '/staff/audit', label: 'nav.audit', audience: 'staff', roles: ['auditor'] },
    { href: '/me/access-log', label: 'nav.myAccessLog', audience: 'resident' },
  );
  ctx.access.addStaffLink({ href: '/staff/audit', label: 'nav.audit', roles: ['auditor'] });
  return {
    name: 'audit',
    routes: (app) => registerAuditRoutes(app, ctx.db, ctx.access, deriveKey(ctx.config.secret, 'cursor')),
  };
}
