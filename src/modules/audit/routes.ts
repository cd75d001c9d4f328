/** The audit trail over HTTP: auditors' API and page, and every resident's "who looked at my data". */
import { Type } from 'typebox';
import type { App } from '../../platform/http/app.js';
import type { Db } from '../../platform/db/db.js';
import { decodeCursor, encodeCursor, limitParam } from '../../platform/http/pagination.js';
import { findEntries, recordAccess, verifyChain, type AuditEntry, type AuditQuery } from '../../platform/audit.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { Access, AccessContext } from '../access/index.js';
import { AuditPage, MyAccessLogPage } from './views/audit-page.js';

const Uuid = Type.String({ format: 'uuid' });
const isSeqCursor = (v: unknown): v is { s: number } => typeof v === 'object' && v !== null && Number.isInteger((v as { s?: unknown }).s);

const EntrySchema = Type.Object({
  seq: Type.Integer(), at: Type.String({ format: 'date-time' }), actorType: Type.String(), actorId: Type.String(), actorName: Type.String(),
  role: Type.Union([Type.String(), Type.Null()]), purpose: Type.String(), action: Type.String(), subjectIds: Type.Array(Type.String()),
  fields: Type.Array(Type.String()), requestId: Type.Union([Type.String(), Type.Null()]), sourceIp: Type.Union([Type.String(), Type.Null()]),
  prevHash: Type.String(), hash: Type.String(),
});

const toJson = (e: AuditEntry) => ({ ...e, at: e.at.toISOString() });

/** Reading the trail is itself an access: recorded in the same transaction. */
async function readTrail(db: Db, access: Access, ctx: AccessContext, q: AuditQuery) {
  return db.transaction(async (tx) => {
    const rows = await findEntries(tx, { ...q, limit: q.limit + 1 });
    await recordAccess(tx, access.auditEntry(ctx, 'audit.read', q.personId ? [q.personId] : [], ['auditTrail']));
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { page, more: rows.length > q.limit && last ? last.seq : undefined };
  });
}

