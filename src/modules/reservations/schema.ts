/** The reservations API's schemas: one TypeBox schema per thing validates, types and documents it. */
import { Type, type Static, type TSchema } from 'typebox';
import { SLOT_STATUSES } from './calendar.js';
import { STATES } from './states.js';

const Code = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', maxLength: 63 });
const Uuid = Type.String({ format: 'uuid' });
const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CodeParams = Type.Object({ code: Code });
export const IdParams = Type.Object({ id: Uuid });

export const Methods = Type.Enum(['card', 'qr', 'konbini']);

export const UnitSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  hourlyFee: Type.Integer({ description: 'resident price per hour, yen' }),
  capacity: Type.Integer(),
  /** Codes of the units it is made of (a full court), else empty. */
  parts: Type.Array(Type.String()),
});

export const FacilitySummary = Type.Object({
  code: Type.String(),
  kind: Type.Enum(['room', 'gym', 'court', 'hall', 'bus']),
  name: Type.String(),
  nameEn: Type.String(),
  place: Type.String(),
  lottery: Type.Boolean(),
});

export const FacilityDetail = Type.Object({
  ...FacilitySummary.properties,
  description: Type.String(),
  capacity: Type.Integer(),
  slotMinutes: Type.Integer(),
  hours: Type.Array(Type.Object({ weekday: Type.Integer({ minimum: 0, maximum: 6, description: '0 Sunday … 6 Saturday' }), opens: Type.String(), closes: Type.String() })),
  periods: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), starts: Type.String(), ends: Type.String() })),
  units: Type.Array(UnitSchema),
  rules: Type.Object({
    residentWindowDays: Type.Integer({ description: 'residents (and registered groups) may book this many days before the day of use' }),
    nonresidentWindowDays: Type.Integer({ description: 'people from outside the town, this many days before' }),
    windowOpensAt: Type.String({ description: 'HH:MM in Japan on that day' }),
    closesMinutesBefore: Type.Integer(),
    holdMinutes: Type.Integer({ description: 'an unpaid provisional booking is held this long' }),
    konbiniHoldHours: Type.Integer(),
    cancelDeadlineDays: Type.Integer({ description: 'cancelling online is possible until this many days before the day of use' }),
    cancellation: Type.Array(Type.Object({ daysBefore: Type.Integer(), refundPercent: Type.Integer() })),
    nonresidentSurchargePercent: Type.Integer(),
    maxActivePerBooker: Type.Integer(),
  }),
});

export const ReductionSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  percent: Type.Integer(),
  basis: Type.Enum(['register-age', 'declared', 'group']),
  proof: Type.String(),
});

export const AvailabilityQuery = Type.Object({
  from: Type.String({ format: 'date', description: 'first day (Japan)' }),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31, default: 7 })),
  as: Type.Optional(Type.Enum(['resident', 'non-resident'], { description: 'whose booking window to show (default resident)' })),
});

const SlotSchema = Type.Object({ start: Time, end: Time, status: Type.Enum([...SLOT_STATUSES]), opensAt: Type.Optional(Time), period: Type.Optional(Type.String()) });

export const Availability = Type.Object({
  facility: Type.String(),
  from: Type.String(),
  days: Type.Integer(),
  units: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), days: Type.Array(Type.Object({ date: Type.String(), slots: Type.Array(SlotSchema) })) })),
  trips: Type.Array(
    Type.Object({
      id: Uuid, departs: Time, returns: Time, route: Type.String(), fare: Type.Integer(), seats: Type.Integer(), free: Type.Integer(),
      status: Type.Enum([...SLOT_STATUSES]), opensAt: Type.Optional(Time),
    }),
  ),
});

export const BookingBody = Type.Object(
  {
    facility: Code,
    unit: Type.Optional(Code),
    trip: Type.Optional(Uuid),
    start: Type.Optional(Type.String({ format: 'date-time', description: 'the start of the slot (rooms, courts, halls)' })),
    people: Type.Integer({ minimum: 1, maximum: 10000 }),
    purposeOfUse: Type.Optional(Type.String({ maxLength: 200 })),
    reduction: Type.Optional(Type.String({ maxLength: 40 })),
    groupId: Type.Optional(Uuid),
    contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    contactPhone: Type.Optional(Type.String({ maxLength: 30, pattern: '^[0-9+() -]*$' })),
    personId: Type.Optional(Type.String({ format: 'uuid', description: 'staff only: the resident booked for' })),
    nonResident: Type.Optional(Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false, description: 'staff only: someone from outside the town' })),
  },
  { additionalProperties: false },
);
export type BookingBodyT = Static<typeof BookingBody>;

