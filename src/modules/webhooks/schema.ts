/**
 * Webhook subscriptions and deliveries as the API shows them. One TypeBox schema per
 * thing: it validates requests, types the code and documents the OpenAPI.
 */
import { Type, type Static } from 'typebox';

/** The hub events a spoke may subscribe to. The registry module emits exactly these. */
export const EVENT_TYPES = [
  'registry.person.moved-in',
  'registry.person.moved-out',
  'registry.person.moved-within',
  'registry.person.born',
  'registry.person.died',
  'registry.person.name-changed',
  'registry.household.changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Every prefix of a known type that ends at a dot, as `registry.*`, `registry.person.*`. */
export const EVENT_TYPE_PREFIXES: readonly string[] = [
  ...new Set(
    EVENT_TYPES.flatMap((type) => {
      const parts = type.split('.');
      return parts.slice(1).map((_, i) => `${parts.slice(0, i + 1).join('.')}.*`);
    }),
  ),
];

/** What `eventTypes` may hold: a known type, or a prefix ending in `.*`. */
export const EVENT_TYPE_PATTERNS: readonly string[] = [...EVENT_TYPES, ...EVENT_TYPE_PREFIXES];

/** `cancelled`: never sent, because its subscription was deactivated (lastError says why). */
export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'dead', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CreateSubscriptionBody = Type.Object(
  {
    url: Type.String({
      minLength: 8,
      maxLength: 2000,
      pattern: '^https?://[^\\s]+$',
      description:
        'absolute URL the hub POSTs events to; unless the hub allows private targets (not by default in production): https to a public host, no localhost, loopback, private, link-local or CGNAT address',
    }),
    eventTypes: Type.Array(Type.Enum([...EVENT_TYPE_PATTERNS]), {
      minItems: 1,
      maxItems: 50,
      description: `known event types, or a prefix ending in ".*" (${EVENT_TYPE_PREFIXES.join(', ')})`,
    }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CreateSubscription = Static<typeof CreateSubscriptionBody>;

const Timestamp = Type.String({ format: 'date-time' });

export const SubscriptionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Type.Union([Type.String(), Type.Null()]),
  owner: Type.Object({ kind: Type.Union([Type.Literal('client'), Type.Literal('staff')]), id: Type.String() }),
  createdAt: Timestamp,
  active: Type.Boolean(),
  deactivatedReason: Type.Union([Type.String(), Type.Null()], {
    description: 'why an inactive subscription stopped: "unsubscribed" (deleted by its owner) or "grant-revoked" (the owner lost the account or the purpose)',
  }),
});
export type SubscriptionView = Static<typeof SubscriptionSchema>;

export const CreatedSubscriptionSchema = Type.Object({
  ...SubscriptionSchema.properties,
  secret: Type.String({
    description: 'HMAC-SHA256 key for the yakuba-signature header (base64url, 32 bytes). Shown only in this response.',
  }),
});

export const SubscriptionListSchema = Type.Object({ items: Type.Array(SubscriptionSchema) });

export const DeliveryQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum([...DELIVERY_STATUSES])),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'opaque; from nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);

export const DeliverySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  eventPosition: Type.Integer(),
  eventType: Type.String(),
  status: Type.Enum([...DELIVERY_STATUSES]),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()], { description: 'when the next try is due (pending only)' }),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastDurationMs: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Timestamp,
  deliveredAt: Type.Union([Timestamp, Type.Null()]),
});
export type DeliveryView = Static<typeof DeliverySchema>;

export const DeliveryPageSchema = Type.Object({
  items: Type.Array(DeliverySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as ?cursor= for the next page; null at the end' }),
});

/** The JSON body POSTed to a receiver. Signed as described in signing.ts. */
export const EventMessageSchema = Type.Object({
  id: Type.String({ format: 'uuid', description: 'the delivery id: the same on every retry, use it to de-duplicate' }),
  type: Type.String(),
  position: Type.Integer({ description: 'the event position in the hub feed; deliveries may arrive out of order, so order by this' }),
  occurredAt: Timestamp,
  subjectIds: Type.Array(Type.String({ format: 'uuid' })),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type EventMessage = Static<typeof EventMessageSchema>;
