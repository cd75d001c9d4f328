/**
 * The registry's records, as the API shows them. One TypeBox schema per thing: it
 * validates requests, types the code and documents the OpenAPI.
 */
import { Type, type Static } from 'typebox';

export const SEXES = [0, 1, 2, 9] as const; // ISO 5218
export const STATUSES = ['resident', 'moved-out', 'deceased'] as const;

const Kana = Type.String({ minLength: 1, maxLength: 60, pattern: '^[\\u30A0-\\u30FF\\u3000 ]+$', description: 'katakana reading' });
const Name = Type.String({ minLength: 1, maxLength: 60, description: 'as registered, variant characters kept' });
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const AddressSchema = Type.Object(
  {
    lgCode: Type.String({ pattern: '^[0-9]{6}$', description: '全国地方公共団体コード' }),
    machiazaId: Type.String({ pattern: '^[0-9]{7}$', description: '町字ID' }),
    prefecture: Type.String({ minLength: 1, maxLength: 10 }),
    city: Type.String({ minLength: 1, maxLength: 40 }),
    town: Type.String({ minLength: 1, maxLength: 60, description: '町字' }),
    block: Type.String({ minLength: 1, maxLength: 60, description: '番地以下' }),
    building: Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: '方書' }),
    full: Type.String({ minLength: 1, maxLength: 300, description: '連結表記' }),
    lat: Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]),
    lon: Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type Address = Static<typeof AddressSchema>;

/** A new person in a change record (move-in, birth). */
export const NewPersonSchema = Type.Object(
  {
    familyName: Name,
    givenName: Name,
    familyNameKana: Kana,
    givenNameKana: Kana,
    sex: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(9)], { description: 'ISO 5218: 0 not known, 1 male, 2 female, 9 not applicable' }),
    birthDate: IsoDate,
    relationToHead: Type.String({ minLength: 1, maxLength: 20, description: '続柄 (本人, 妻, 子 …)' }),
    myNumber: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: '個人番号 (12 digits, check digit verified)' })),
  },
  { additionalProperties: false },
);
export type NewPerson = Static<typeof NewPersonSchema>;

/** Every field a person record can show; `fields=` picks among these. */
export const PERSON_FIELDS = [
  'id',
  'familyName',
  'givenName',
  'familyNameKana',
  'givenNameKana',
  'sex',
  'birthDate',
  'status',
  'householdId',
  'relationToHead',
  'address',
  'myNumber',
] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];
export const DEFAULT_PERSON_FIELDS: PersonField[] = PERSON_FIELDS.filter((f) => f !== 'myNumber');

export const PersonSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  familyName: Type.Optional(Type.String()),
  givenName: Type.Optional(Type.String()),
  familyNameKana: Type.Optional(Type.String()),
  givenNameKana: Type.Optional(Type.String()),
  sex: Type.Optional(Type.Integer()),
  birthDate: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  householdId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  relationToHead: Type.Optional(Type.String()),
  address: Type.Optional(AddressSchema),
  myNumber: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  asOf: Type.Optional(Type.String({ description: 'the date the record describes, when asked with ?asOf=' })),
  demo: Type.Optional(Type.Boolean({ description: 'true for the fictional demo town' })),
});
export type PersonView = Static<typeof PersonSchema>;

export interface PersonRecord {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: 0 | 1 | 2 | 9;
  birthDate: string;
  status: (typeof STATUSES)[number];
  householdId: string | null;
  relationToHead: string;
  address: Address;
  demo: boolean;
}
