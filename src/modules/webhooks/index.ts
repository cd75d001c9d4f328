/**
 * webhooks — spokes subscribe to hub events and get them pushed, signed, at least once.
 * Other modules use only what this file exports.
 */
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import type { Access } from '../access/index.js';
import { registerNav } from '../../platform/views/layout.js';
import './messages.js';
import { registerWebhookRoutes } from './routes.js';
import { createWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from './worker.js';

export { EVENT_TYPES, EVENT_TYPE_PREFIXES, type EventType, type EventMessage } from './schema.js';
export { signPayload, verifySignature, DEFAULT_TOLERANCE_SECONDS, type SignatureCheck } from './signing.js';
export { fanOut, matchesEventType } from './service.js';
export { claimDeliveries, createWebhookWorker, type WebhookWorker, type WebhookWorkerOptions, type PassReport } from './worker.js';

export interface Webhooks extends YakubaModule {
  /** The delivery worker; `start()`/`stop()` of the module run it. */
  worker: WebhookWorker;
}

export function createWebhooks(ctx: ModuleContext & { access: Access }, opts: WebhookWorkerOptions = {}): Webhooks {
  const worker = createWebhookWorker(ctx, opts);
  ctx.access.addStaffLink({ href: '/staff/webhooks', label: 'nav.webhooks', roles: ['administrator', 'auditor'] });
  registerNav({ href: '/staff/webhooks', label: 'nav.webhooks', audience: 'staff', roles: ['administrator', 'auditor'] });
  return {
    name: 'webhooks',
    routes: (app) => registerWebhookRoutes(app, ctx),
    start: () => worker.start(),
    stop: () => worker.stop(),
    worker,
  };
}
