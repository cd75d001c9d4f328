/**
 * What a procedure definition is (`procedures/*.yaml`). Procedures are data: a town adds
 * one by adding a file, and a broken file stops the server at start naming the file and the
 * field. The same schema documents the definition in the API (`GET /api/v1/procedures/{code}`).
 */
import { Type, type Static } from 'typebox';

/** Text a person reads: Japanese first, やさしい日本語 and English beside it. */
export const TextSchema = Type.Object(
  {
    ja: Type.String({ minLength: 1, maxLength: 2000 }),
    'ja-easy': Type.String({ minLength: 1, maxLength: 2000 }),
    en: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type Text = Static<typeof TextSchema>;

const Code = Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$', description: 'kebab-case identifier' });
const FieldId = Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,40}$', description: 'camelCase field id' });

/**
 * Where a field's value comes from in the town's records. `applicant.*` is the signed-in
 * resident, `subject.*` the person the application is about, `spouse.*` the subject's
 * spouse when the register has them in the same household (世帯主 and 妻/夫), `member.*` a
 * household member inside a repeatable group filled from the household.
 */
export const PERSON_SOURCES = ['fullName', 'fullNameKana', 'familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'birthDate', 'sex', 'address', 'relationToHead', 'age'] as const;
export const PREFILL_SOURCES = [
  ...PERSON_SOURCES.map((s) => `applicant.${s}`),
  ...PERSON_SOURCES.map((s) => `subject.${s}`),
  ...PERSON_SOURCES.map((s) => `member.${s}`),
  ...PERSON_SOURCES.map((s) => `spouse.${s}`),
  'member.personId',
  'subject.headName',
  'subject.householdSize',
] as const;
/** Which members of the subject's household fill a repeatable group. */
export const MemberFilterSchema = Type.Object(
  {
    relations: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 1, description: '続柄 to include, e.g. 子' })),
    /** Members younger than this (see `ageRule`). */
    under: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
    atLeast: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    /** `school-year`: counts until the 31 March after the birthday (児童手当: 18歳到達後最初の年度末). */
    ageRule: Type.Optional(Type.Union([Type.Literal('birthday'), Type.Literal('school-year')])),
    excludeSubject: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type MemberFilter = Static<typeof MemberFilterSchema>;

const Condition = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 100, description: 'id of a field in the same group or at the top level' }),
    equals: Type.Optional(Type.Union([Type.String(), Type.Boolean(), Type.Number()])),
    in: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 })),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof Condition>;

const Option = Type.Object({ value: Type.String({ minLength: 1, maxLength: 60 }), label: TextSchema }, { additionalProperties: false });

export const FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'tel', 'email', 'postal-code', 'select', 'radio', 'checkbox', 'checkboxes', 'notice'] as const;

const FieldProps = {
  id: FieldId,
  label: TextSchema,
  help: Type.Optional(TextSchema),
  required: Type.Optional(Type.Boolean()),
  visibleWhen: Type.Optional(Condition),
  /** Filled from the town's records, shown read-only and marked as such; the resident may flag a correction. */
  prefill: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
};

