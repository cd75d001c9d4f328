/** Server-rendered pages of the registry: staff search and resident file, and the resident's own page. */
import { Type } from 'typebox';
import type { App } from '../../platform/http/app.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { RegistryRuntime } from './runtime.js';
import { isSearchCursor, READ_PURPOSES, readContext } from './routes.js';
import * as service from './service.js';
import { readResidentFile } from './resident-file.js';
import { SearchPage } from './views/search.js';
import { MePage, StaffPersonPage } from './views/pages.js';

const STAFF_PURPOSES = READ_PURPOSES.filter((p) => p !== 'self-service');

export function registerRegistryPages(app: App, rt: RegistryRuntime): void {
  const { db, access, keys } = rt;

  app.get(
    '/staff/residents',
    {
      config: { page: true },
      schema: {
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          status: Type.Optional(Type.String({ maxLength: 10 })),
          cursor: Type.Optional(Type.String({ maxLength: 1000 })),
          lang: Type.Optional(Type.String({ maxLength: 10 })),
        }),
      },
    },
    async (req, reply) => {
      if (!access.staffPage(req, reply, { needPurpose: true })) return reply;
      const q = (req.query.q ?? '').trim();
      const includeAll = req.query.status === 'all';
      const state = { q, includeAll, items: undefined as service.SearchHitView[] | undefined, nextHref: undefined as string | undefined, error: undefined as string | undefined };
      if ('q' in req.query && q === '') state.error = req.t('registry.search.required');
      if (q) {
        const ctx = readContext(access, req, { purposes: STAFF_PURPOSES, kinds: ['staff'] });
        const after = req.query.cursor ? decodeCursor(keys.cursor, req.query.cursor, isSearchCursor) : undefined;
        const page = await service.searchPersons(db, ctx, q, { includeAll, after, limit: 50 });
        state.items = page.items;
        if (page.last) {
          const params = new URLSearchParams({ q, ...(includeAll ? { status: 'all' } : {}), cursor: encodeCursor(keys.cursor, page.last) });
          state.nextHref = `/staff/residents?${params.toString()}`;
        }
      }
      return sendPage(reply, SearchPage({ ctx: pageContext(req), s: state }), state.error ? 400 : 200);
    },
  );

  app.get('/staff/residents/:id', { config: { page: true }, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } }, async (req, reply) => {
    const staff = access.staffPage(req, reply, { needPurpose: true });
    if (!staff) return reply;
    const ctx = readContext(access, req, { purposes: STAFF_PURPOSES, kinds: ['staff'] });
    const file = await readResidentFile(db, ctx, req.params.id);
    return sendPage(reply, StaffPersonPage({ ctx: pageContext(req), file, purpose: ctx.purpose }));
  });

  app.get('/me', { config: { page: true } }, async (req, reply) => {
    const p = req.principal;
    if (p?.kind !== 'resident') return reply.redirect('/auth/sign-in?next=/me', 303);
    const ctx = readContext(access, req, { purposes: ['self-service'], kinds: ['resident'] });
    const file = await readResidentFile(db, ctx, p.id);
    return sendPage(reply, MePage({ ctx: pageContext(req), file }));
  });
}
