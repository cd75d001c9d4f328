/**
 * Change records (異動) as the core 住基 system sends them. One branch per type; Ajv's
 * discriminator on `type` reports errors of the matching branch only.
 */
import { Type, type Static, type TProperties } from 'typebox';
import { AddressSchema, NewPersonSchema } from './schema.js';

export const CHANGE_TYPES = ['move-in', 'move-out', 'move-within', 'birth', 'death', 'name-change', 'household-change'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

const Uuid = Type.String({ format: 'uuid' });
const common = {
  sourceRef: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:/-]+$', description: "the core system's id of this change; repeats are answered, not re-applied" }),
  effectiveDate: Type.String({ format: 'date', description: 'the day the change takes effect (異動日)' }),
};
function branch<K extends ChangeType, T extends TProperties>(type: K, props: T, description: string) {
  return Type.Object({ type: Type.Literal(type), ...common, ...props }, { additionalProperties: false, description });
}

export const MoveIn = branch(
  'move-in',
  {
    household: Type.Union([
      Type.Object({ id: Uuid }, { additionalProperties: false, description: 'join an existing household' }),
      Type.Object({ address: AddressSchema }, { additionalProperties: false, description: 'form a new household at this address' }),
    ]),
    persons: Type.Array(NewPersonSchema, { minItems: 1, maxItems: 30 }),
  },
  '転入: persons arrive, joining a household or forming one (exactly one 本人 when forming)',
);
export const MoveOut = branch(
  'move-out',
  { personIds: Type.Array(Uuid, { minItems: 1, maxItems: 30, uniqueItems: true }), newHeadId: Type.Optional(Uuid), destination: Type.Optional(Type.String({ maxLength: 300 })) },
  '転出: persons leave the town; name a new head when the head leaves others behind',
);
export const MoveWithin = branch('move-within', { householdId: Uuid, address: AddressSchema }, '転居: a household moves within the town');
export const Birth = branch('birth', { householdId: Uuid, person: NewPersonSchema }, '出生: a child is born into a household');
export const Death = branch('death', { personId: Uuid, newHeadId: Type.Optional(Uuid) }, '死亡: a person dies; name a new head when the head dies');
export const NameChange = branch(
  'name-change',
  {
    personId: Uuid,
    familyName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    givenName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    familyNameKana: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[\\u30A0-\\u30FF\\u3000 ]+$' })),
    givenNameKana: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[\\u30A0-\\u30FF\\u3000 ]+$' })),
  },
  '氏名変更: a name or its reading changes',
);
export const HouseholdChange = branch(
  'household-change',
  {
    personId: Uuid,
    toHouseholdId: Type.Optional(Uuid),
    newHousehold: Type.Optional(Type.Boolean()),
    relationToHead: Type.String({ minLength: 1, maxLength: 20 }),
    newHeadId: Type.Optional(Uuid),
    formerHeadRelation: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  },
  '世帯変更: a person moves to another household, forms their own, or becomes head of theirs',
);

export type MoveInChange = Static<typeof MoveIn>;
export type MoveOutChange = Static<typeof MoveOut>;
export type MoveWithinChange = Static<typeof MoveWithin>;
export type BirthChange = Static<typeof Birth>;
export type DeathChange = Static<typeof Death>;
export type NameChangeChange = Static<typeof NameChange>;
export type HouseholdChangeChange = Static<typeof HouseholdChange>;
export type ChangeRecord = MoveInChange | MoveOutChange | MoveWithinChange | BirthChange | DeathChange | NameChangeChange | HouseholdChangeChange;

export const ChangeRecordSchema = Type.Unsafe<ChangeRecord>({
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [MoveIn, MoveOut, MoveWithin, Birth, Death, NameChange, HouseholdChange],
  description: 'a change record (異動) from the core 住基 system',
});

export const ChangeResultSchema = Type.Object({
  id: Uuid,
  sourceRef: Type.String(),
  type: Type.String(),
  effectiveDate: Type.String(),
  personIds: Type.Array(Uuid),
  recordedAt: Type.String({ format: 'date-time' }),
});
export type ChangeResult = Static<typeof ChangeResultSchema>;

/** Event type announced for each change type. */
export const EVENT_OF: Record<ChangeType, string> = {
  'move-in': 'registry.person.moved-in',
  'move-out': 'registry.person.moved-out',
  'move-within': 'registry.person.moved-within',
  birth: 'registry.person.born',
  death: 'registry.person.died',
  'name-change': 'registry.person.name-changed',
  'household-change': 'registry.household.changed',
};