export function registerAuditRoutes(app: App, db: Db, access: Access, cursorKey: Buffer): void {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit entries, newest first (purpose: audit)',
        security: [{ bearer: [] }, { session: [] }],
        querystring: Type.Object(
          {
            personId: Type.Optional(Uuid),
            actorId: Type.Optional(Type.String({ maxLength: 100 })),
            purpose: Type.Optional(Type.String({ maxLength: 64 })),
            cursor: Type.Optional(Type.String({ maxLength: 1000 })),
            limit: Type.Optional(Type.Integer(limitParam)),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(EntrySchema), next: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const ctx = access.authorizeAccess(req, { purposes: ['audit'], kinds: ['staff', 'client'] });
      const q = req.query;
      const before = q.cursor ? decodeCursor(cursorKey, q.cursor, isSeqCursor).s : undefined;
      const { page, more } = await readTrail(db, access, ctx, { personId: q.personId, actorId: q.actorId, purpose: q.purpose, beforeSeq: before, limit: q.limit ?? 50 });
      return { items: page.map(toJson), next: more ? encodeCursor(cursorKey, { s: more }) : null };
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Walk the hash chain and name the first broken link',
        security: [{ bearer: [] }, { session: [] }],
        response: {
          200: Type.Object({ ok: Type.Boolean(), checked: Type.Integer(), brokenAt: Type.Optional(Type.Integer()), reason: Type.Optional(Type.String()) }),
        },
      },
    },
    async (req) => {
      const ctx = access.authorizeAccess(req, { purposes: ['audit'], kinds: ['staff', 'client'] });
      const report = await verifyChain(db);
      await db.transaction((tx) => recordAccess(tx, access.auditEntry(ctx, 'audit.read', [], ['auditChain'])));
      return report;
    },
  );

  app.get(
    '/api/v1/me/access-log',
    {
      schema: {
        tags: ['audit'],
        summary: "Who looked at the signed-in resident's data, when and why (their own looks left out)",
        security: [{ session: [] }],
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 1000 })), limit: Type.Optional(Type.Integer(limitParam)) }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const ctx = access.authorizeAccess(req, { purposes: ['self-service'], kinds: ['resident'] });
      const before = req.query.cursor ? decodeCursor(cursorKey, req.query.cursor, isSeqCursor).s : undefined;
      const { items, more } = await residentLog(db, access, ctx, before, req.query.limit ?? 50);
      return {
        items: items.map((e) => ({
          at: e.at.toISOString(),
          actorType: e.actorType,
          actor: e.actorType === 'staff' ? null : e.actorName,
          role: e.role,
          purpose: e.purpose,
          action: e.action,
          fields: e.fields,
        })),
        next: more ? encodeCursor(cursorKey, { s: more }) : null,
      };
    },
  );

  app.get('/staff/audit', { config: { page: true }, schema: { querystring: Type.Object({ personId: Type.Optional(Type.String({ maxLength: 100 })), actorId: Type.Optional(Type.String({ maxLength: 100 })), purpose: Type.Optional(Type.String({ maxLength: 64 })), cursor: Type.Optional(Type.String({ maxLength: 1000 })), verify: Type.Optional(Type.String({ maxLength: 5 })), lang: Type.Optional(Type.String({ maxLength: 10 })) }) } }, async (req, reply) => {
    if (!access.staffPage(req, reply, { roles: ['auditor'], needPurpose: true })) return reply;
    const ctx = access.authorizeAccess(req, { purposes: ['audit'], kinds: ['staff'] });
    const q = req.query;
    const personId = q.personId?.trim() || undefined;
    const validPerson = !personId || /^[0-9a-f-]{36}$/i.test(personId);
    const before = q.cursor ? decodeCursor(cursorKey, q.cursor, isSeqCursor).s : undefined;
    // Auditors may type a staff login; entries name staff by their account id.
    const actorInput = q.actorId?.trim() || undefined;
    const actorId = actorInput ? ((await access.findStaffId(actorInput)) ?? actorInput) : undefined;
    const { page, more } = validPerson
      ? await readTrail(db, access, ctx, { personId, actorId, purpose: q.purpose || undefined, beforeSeq: before, limit: 50 })
      : { page: [], more: undefined };
    const report = q.verify ? await verifyChain(db) : undefined;
    const params = new URLSearchParams({ ...(personId ? { personId } : {}), ...(q.actorId ? { actorId: q.actorId } : {}), ...(q.purpose ? { purpose: q.purpose } : {}) });
    const olderHref = more ? `/staff/audit?${params.toString()}&cursor=${encodeCursor(cursorKey, { s: more })}` : undefined;
    return sendPage(
      reply,
      AuditPage({ ctx: pageContext(req), entries: page, filter: { personId: personId ?? '', actorId: q.actorId ?? '', purpose: q.purpose ?? '' }, purposes: access.purposeCodes(), olderHref, report, personIdError: !validPerson }),
      validPerson ? 200 : 400,
    );
  });

  app.get('/me/access-log', { config: { page: true } }, async (req, reply) => {
    if (req.principal?.kind !== 'resident') return reply.redirect('/auth/sign-in?next=/me/access-log', 303);
    const ctx = access.authorizeAccess(req, { purposes: ['self-service'], kinds: ['resident'] });
    const { items } = await residentLog(db, access, ctx, undefined, 100);
    return sendPage(reply, MyAccessLogPage({ ctx: pageContext(req), entries: items, selfId: ctx.principal.id }));
  });
}

/** Entries about the resident, made by someone else. */
async function residentLog(db: Db, access: Access, ctx: AccessContext, beforeSeq: number | undefined, limit: number) {
  return db.transaction(async (tx) => {
    const self = ctx.principal.id;
    // The demo sign-in page lists fictional residents; that listing is recorded but is not
    // someone looking at this resident, so their own view leaves it out.
    const rows = await findEntries(tx, { personId: self, excludeActorId: self, excludeActions: ['demo.list'], beforeSeq, limit: limit + 1 });
    await recordAccess(tx, access.auditEntry(ctx, 'access-log.read', [self], ['accessLog']));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, more: rows.length > limit && last ? last.seq : undefined };
  });
}
