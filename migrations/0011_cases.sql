-- Case processing (案件処理) and electronic approval (電子決裁). Every submitted application
-- becomes a case in its department; the case moves through the states of an explicit
-- table, each move a step of its timeline. The application itself stays in the
-- applications schema; a case keeps its id, never a copy of its content.
CREATE SCHEMA cases;

-- Who works on which department's cases, and as what: 担当 (officer), 係長 (chief), 課長 (manager).
CREATE TABLE cases.staff_units (
  staff_id    uuid NOT NULL,
  department  text NOT NULL,
  position    text NOT NULL CHECK (position IN ('officer', 'chief', 'manager')),
  PRIMARY KEY (staff_id, department, position)
);
CREATE INDEX staff_units_department ON cases.staff_units (department, position);

-- While someone is away, another approves in their place (代決), within dates.
CREATE TABLE cases.delegations (
  id           uuid PRIMARY KEY,
  from_staff   uuid NOT NULL,
  to_staff     uuid NOT NULL,
  valid_from   date NOT NULL,
  valid_to     date NOT NULL,
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  created_by   uuid NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  demo         boolean NOT NULL DEFAULT false,
  CHECK (from_staff <> to_staff),
  CHECK (valid_to >= valid_from)
);
CREATE INDEX delegations_to ON cases.delegations (to_staff, valid_from, valid_to) WHERE revoked_at IS NULL;

CREATE TABLE cases.cases (
  id                   uuid PRIMARY KEY,
  application_id       uuid NOT NULL UNIQUE,
  reference            text NOT NULL UNIQUE,
  procedure_code       text NOT NULL,
  department           text NOT NULL,
  channel              text NOT NULL CHECK (channel IN ('online', 'paper', 'counter')),
  applicant_person_id  uuid,
  subject_person_id    uuid,
  state                text NOT NULL CHECK (state IN ('received', 'in-review', 'waiting', 'proposed', 'approved', 'rejected', 'completed', 'withdrawn')),
  assignee             uuid,
  received_at          timestamptz NOT NULL,
  standard_days        integer NOT NULL CHECK (standard_days >= 0),
  -- The standard period's end; it moves later by the days spent waiting for the resident.
  due_date             date NOT NULL,
  -- Set while waiting for the resident: the clock is paused.
  paused_since         timestamptz,
  paused_days          integer NOT NULL DEFAULT 0,
  -- The approval route (positions in order) of the current proposal, fixed when proposed.
  route                text[] NOT NULL DEFAULT '{}',
  proposal_outcome     text CHECK (proposal_outcome IN ('approve', 'reject')),
  proposed_by          uuid,
  approved_levels      integer NOT NULL DEFAULT 0,
  decision             text CHECK (decision IN ('approved', 'rejected')),
  decided_at           timestamptz,
  completed_at         timestamptz,
  closed_at            timestamptz,
  lock_version         integer NOT NULL DEFAULT 1,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  demo                 boolean NOT NULL DEFAULT false,
  CHECK ((state = 'waiting') = (paused_since IS NOT NULL)),
  CHECK ((state = 'proposed') = (proposal_outcome IS NOT NULL)),
  CHECK ((state IN ('completed', 'withdrawn')) = (closed_at IS NOT NULL)),
  CHECK (approved_levels >= 0 AND approved_levels <= cardinality(route))
);
CREATE INDEX cases_open ON cases.cases (department, due_date) WHERE closed_at IS NULL;
CREATE INDEX cases_state ON cases.cases (department, state, due_date);
CREATE INDEX cases_assignee ON cases.cases (assignee) WHERE closed_at IS NULL;
CREATE INDEX cases_received ON cases.cases (received_at);
CREATE INDEX cases_closed ON cases.cases (closed_at) WHERE closed_at IS NOT NULL;

-- The timeline: every move of a case, who made it, when and why.
CREATE TABLE cases.steps (
  case_id          uuid NOT NULL REFERENCES cases.cases (id),
  seq              integer NOT NULL,
  action           text NOT NULL,
  from_state       text,
  to_state         text NOT NULL,
  at               timestamptz NOT NULL DEFAULT now(),
  actor_kind       text NOT NULL CHECK (actor_kind IN ('staff', 'resident', 'system')),
  actor_id         uuid,
  -- Staff names are printed on notices and shown on timelines; a resident is never named here.
  actor_name       text,
  on_behalf_of     uuid,
  on_behalf_name   text,
  level            integer,
  position         text,
  comment          text CHECK (length(comment) <= 2000),
  PRIMARY KEY (case_id, seq)
);
CREATE INDEX steps_at ON cases.steps (at);

-- Decision notices (決定通知書): the PDF as issued, and the hash printed on it that anyone
-- can check at /verify/{hash}.
CREATE TABLE cases.notices (
  id           uuid PRIMARY KEY,
  case_id      uuid NOT NULL REFERENCES cases.cases (id),
  hash         text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
  pdf_sha256   text NOT NULL,
  decision     text NOT NULL CHECK (decision IN ('approved', 'rejected')),
  -- What the verify page may show: reference, procedure, decision, dates and seals; no resident data.
  facts        jsonb NOT NULL,
  pdf          bytea NOT NULL,
  issued_at    timestamptz NOT NULL DEFAULT now(),
  issued_by    uuid,
  demo         boolean NOT NULL DEFAULT false
);
CREATE INDEX notices_case ON cases.notices (case_id, issued_at DESC);
CREATE INDEX notices_issued ON cases.notices (issued_at);
CREATE UNIQUE INDEX notices_pdf ON cases.notices (pdf_sha256);

-- Bulk work (approve selected cases, print the day's notices) runs as a job with progress.
CREATE TABLE cases.jobs (
  id           uuid PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('approve', 'print-notices')),
  state        text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  created_by   uuid NOT NULL,
  params       jsonb NOT NULL DEFAULT '{}',
  total        integer NOT NULL DEFAULT 0,
  done         integer NOT NULL DEFAULT 0,
  failed       integer NOT NULL DEFAULT 0,
  results      jsonb NOT NULL DEFAULT '[]',
  output       bytea,
  error        text,
  -- The worker holding the job: its writes count only while the token is still the job's.
  lease_token  text,
  lease_until  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX jobs_pending ON cases.jobs (created_at) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_creator ON cases.jobs (created_by, created_at DESC);
