/** The subscriptions API for spokes and staff, and the staff page of deliveries. */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import type { ModuleContext } from '../../platform/module.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { Access, AccessContext } from '../access/index.js';
import * as service from './service.js';
import * as store from './store.js';
import {
  CreatedSubscriptionSchema,
  CreateSubscriptionBody,
  DeliveryPageSchema,
  DeliveryQuery,
  IdParams,
  SubscriptionListSchema,
  SubscriptionSchema,
} from './schema.js';
import { WebhooksPage } from './views/pages.js';

/** Events carry person ids: subscribing and reading deliveries name one of these purposes. */
export const SUBSCRIPTION_PURPOSES = ['registry-maintenance', 'application-review', 'disaster-support'] as const;
export const PAGE_ROLES = ['administrator', 'auditor'];
export const RETRY_ROLES = ['administrator'];
const RECENT_DELIVERIES = 100;

const tags = ['webhooks'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
const PurposeHeader = Type.Object({
  'x-purpose': Type.Optional(Type.String({ maxLength: 64, description: `purpose of this access: ${SUBSCRIPTION_PURPOSES.join(', ')}` })),
});

export function registerWebhookRoutes(app: App, ctx: ModuleContext & { access: Access }): void {
  const { db, access } = ctx;

  // Who and why are checked before the request body is looked at.
  const granted = new WeakMap<FastifyRequest, AccessContext>();
  const authorize = async (req: FastifyRequest) => {
    granted.set(req, access.authorizeAccess(req, { purposes: SUBSCRIPTION_PURPOSES, kinds: ['client', 'staff'] }));
  };
  const accessOf = (req: FastifyRequest): AccessContext => {
    const found = granted.get(req);
    if (!found) throw new Error('webhook route without its authorize hook');
    return found;
  };

  app.post(
    '/api/v1/subscriptions',
    {
      preValidation: authorize,
      schema: {
        tags,
        security,
        summary: 'Subscribe a receiver URL to hub events (the secret is shown only in this answer)',
        headers: PurposeHeader,
        body: CreateSubscriptionBody,
        response: { 201: CreatedSubscriptionSchema },
      },
    },
    async (req, reply) => {
      const grant = accessOf(req);
      const audit = access.auditEntry(grant, 'subscription.create', [], []);
      const { subscription, secret } = await service.createSubscription(db, grant.principal, req.body, audit, ctx.config.webhook, ctx.config.secret);
      return reply
        .status(201)
        .header('location', `/api/v1/subscriptions/${subscription.id}`)
        .header('cache-control', 'no-store')
        .send({ ...subscription, secret });
    },
  );

  app.get(
    '/api/v1/subscriptions',
    {
      preValidation: authorize,
      schema: { tags, security, summary: "The caller's subscriptions (staff: all)", headers: PurposeHeader, response: { 200: SubscriptionListSchema } },
    },
    async (req) => ({ items: await service.listVisibleSubscriptions(db, accessOf(req).principal) }),
  );

  app.get(
    '/api/v1/subscriptions/:id',
    {
      preValidation: authorize,
      schema: { tags, security, summary: 'One subscription', headers: PurposeHeader, params: IdParams, response: { 200: SubscriptionSchema } },
    },
    async (req) => service.toSubscriptionView(await service.findVisibleSubscription(db, accessOf(req).principal, req.params.id)),
  );

  app.delete(
    '/api/v1/subscriptions/:id',
    {
      preValidation: authorize,
      schema: {
        tags,
        security,
        summary: 'Deactivate a subscription: nothing more is sent to it',
        headers: PurposeHeader,
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await service.deactivateSubscription(db, accessOf(req).principal, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/subscriptions/:id/deliveries',
    {
      preValidation: authorize,
      schema: {
        tags,
        security,
        summary: 'Deliveries of one subscription, newest event first (cursor pagination)',
        headers: PurposeHeader,
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryPageSchema },
      },
    },
    async (req) => service.listSubscriptionDeliveries(db, accessOf(req).principal, req.params.id, req.query),
  );

  // ---- staff page ----------------------------------------------------------------------

  app.get('/staff/webhooks', { config: { page: true } }, async (req, reply) => {
    const staff = access.staffPage(req, reply, { roles: PAGE_ROLES });
    if (!staff) return reply;
    const [subscriptions, deliveries] = await Promise.all([
      store.listSubscriptions(db, undefined),
      store.recentDeliveries(db, RECENT_DELIVERIES),
    ]);
    const retried = (req.query as { retried?: unknown }).retried === '1';
    const canRetry = RETRY_ROLES.some((r) => staff.roles.includes(r));
    return sendPage(
      reply,
      WebhooksPage({ ctx: pageContext(req), subscriptions, deliveries, deliveryLimit: RECENT_DELIVERIES, canRetry, retried }),
    );
  });

  app.post(
    '/staff/webhooks/deliveries/:id/retry',
    {
      config: { page: true },
      schema: { params: IdParams, body: Type.Object({ _csrf: Type.Optional(Type.String()) }, { additionalProperties: false }) },
    },
    async (req, reply) => {
      const staff = access.staffPage(req, reply, { roles: RETRY_ROLES });
      if (!staff) return reply;
      await service.retryDeadDelivery(db, req.params.id);
      return reply.redirect('/staff/webhooks?retried=1', 303);
    },
  );
}
