/**
 * The lottery API: anyone reads a round — its slots, the entries (ids only), and after the
 * draw the seed, the inputs and the winners — and can have the server re-run the draw;
 * residents apply and withdraw; the facilities desk opens, draws and cancels rounds.
 */
import { Type, type TSchema } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { AccessContext } from '../access/index.js';
import { applyForSlot, cancelRound, drawRound, openRound, publicRound, rerun, withdrawEntry } from './lottery.js';
import { loadFacilities, loadFacilityById } from './facility-store.js';
import * as store from './lottery-store.js';
import type { ReservationsRuntime } from './runtime.js';

export const PURPOSE = 'facility-booking';
const TAGS = ['reservations'];
const SESSION: { [k: string]: string[] }[] = [{ session: [] }];
const STAFF: { [k: string]: string[] }[] = [{ session: [] }, { bearer: [] }];
const Uuid = Type.String({ format: 'uuid' });
const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const DrawSlot = Type.Object({ key: Type.String(), unit: Type.String(), claims: Type.Array(Type.String()), start: Time, end: Time });
const DrawInputsSchema = Type.Object({
  algorithm: Type.String(),
  roundId: Uuid,
  maxWins: Type.Integer(),
  slots: Type.Array(DrawSlot),
  unavailable: Type.Array(Type.String()),
  entries: Type.Array(Type.Object({ id: Uuid, slot: Type.String(), booker: Type.String({ description: 'a pseudonym of the booker in this round (b1, b2 …)' }) })),
});
const DrawLine = Type.Object({ entry: Uuid, ticket: Type.String(), outcome: Type.Enum(['won', 'lost']), because: Type.Optional(Type.Enum(['slot-unavailable', 'slot-taken', 'booker-limit'])) });

export const RoundSchema = Type.Object({
  id: Uuid,
  facility: Type.Object({ code: Type.String(), name: Type.String() }),
  name: Type.String(),
  state: Type.Enum(['open', 'drawn', 'cancelled']),
  appliesFrom: Time,
  appliesUntil: Time,
  drawsAt: Time,
  holdHours: Type.Integer(),
  maxWins: Type.Integer(),
  slots: Type.Array(Type.Object({ key: Type.String(), unit: Type.String(), unitName: Type.String(), start: Time, end: Time, entries: Type.Integer({ description: 'how many applied' }) })),
  entries: Type.Array(Type.Object({ id: Uuid, slot: Type.String(), booker: Type.Optional(Type.String()), outcome: Type.Optional(Type.Enum(['won', 'lost'])) })),
  draw: Nullable(
    Type.Object({
      algorithm: Type.String(),
      seed: Type.String({ description: '32 random bytes in hex, chosen at the draw' }),
      drawnAt: Time,
      inputsDigest: Type.String({ description: 'SHA-256 of the canonical inputs' }),
      inputs: DrawInputsSchema,
      order: Type.Array(DrawLine),
      winners: Type.Array(Uuid),
    }),
  ),
});

const RoundSummary = Type.Object({ id: Uuid, facility: Type.String(), name: Type.String(), state: Type.Enum(['open', 'drawn', 'cancelled']), appliesFrom: Time, appliesUntil: Time, drawsAt: Time });

const EntrySchema = Type.Object({ id: Uuid, roundId: Uuid, unit: Type.String(), start: Time, end: Time, people: Type.Integer(), state: Type.Enum(['entered', 'won', 'lost', 'withdrawn']), bookingId: Nullable(Uuid) });

const NewRoundBody = Type.Object({
  facility: Type.String({ maxLength: 63 }),
  nameJa: Type.String({ minLength: 1, maxLength: 100 }),
  nameEn: Type.Optional(Type.String({ maxLength: 100 })),
  appliesFrom: Time,
  appliesUntil: Time,
  drawsAt: Time,
  holdHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 336 })),
  maxWins: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  pattern: Type.Optional(
    Type.Object({
      from: Type.String({ format: 'date' }),
      to: Type.String({ format: 'date' }),
      weekdays: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7 }),
      units: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 50 }),
    }),
  ),
  slots: Type.Optional(Type.Array(Type.Object({ unit: Type.String({ maxLength: 40 }), start: Time }), { minItems: 1, maxItems: 400 })),
});