export const InputFieldSchema = Type.Object(
  {
    ...FieldProps,
    type: Type.Enum(FIELD_TYPES),
    minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** What the pattern means, for the error message (e.g. "7桁の数字"). */
    patternHint: Type.Optional(TextSchema),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    options: Type.Optional(Type.Array(Option, { minItems: 1, maxItems: 100 })),
    /** An HTML autocomplete token (tel, email, bday …) so browsers can help. */
    autocomplete: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);
export type InputField = Static<typeof InputFieldSchema>;

export const GroupFieldSchema = Type.Object(
  {
    ...FieldProps,
    type: Type.Literal('group'),
    fields: Type.Array(InputFieldSchema, { minItems: 1, maxItems: 60 }),
    /** A repeatable group (children, family members): at least / at most this many. */
    repeat: Type.Optional(Type.Object({ min: Type.Integer({ minimum: 0, maximum: 50 }), max: Type.Integer({ minimum: 1, maximum: 50 }) }, { additionalProperties: false })),
    /** For a repeatable group: the household members it is filled with. */
    members: Type.Optional(MemberFilterSchema),
  },
  { additionalProperties: false },
);
export type GroupField = Static<typeof GroupFieldSchema>;

export const FieldSchema = Type.Union([InputFieldSchema, GroupFieldSchema]);
export type Field = Static<typeof FieldSchema>;

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export const AttachmentSlotSchema = Type.Object(
  {
    id: FieldId,
    label: TextSchema,
    help: Type.Optional(TextSchema),
    required: Type.Optional(Type.Boolean()),
    visibleWhen: Type.Optional(Condition),
    types: Type.Array(Type.Enum(ATTACHMENT_TYPES), { minItems: 1 }),
    maxBytes: Type.Integer({ minimum: 1024, maximum: 10 * 1024 * 1024 }),
    maxFiles: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
  },
  { additionalProperties: false },
);
export type AttachmentSlot = Static<typeof AttachmentSlotSchema>;

/**
 * Rules the server checks at submission against the registry (what 2020 did not).
 * - `subject-resident`: the subject is a current resident (on by default; `false` for
 *   procedures about someone who has died, with `subjectStatus`).
 * - `members-in-household`: every entry of a repeatable group filled from the household
 *   that claims to live with the subject is registered in the subject's household now.
 * - `member-age`: every entry's birth date is within the group's age filter.
 * - `subject-age`: the subject's age is within bounds (e.g. 要介護認定: 40 and over).
 */
export const RuleSchema = Type.Union([
  Type.Object({ kind: Type.Literal('members-in-household'), group: FieldId, unlessField: Type.Optional(FieldId) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('member-age'), group: FieldId }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('subject-age'),
      atLeast: Type.Optional(Type.Integer({ minimum: 0 })),
      under: Type.Optional(Type.Integer({ minimum: 1 })),
      ageRule: Type.Optional(Type.Union([Type.Literal('birthday'), Type.Literal('school-year')])),
    },
    { additionalProperties: false },
  ),
]);
export type Rule = Static<typeof RuleSchema>;

/** Millimetres on a page of the town's blank form, measured from the page's top-left corner. */
const Mm = (description: string) => Type.Number({ minimum: 0, maximum: 2000, description });
const Extent = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 2000, description });
const PaperBox = {
  page: Type.Integer({ minimum: 1, maximum: 100, default: 1, description: 'page of the blank form, from 1' }),
  x: Mm('left edge of the box, mm from the left edge of the page'),
  y: Mm('top edge of the box, mm from the top edge of the page'),
  width: Extent('mm'),
  height: Extent('mm'),
};

/** What a box on the blank form shows: a field of the form or one of the few things every visit knows. */
export const PAPER_SPECIALS = ['$today', '$reference', '$applicant.fullName', '$applicant.address'] as const;
export const DATE_PARTS = ['full', 'full-western', 'era', 'year', 'month', 'day'] as const;

/**
 * One value drawn on the blank form. Text is written at `size`: in a box of one or two lines it
 * is made smaller down to `minSize` to stay on one line, and else wrapped inside the box; a box
 * with room for three lines or more is written as a paragraph, wrapped at the largest size that
 * fits. Dates are written in 和暦, choices as their Japanese labels. With `mark`, nothing is
 * written: a ○ (or a ✓) is drawn in the box when the value is, or for a multiple choice
 * contains, `mark`.
 */
export const PaperFormFieldSchema = Type.Object(
  {
    value: Type.String({
      pattern: '^(\\$today|\\$reference|\\$applicant\\.fullName|\\$applicant\\.address|/[a-z][A-Za-z0-9]{0,40}(/[a-z][A-Za-z0-9]{0,40}|/(0|[1-9][0-9]?)/[a-z][A-Za-z0-9]{0,40})?)$',
      description:
        'a JSON pointer to a field of the form (`/certificateType`, `/person/fullName`, an entry of a repeatable group by index: `/children/0/fullName`), ' +
        'or `$today` (the day of printing), `$reference` (the application number, once submitted), `$applicant.fullName`, `$applicant.address` (who came to the counter)',
    }),
    ...PaperBox,
    size: Type.Optional(Type.Number({ minimum: 4, maximum: 48, description: 'text size in points (default 10.5, or less in a low box)' })),
    minSize: Type.Optional(Type.Number({ minimum: 4, maximum: 48, description: 'smallest size long text is shrunk to before it wraps inside the box (default 7)' })),
    align: Type.Optional(Type.Union([Type.Literal('left'), Type.Literal('center'), Type.Literal('right')], { description: 'default left' })),
    /** For a date (or `$today`): the whole date in 和暦 (令和6年4月1日), or one part for forms that print 年・月・日 themselves. */
    datePart: Type.Optional(Type.Enum(DATE_PARTS, { description: 'full: 令和6年4月1日 (default); full-western: 令和6年（2024年）4月1日; era: 令和; year: 6 (元 for the first); month: 4; day: 1' })),
    mark: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Boolean()], {
        description: 'an option value (select, radio, checkboxes) or true/false (checkbox): draw a mark instead of text when the value is, or contains, it',
      }),
    ),
    markStyle: Type.Optional(Type.Union([Type.Literal('circle'), Type.Literal('tick')], { description: 'circle: a ○ around the box, for circling a printed choice (default); tick: a ✓ inside it, for a □' })),
  },
  { additionalProperties: false },
);
export type PaperFormField = Static<typeof PaperFormFieldSchema>;

