/** The registry's HTTP API: thin routes — authorize, validate, call the service, answer. */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { decodeCursor, encodeCursor, limitParam } from '../../platform/http/pagination.js';
import { validationError } from '../../platform/errors.js';
import type { Access } from '../access/index.js';
import { ChangeRecordSchema, ChangeResultSchema } from './changes-schema.js';
import { AddressSchema, DEFAULT_PERSON_FIELDS, PERSON_FIELDS, PersonSchema, type PersonField } from './schema.js';
import type { RegistryRuntime } from './runtime.js';
import * as service from './service.js';
import { applyChange } from './changes.js';

/** Purposes under which person records may be read at all. */
export const READ_PURPOSES = ['counter-service', 'application-review', 'application-intake', 'registry-maintenance', 'disaster-support', 'self-service'];
const Uuid = Type.String({ format: 'uuid' });
const purposeHeader = Type.Object({ 'x-purpose': Type.Optional(Type.String({ description: 'why the data is read (e.g. counter-service); required' })) });

export function parseFields(raw: string | undefined): PersonField[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_PERSON_FIELDS;
  const asked = raw.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = asked.filter((f) => !(PERSON_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    throw validationError(`unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.map((f) => f.slice(0, 40)).join(', ')}`, [
      { field: 'fields', message: `known fields: ${PERSON_FIELDS.join(', ')}` },
    ]);
  }
  return [...new Set(['id', ...asked])] as PersonField[];
}

function carriesMyNumber(c: { type: string }): boolean {
  const persons = 'persons' in c ? (c.persons as { myNumber?: string }[]) : 'person' in c ? [c.person as { myNumber?: string }] : [];
  return persons.some((p) => p.myNumber !== undefined);
}

export function readContext(access: Access, req: FastifyRequest, opts: Parameters<Access['authorizeAccess']>[1]): service.ReadContext {
  const ctx = access.authorizeAccess(req, opts);
  return { principal: ctx.principal, purpose: ctx.purpose, audit: (ids, fields, action) => access.auditEntry(ctx, action, ids, fields) };
}

export const isSearchCursor = (v: unknown): v is { k: string; id: string } =>
  typeof v === 'object' && v !== null && typeof (v as { k?: unknown }).k === 'string' && typeof (v as { id?: unknown }).id === 'string';

export function registerRegistryApi(app: App, rt: RegistryRuntime): void {
  const { db, access, keys } = rt;

  app.get(
    '/api/v1/persons',
    {
      schema: {
        tags: ['registry'],
        summary: 'Search persons by name, kana or birth date (a restricted record per hit)',
        security: [{ bearer: [] }, { session: [] }],
        headers: purposeHeader,
        querystring: Type.Object(
          {
            q: Type.String({ minLength: 1, maxLength: 100, description: '名前・カナ（前方一致）または生年月日（1950-04-01, 昭和25年4月1日, S25.4.1）' }),
            status: Type.Optional(Type.Union([Type.Literal('resident'), Type.Literal('all')], { default: 'resident' })),
            cursor: Type.Optional(Type.String({ maxLength: 1000 })),
            limit: Type.Optional(Type.Integer(limitParam)),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Uuid, familyName: Type.String(), givenName: Type.String(), familyNameKana: Type.String(), givenNameKana: Type.String(),
                birthDate: Type.String(), sex: Type.Integer(), status: Type.String(), town: Type.String(), demo: Type.Optional(Type.Boolean()),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()], { description: 'cursor of the next page, or null' }),
          }),
        },
      },
    },
    async (req) => {
      const ctx = readContext(access, req, { purposes: READ_PURPOSES.filter((p) => p !== 'self-service'), kinds: ['staff', 'client'] });
      const q = req.query;
      const after = q.cursor ? decodeCursor(keys.cursor, q.cursor, isSearchCursor) : undefined;
      const page = await service.searchPersons(db, ctx, q.q, { includeAll: q.status === 'all', after, limit: q.limit ?? 20 });
      return { items: page.items, next: page.last ? encodeCursor(keys.cursor, page.last) : null };
    },
  );

  app.get(
    '/api/v1/persons/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'One person; `fields` picks fields (myNumber only with a grant), `asOf` shows them on a past date',
        security: [{ bearer: [] }, { session: [] }],
        headers: purposeHeader,
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object(
          {
            fields: Type.Optional(Type.String({ maxLength: 500, description: `comma-separated: ${PERSON_FIELDS.join(', ')}` })),
            asOf: Type.Optional(Type.String({ format: 'date' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PersonSchema },
      },
    },
    async (req) => {
      const fields = parseFields(req.query.fields);
      const ctx = readContext(access, req, { purposes: READ_PURPOSES, fields, kinds: ['staff', 'client', 'resident'] });
      return service.readPerson(db, keys.field, ctx, req.params.id, fields, req.query.asOf);
    },
  );

  app.get(
    '/api/v1/persons/:id/history',
    {
      schema: {
        tags: ['registry'],
        summary: 'Who the person was and where, stretch by stretch',
        security: [{ bearer: [] }, { session: [] }],
        headers: purposeHeader,
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                validFrom: Type.String(), validTo: Type.Union([Type.String(), Type.Null()]), familyName: Type.String(), givenName: Type.String(),
                familyNameKana: Type.String(), givenNameKana: Type.String(), status: Type.String(), householdId: Type.Union([Type.String(), Type.Null()]),
                relationToHead: Type.String(), address: Type.Optional(AddressSchema), changeType: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const ctx = readContext(access, req, { purposes: READ_PURPOSES, kinds: ['staff', 'client', 'resident'] });
      return { items: await service.readHistory(db, ctx, req.params.id) };
    },
  );

  app.get(
    '/api/v1/households/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'A household: head, address and current members',
        security: [{ bearer: [] }, { session: [] }],
        headers: purposeHeader,
        params: Type.Object({ id: Uuid }),
      },
    },
    async (req) => {
      const ctx = readContext(access, req, { purposes: READ_PURPOSES, kinds: ['staff', 'client', 'resident'] });
      return service.readHousehold(db, ctx, req.params.id);
    },
  );

  app.post(
    '/api/v1/registry/changes',
    {
      schema: {
        tags: ['registry'],
        summary: 'Apply a change record (異動) from the core 住基 system: atomically, once per sourceRef',
        security: [{ bearer: [] }],
        headers: purposeHeader,
        body: ChangeRecordSchema,
        response: { 200: ChangeResultSchema, 201: ChangeResultSchema },
      },
    },
    async (req, reply) => {
      // Writing a 個人番号 needs the same grant as reading one.
      const fields = carriesMyNumber(req.body) ? ['myNumber'] : [];
      const ctx = access.authorizeAccess(req, { purposes: ['registry-maintenance'], fields, kinds: ['staff', 'client'] });
      const { result, replayed } = await applyChange(db, keys.field, req.body, (ids, fields) => access.auditEntry(ctx, 'registry.change', ids, fields), rt.today());
      return reply.status(replayed ? 200 : 201).header('location', `/api/v1/registry/changes/${result.id}`).send(result);
    },
  );
}