const EntryBody = Type.Object({
  unit: Type.String({ maxLength: 40 }),
  start: Time,
  people: Type.Integer({ minimum: 1, maximum: 10000 }),
  purposeOfUse: Type.Optional(Type.String({ maxLength: 200 })),
  reduction: Type.Optional(Type.String({ maxLength: 40 })),
  groupId: Type.Optional(Uuid),
  contactEmail: Type.Optional(Type.String({ maxLength: 320, format: 'email' })),
});

const entryJson = (e: store.EntryRow, unitCode: string) => ({
  id: e.id, roundId: e.round_id, unit: unitCode, start: e.starts_at.toISOString(), end: e.ends_at.toISOString(), people: e.people, state: e.state, bookingId: e.booking_id,
});

export function registerLotteryApi(app: App, rt: ReservationsRuntime): void {
  const staff = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [PURPOSE] });
  const resident = (req: FastifyRequest): AccessContext => rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'], defaultPurpose: 'self-service' });
  const roundOr404 = async (id: string) => {
    const r = await store.findRound(rt.db, id);
    if (!r) throw notFound(`lottery ${id}`);
    return r;
  };
  const P = '/api/v1/reservations/lotteries';

  app.get(P, { schema: { tags: TAGS, summary: 'Lottery rounds (抽選): the open ones and those of the last 90 days', response: { 200: Type.Object({ items: Type.Array(RoundSummary) }) } } }, async (req) => {
    const rows = await store.listRounds(rt.db, { since: new Date(rt.now().getTime() - 90 * 86_400_000) });
    const fs = await loadFacilities(rt.db, { ids: [...new Set(rows.map((r) => r.facility_id))], includeInactive: true });
    return {
      items: rows.map((r) => ({
        id: r.id, facility: fs.find((f) => f.id === r.facility_id)?.code ?? '', name: req.locale === 'en' ? r.name_en : r.name_ja, state: r.state,
        appliesFrom: r.applies_from.toISOString(), appliesUntil: r.applies_until.toISOString(), drawsAt: r.draws_at.toISOString(),
      })),
    };
  });

  app.get(
    `${P}/:id`,
    {
      schema: {
        tags: TAGS,
        summary: 'A lottery round: slots, entries (ids only, no names), and after the draw its seed, inputs and winners',
        description: 'Anyone can re-run the draw from `draw.seed` and `draw.inputs`: each entry’s ticket is HMAC-SHA256(seed, entry id); entries are taken in ticket order; an entry wins unless its slot was unavailable, a winner before it claimed one of its units at an overlapping time, or its booker has won `maxWins` slots.',
        params: Type.Object({ id: Uuid }),
        response: { 200: RoundSchema },
      },
    },
    async (req) => publicRound(rt, rt.db, await roundOr404(req.params.id), req.locale),
  );

  app.get(
    `${P}/:id/verification`,
    {
      schema: {
        tags: TAGS,
        summary: 'Re-runs a drawn round from its stored seed and inputs and compares the winners',
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Object({ roundId: Uuid, algorithm: Type.String(), seed: Type.String(), inputsDigest: Type.String(), digestMatches: Type.Boolean(), winners: Type.Array(Uuid), sameWinners: Type.Boolean() }) },
      },
    },
    async (req) => {
      const round = await roundOr404(req.params.id);
      const r = rerun(round);
      if (!r) throw notFound(`the draw of lottery ${round.id} (not drawn)`);
      return { roundId: round.id, algorithm: r.stored.algorithm, seed: round.seed!, inputsDigest: r.stored.inputsDigest, digestMatches: r.digestMatches, winners: r.rerun.winners, sameWinners: r.sameWinners };
    },
  );

  app.post(
    P,
    {
      schema: {
        tags: TAGS,
        summary: 'Open a lottery round (the facilities desk): slots by pattern (dates, weekdays, units) or listed',
        description: '409 `reason: slot-taken` when a slot is booked or closed, `slot-in-other-round` when another open round has it; 422 `rule: lottery-not-offered` for a facility not let by lottery.',
        security: STAFF,
        body: NewRoundBody,
        response: { 201: RoundSchema },
      },
    },
    async (req, reply) => {
      const ctx = staff(req);
      const b = req.body;
      const round = await openRound(rt, ctx, { ...b, appliesFrom: new Date(b.appliesFrom), appliesUntil: new Date(b.appliesUntil), drawsAt: new Date(b.drawsAt) });
      return reply.code(201).send(await publicRound(rt, rt.db, round, req.locale));
    },
  );

  app.post(
    `${P}/:id/draw`,
    {
      schema: {
        tags: TAGS,
        summary: 'Draw a round now (the desk; the worker draws at `drawsAt`): winners get a held booking and a mail',
        description: '422 `rule: lottery-applications-open` before applications close; 409 when drawn or cancelled already.',
        security: STAFF,
        params: Type.Object({ id: Uuid }),
        response: { 200: RoundSchema },
      },
    },
    async (req) => {
      const ctx = staff(req);
      const d = await drawRound(rt, req.params.id, { staffId: ctx.principal.id });
      return publicRound(rt, rt.db, d.round, req.locale);
    },
  );

  app.post(
    `${P}/:id/cancellation`,
    { schema: { tags: TAGS, summary: 'Cancel an open round (the desk): its slots become bookable first come', security: STAFF, params: Type.Object({ id: Uuid }), response: { 204: Type.Null() } } },
    async (req, reply) => {
      await cancelRound(rt, staff(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${P}/:id/entries`,
    {
      schema: {
        tags: TAGS,
        summary: 'Apply for a slot of an open round (a signed-in resident; alone or for a registered group they represent)',
        description: '409 `reason: already-entered`; 422 `rule: lottery-not-accepting` outside the application window, `lottery-entry-limit`, and the booking rules over-capacity, reduction-not-eligible, group-not-approved.',
        security: SESSION,
        params: Type.Object({ id: Uuid }),
        body: EntryBody,
        response: { 201: EntrySchema },
      },
    },
    async (req, reply) => {
      const ctx = resident(req);
      const e = await applyForSlot(rt, ctx, ctx.principal.id, req.params.id, { ...req.body, locale: req.locale });
      return reply.code(201).send(entryJson(e, req.body.unit));
    },
  );

  app.get(
    `${P}/:id/entries`,
    { schema: { tags: TAGS, summary: 'The signed-in resident’s entries in a round', security: SESSION, params: Type.Object({ id: Uuid }), response: { 200: Type.Object({ items: Type.Array(EntrySchema) }) } } },
    async (req) => {
      const ctx = resident(req);
      const round = await roundOr404(req.params.id);
      const f = (await loadFacilityById(rt.db, round.facility_id))!;
      return rt.db.transaction(async (tx) => {
        const rows = await store.entriesOfPerson(tx, ctx.principal.id, round.id);
        await recordAccess(tx, rt.access.auditEntry(ctx, 'lottery.read', [ctx.principal.id], ['lottery-entry']));
        return { items: rows.map((e) => entryJson(e, f.units.find((u) => u.id === e.unit_id)?.code ?? '')) };
      });
    },
  );

  app.delete(
    `${P}/:id/entries/:entryId`,
    { schema: { tags: TAGS, summary: 'Withdraw an entry while applications are open', security: SESSION, params: Type.Object({ id: Uuid, entryId: Uuid }), response: { 204: Type.Null() } } },
    async (req, reply) => {
      await withdrawEntry(rt, resident(req), req.params.entryId);
      return reply.code(204).send(null);
    },
  );
}
