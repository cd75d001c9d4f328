/** The applications API's request and response schemas (validation, types and OpenAPI from one source). */
import { Type, type Static } from 'typebox';
import { BundleSchema, LIFE_EVENTS, ProcedureSchema, TextSchema } from './definition-schema.js';

const Uuid = Type.String({ format: 'uuid' });

export const CorrectionSchema = Type.Object(
  {
    field: Type.String({ pattern: '^(/[A-Za-z0-9]+){1,3}$', maxLength: 200, description: 'pointer of a field filled from the town’s records' }),
    note: Type.String({ minLength: 1, maxLength: 500, description: 'what is right instead (stored as text)' }),
  },
  { additionalProperties: false },
);

export const FileSchema = Type.Object(
  {
    slot: Type.String({ minLength: 1, maxLength: 64, description: 'attachment id of the procedure' }),
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    // No minLength: Ajv would count a megabyte of base64 character by character; an empty file is refused by name.
    content: Type.String({ contentEncoding: 'base64', description: 'the file, base64; its type is read from its bytes' }),
  },
  { additionalProperties: false },
);

export const ItemSchema = Type.Object(
  {
    procedure: Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$' }),
    subjectId: Type.Optional(Uuid),
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'the form, as the procedure’s JSON Schema describes' }),
    corrections: Type.Optional(Type.Array(CorrectionSchema, { maxItems: 50 })),
    attachments: Type.Optional(Type.Array(FileSchema, { maxItems: 30 })),
  },
  { additionalProperties: false },
);
export type Item = Static<typeof ItemSchema>;

export const SubmitBodySchema = Type.Union([
  Type.Object(
    { ...ItemSchema.properties, applicantId: Type.Optional(Type.String({ format: 'uuid', description: 'staff keying in a paper form: who signed it' })) },
    { additionalProperties: false, title: 'one procedure' },
  ),
  Type.Object(
    {
      lifeEvent: Type.Enum(LIFE_EVENTS),
      applicantId: Type.Optional(Uuid),
      applications: Type.Array(ItemSchema, { minItems: 1, maxItems: 20 }),
    },
    { additionalProperties: false, title: 'a life event: several procedures under one receipt' },
  ),
]);
export type SubmitBody = Static<typeof SubmitBodySchema>;

export const ApplicationSchema = Type.Object({
  id: Uuid,
  reference: Type.Union([Type.String(), Type.Null()]),
  procedure: Type.Object({ code: Type.String(), version: Type.Integer(), name: Type.String() }),
  department: Type.String(),
  status: Type.String({ description: 'draft | submitted | closed | withdrawn' }),
  channel: Type.String({ description: 'online | paper | counter' }),
  lifeEvent: Type.Union([Type.String(), Type.Null()]),
  submissionId: Type.Union([Uuid, Type.Null()]),
  subjectId: Type.Union([Uuid, Type.Null()]),
  applicantId: Type.Union([Uuid, Type.Null()]),
  actingAs: Type.Union([Type.String(), Type.Null()], { description: 'self | household | agent' }),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  dueDate: Type.Union([Type.String(), Type.Null()], { description: 'end of the standard processing period (標準処理期間)' }),
  data: Type.Record(Type.String(), Type.Unknown()),
  corrections: Type.Array(Type.Object({ field: Type.String(), note: Type.String() })),
  prefilled: Type.Array(Type.String(), { description: 'pointers of the fields taken from the town’s records' }),
  attachments: Type.Array(Type.Object({ id: Uuid, slot: Type.String(), filename: Type.String(), contentType: Type.String(), size: Type.Integer(), sha256: Type.String() })),
  demo: Type.Optional(Type.Boolean()),
});

export const SubmissionSchema = Type.Object({
  id: Uuid,
  reference: Type.String({ description: '受付番号' }),
  lifeEvent: Type.Union([Type.String(), Type.Null()]),
  channel: Type.String(),
  submittedAt: Type.String(),
  receipt: Type.String({ description: 'the PDF receipt' }),
  statusPage: Type.String(),
  applications: Type.Array(ApplicationSchema),
  demo: Type.Optional(Type.Boolean()),
});

export const ListItemSchema = Type.Object({
  id: Uuid,
  reference: Type.Union([Type.String(), Type.Null()]),
  procedure: Type.Object({ code: Type.String(), name: Type.String() }),
  status: Type.String(),
  channel: Type.String(),
  lifeEvent: Type.Union([Type.String(), Type.Null()]),
  submissionId: Type.Union([Uuid, Type.Null()]),
  draftGroup: Type.Union([Uuid, Type.Null()]),
  subjectId: Type.Union([Uuid, Type.Null()]),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  dueDate: Type.Union([Type.String(), Type.Null()]),
});

export const ProcedureSummarySchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  names: TextSchema,
  summary: TextSchema,
  department: Type.Object({ code: Type.String(), names: TextSchema }),
  category: Type.String(),
  lifeEvents: Type.Array(Type.String()),
  signIn: Type.String(),
  fee: Type.Object({ amount: Type.Integer(), note: Type.Optional(TextSchema) }),
  standardPeriodDays: Type.Integer(),
});

export { BundleSchema, ProcedureSchema };
