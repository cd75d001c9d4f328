/**
 * events — the hub's change feed: `GET /api/v1/events?after=` pages through the outbox in
 * commit order. Events carry ids and change types, never names; reading them is audited
 * because they say which persons changed.
 */
import { Type } from 'typebox';
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import { readEvents, sequenceEvents } from '../../platform/outbox.js';
import { recordAccess } from '../../platform/audit.js';
import type { Access } from '../access/index.js';

export const FEED_PURPOSES = ['registry-maintenance', 'application-review', 'disaster-support'];

export function createEvents(ctx: ModuleContext & { access: Access }): YakubaModule {
  const { db, access } = ctx;
  return {
    name: 'events',
    routes(app) {
      app.get(
        '/api/v1/events',
        {
          schema: {
            tags: ['events'],
            summary: 'The change feed: events after a position, in commit order',
            security: [{ bearer: [] }, { session: [] }],
            querystring: Type.Object(
              {
                after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'last position already seen' })),
                limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
                types: Type.Optional(Type.String({ maxLength: 500, pattern: '^[a-z.,-]+$', description: 'comma-separated event types' })),
              },
              { additionalProperties: false },
            ),
            response: {
              200: Type.Object({
                items: Type.Array(
                  Type.Object({
                    position: Type.Integer(),
                    type: Type.String(),
                    subjectIds: Type.Array(Type.String()),
                    occurredAt: Type.String({ format: 'date-time' }),
                    data: Type.Record(Type.String(), Type.Unknown()),
                  }),
                ),
                next: Type.Integer({ description: 'pass as `after` to continue' }),
              }),
            },
          },
        },
        async (req) => {
          const actx = access.authorizeAccess(req, { purposes: FEED_PURPOSES, kinds: ['staff', 'client'] });
          const after = req.query.after ?? 0;
          await sequenceEvents(db);
          const types = req.query.types?.split(',').filter(Boolean);
          return db.transaction(async (tx) => {
            const events = await readEvents(tx, { after, limit: req.query.limit ?? 100, types });
            const subjects = [...new Set(events.flatMap((e) => e.subjectIds))];
            await recordAccess(tx, access.auditEntry(actx, 'events.read', subjects, ['changeType']));
            return {
              items: events.map((e) => ({ position: e.position, type: e.type, subjectIds: e.subjectIds, occurredAt: e.occurredAt.toISOString(), data: e.payload })),
              next: events.length > 0 ? events[events.length - 1]!.position : after,
            };
          });
        },
      );
    },
  };
}