export const PaperFormSchema = Type.Object(
  {
    /** The form's name as printed on it, e.g. 住民票の写し等交付請求書. */
    title: Type.String({ minLength: 1, maxLength: 200 }),
    /** The town's blank form, a PDF under `<procedures>/forms/`. Without it the counter prints a plain layout that says there is no official one. */
    file: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+\\.pdf$' })),
    fields: Type.Optional(Type.Array(PaperFormFieldSchema, { maxItems: 400, description: 'where each value goes on the blank form (needs `file`)' })),
    /** Where a signature taken on the counter's tablet is placed (scaled to fit, centred). */
    signature: Type.Optional(Type.Object(PaperBox, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type PaperForm = Static<typeof PaperFormSchema>;

export const APPLICANT_KINDS = ['self', 'household', 'agent'] as const;
export const LIFE_EVENTS = ['birth', 'move-in', 'death', 'disaster'] as const;

export const ProcedureSchema = Type.Object(
  {
    code: Code,
    /** Bumped on every change; an application keeps the version it was made with. */
    version: Type.Integer({ minimum: 1 }),
    names: TextSchema,
    summary: TextSchema,
    department: Type.Object({ code: Code, names: TextSchema }, { additionalProperties: false }),
    legalBasis: Type.String({ minLength: 1, maxLength: 300 }),
    /** The national procedure this is (e.g. one of the 31 My Number procedures). */
    category: Type.Union([Type.Literal('childcare'), Type.Literal('care'), Type.Literal('disaster'), Type.Literal('certificates'), Type.Literal('registry'), Type.Literal('health'), Type.Literal('welfare')]),
    lifeEvents: Type.Array(Type.Enum(LIFE_EVENTS), { default: [] }),
    keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 30 })),
    /** Who may apply for the subject: the person, a member of their household, a registered agent. */
    applicants: Type.Array(Type.Enum(APPLICANT_KINDS), { minItems: 1 }),
    /** `required`: a resident signs in and the town pre-fills; `none`: anyone (e.g. before moving in). */
    signIn: Type.Union([Type.Literal('required'), Type.Literal('none')]),
    /** Whose status the subject must have (`deceased` for procedures after a death). */
    subjectStatus: Type.Optional(Type.Union([Type.Literal('resident'), Type.Literal('deceased')])),
    fee: Type.Object({ amount: Type.Integer({ minimum: 0 }), note: Type.Optional(TextSchema) }, { additionalProperties: false }),
    standardPeriodDays: Type.Integer({ minimum: 0, maximum: 365, description: '標準処理期間 (days)' }),
    retentionYears: Type.Integer({ minimum: 1, maximum: 100 }),
    /** Who approves a decision after the officer proposes it (電子決裁), in order: 係長 (`chief`), 課長 (`manager`). */
    approvalRoute: Type.Optional(Type.Array(Type.Enum(['chief', 'manager']), { minItems: 1, maxItems: 2, uniqueItems: true })),
    /** The official paper layout (the counter prints it): the town's blank PDF and where each value goes. */
    paperForm: PaperFormSchema,
    fields: Type.Array(FieldSchema, { minItems: 1, maxItems: 100 }),
    attachments: Type.Array(AttachmentSlotSchema, { default: [], maxItems: 20 }),
    rules: Type.Array(RuleSchema, { default: [] }),
  },
  { additionalProperties: false },
);
export type Procedure = Static<typeof ProcedureSchema>;

/** A life event (出生, 転入, 死亡, 被災): one flow, several procedures, one receipt. */
export const BundleSchema = Type.Object(
  {
    code: Type.Enum(LIFE_EVENTS),
    version: Type.Integer({ minimum: 1 }),
    names: TextSchema,
    summary: TextSchema,
    procedures: Type.Array(
      Type.Object({ code: Code, optional: Type.Optional(Type.Boolean()), why: TextSchema }, { additionalProperties: false }),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type Bundle = Static<typeof BundleSchema>;