export const WaitBody = Type.Object(
  {
    facility: Code,
    unit: Type.Optional(Code),
    trip: Type.Optional(Uuid),
    start: Type.Optional(Type.String({ format: 'date-time' })),
    people: Type.Integer({ minimum: 1, maximum: 10000 }),
    purposeOfUse: Type.Optional(Type.String({ maxLength: 200 })),
    reduction: Type.Optional(Type.String({ maxLength: 40 })),
    groupId: Type.Optional(Uuid),
    contactEmail: Type.String({ format: 'email', maxLength: 320, description: 'where the offer is told when your turn comes (required: an offer is held only for a while)' }),
  },
  { additionalProperties: false },
);

export const BookingSchema = Type.Object({
  id: Uuid,
  reference: Type.String(),
  state: Type.Enum([...STATES]),
  facility: Type.Object({ code: Type.String(), kind: Type.String(), name: Type.String(), place: Type.String() }),
  unit: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  trip: Nullable(Type.Object({ id: Type.String(), route: Type.String() })),
  start: Time,
  end: Time,
  people: Type.Integer(),
  purposeOfUse: Type.String(),
  bookerKind: Type.Enum(['resident', 'non-resident']),
  personId: Nullable(Type.String()),
  groupId: Nullable(Type.String()),
  fee: Type.Object({ base: Type.Integer(), surcharge: Type.Integer(), reductionCode: Nullable(Type.String()), reduction: Type.Integer(), amount: Type.Integer() }),
  paidBy: Nullable(Type.Enum(['online', 'counter', 'free'])),
  paidAt: Nullable(Time),
  holdUntil: Nullable(Time),
  cancellation: Type.Object({ allowed: Type.Boolean(), lastDate: Type.String(), refundPercent: Type.Integer(), refund: Type.Integer() }),
  refundAmount: Nullable(Type.Integer()),
  refunds: Type.Array(Type.Object({ amount: Type.Integer(), state: Type.String(), reason: Type.String() })),
  payments: Type.Array(Type.Object({ id: Type.String(), method: Type.String(), state: Type.String() })),
  version: Type.Integer(),
});

export const PaymentBody = Type.Object({ method: Methods }, { additionalProperties: false });
export const PaymentAnswer = Type.Object({ paymentId: Uuid, nextUrl: Type.String(), holdUntil: Time });

export const CancelBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 200 })), version: Type.Optional(Type.Integer({ minimum: 0 })), fullRefund: Type.Optional(Type.Boolean({ description: 'staff: give back everything paid (default true)' })) },
  { additionalProperties: false },
);
export const CancelAnswer = Type.Object({ booking: BookingSchema, refund: Type.Integer(), refundBy: Type.Enum(['payment', 'counter', 'none']) });

export const WaitSchema = Type.Object({
  id: Uuid,
  facility: Type.String(),
  unit: Nullable(Type.String()),
  trip: Nullable(Type.String()),
  start: Time,
  end: Time,
  state: Type.Enum(['waiting', 'offered', 'booked', 'lapsed', 'withdrawn']),
  place: Nullable(Type.Integer({ description: 'place in line while waiting (1: next)' })),
  offeredBookingId: Nullable(Type.String()),
  createdAt: Time,
});

export const GroupBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    members: Type.Integer({ minimum: 2, maximum: 10000 }),
    activity: Type.String({ minLength: 1, maxLength: 500 }),
    contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  },
  { additionalProperties: false },
);

export const GroupSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  members: Type.Integer(),
  activity: Type.String(),
  state: Type.Enum(['applied', 'approved', 'rejected', 'withdrawn']),
  reduction: Nullable(Type.String()),
  representativeId: Type.String(),
  createdAt: Time,
  decidedAt: Nullable(Time),
});

export const DecisionBody = Type.Object(
  { decision: Type.Enum(['approve', 'reject']), reduction: Type.Optional(Type.String({ maxLength: 40 })), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
