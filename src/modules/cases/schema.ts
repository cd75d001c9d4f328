/** The cases API's request and response schemas (validation, types and OpenAPI from one source). */
import { Type } from 'typebox';
import { ACTIONS, STATES, RESIDENT_STATUSES } from './states.js';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Channel = Type.Enum(['online', 'paper', 'counter']);
const State = Type.Enum([...STATES]);

export const TimelineEntrySchema = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  from: Nullable(State),
  to: State,
  at: Type.String({ format: 'date-time' }),
  actor: Type.Object({ kind: Type.Enum(['staff', 'resident', 'system']), id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  onBehalfOf: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  level: Nullable(Type.Integer()),
  position: Nullable(Type.String()),
  comment: Nullable(Type.String()),
});

export const CaseSchema = Type.Object({
  id: Uuid,
  reference: Type.String(),
  applicationId: Uuid,
  procedure: Type.Object({ code: Type.String(), name: Type.String() }),
  department: Type.String(),
  channel: Channel,
  state: State,
  residentStatus: Type.Enum([...RESIDENT_STATUSES]),
  assignee: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  applicantId: Nullable(Type.String()),
  subjectId: Nullable(Type.String()),
  receivedAt: Type.String({ format: 'date-time' }),
  standardDays: Type.Integer({ description: '標準処理期間 (days)' }),
  dueDate: Type.String({ format: 'date', description: 'the end of the standard period, later by the days paused' }),
  daysLeft: Nullable(Type.Integer({ description: 'negative when overdue; null once closed' })),
  paused: Type.Boolean({ description: 'waiting for the resident: the clock is stopped' }),
  pausedDays: Type.Integer(),
  lastAction: Nullable(Type.String({ description: 'the latest step’s action' })),
  route: Type.Array(Type.Object({ level: Type.Integer(), position: Type.String(), approved: Type.Boolean() })),
  proposal: Nullable(Type.Object({ outcome: Type.Enum(['approve', 'reject']), proposedBy: Nullable(Type.String()) })),
  decision: Nullable(Type.Enum(['approved', 'rejected'])),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  version: Type.Integer({ description: 'the ETag; send it back as If-Match' }),
  timeline: Type.Array(TimelineEntrySchema),
  notices: Type.Array(Type.Object({ id: Uuid, hash: Type.String(), decision: Type.String(), issuedAt: Type.String({ format: 'date-time' }), verifyHref: Type.String() })),
  demo: Type.Optional(Type.Boolean()),
});

export const ActionBodySchema = Type.Object(
  {
    action: Type.Enum([...ACTIONS]),
    comment: Type.Optional(Type.String({ maxLength: 2000, description: 'why; required for request-info (the question), answer, resume, propose (the reason), send-back, reopen' })),
    outcome: Type.Optional(Type.Enum(['approve', 'reject'], { description: 'propose: the decision proposed' })),
    assignee: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);

export const CaseListQuery = Type.Object(
  {
    department: Type.Optional(Type.String({ maxLength: 64 })),
    procedure: Type.Optional(Type.String({ maxLength: 64 })),
    state: Type.Optional(Type.Enum([...STATES, 'open'])),
    channel: Type.Optional(Channel),
    assignee: Type.Optional(Type.String({ pattern: '^(none|me|[0-9a-f-]{36})$' })),
    dueBy: Type.Optional(Type.String({ format: 'date' })),
    overdue: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
  },
  { additionalProperties: false },
);

export const JobBodySchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('approve'),
      cases: Type.Array(Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
      comment: Type.Optional(Type.String({ maxLength: 2000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('print-notices'), date: Type.String({ format: 'date' }), department: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
]);

export const JobSchema = Type.Object({
  id: Uuid,
  kind: Type.Enum(['approve', 'print-notices']),
  state: Type.Enum(['queued', 'running', 'done', 'failed']),
  total: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(Type.Object({ caseId: Type.String(), reference: Type.String(), ok: Type.Boolean(), problem: Type.Optional(Type.String()) })),
  error: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  hasOutput: Type.Boolean(),
});
