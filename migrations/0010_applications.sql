-- Online applications (電子申請). A submission is what one receipt covers: one procedure, or
-- several under a life event. An application is one procedure for one subject; while a
-- resident fills it, it is a draft (no submission yet). What was submitted is kept as the
-- record the town must keep by law (`data`), not as a copy of the register.
CREATE SCHEMA applications;

CREATE SEQUENCE applications.reference_seq;

CREATE TABLE applications.submissions (
  id                   uuid PRIMARY KEY,
  reference            text NOT NULL UNIQUE,
  bundle               text,
  channel              text NOT NULL CHECK (channel IN ('online', 'paper', 'counter')),
  applicant_person_id  uuid,
  keyed_by             uuid,
  -- Submissions without sign-in are followed through a capability URL; only its hash is kept.
  status_token_hash    text UNIQUE,
  submitted_at         timestamptz NOT NULL DEFAULT now(),
  demo                 boolean NOT NULL DEFAULT false,
  CHECK (applicant_person_id IS NOT NULL OR status_token_hash IS NOT NULL OR keyed_by IS NOT NULL)
);
CREATE INDEX submissions_applicant ON applications.submissions (applicant_person_id, submitted_at DESC);

CREATE TABLE applications.applications (
  id                   uuid PRIMARY KEY,
  submission_id        uuid REFERENCES applications.submissions (id),
  reference            text UNIQUE,
  procedure_code       text NOT NULL,
  procedure_version    integer NOT NULL,
  department           text NOT NULL,
  status               text NOT NULL CHECK (status IN ('draft', 'submitted', 'closed', 'withdrawn')),
  channel              text NOT NULL CHECK (channel IN ('online', 'paper', 'counter')),
  -- Whose draft this is: 'person:<id>', 'staff:<id>' or 'anon:<hash of a browser token>'.
  owner_key            text NOT NULL,
  applicant_person_id  uuid,
  subject_person_id    uuid,
  acting_as            text CHECK (acting_as IN ('self', 'household', 'agent')),
  applicant_relation   text,
  subject_relation     text,
  data                 jsonb NOT NULL DEFAULT '{}',
  corrections          jsonb NOT NULL DEFAULT '[]',
  -- Pointers of the fields filled from the register (shown as such; restored on every save).
  prefilled            text[] NOT NULL DEFAULT '{}',
  lock_version         integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  submitted_at         timestamptz,
  due_date             date,
  retain_until         date,
  keyed_by             uuid,
  -- Drafts opened together by a life event share a group and are submitted under one receipt.
  bundle               text,
  draft_group          uuid,
  demo                 boolean NOT NULL DEFAULT false,
  CHECK ((status = 'draft') = (submission_id IS NULL)),
  CHECK (status = 'draft' OR reference IS NOT NULL)
);
-- One open application per procedure and subject: the database refuses a duplicate even
-- when two submissions race past the service's own check.
CREATE UNIQUE INDEX applications_one_open ON applications.applications (procedure_code, subject_person_id)
  WHERE status = 'submitted' AND subject_person_id IS NOT NULL;
CREATE INDEX applications_owner ON applications.applications (owner_key, updated_at DESC);
CREATE INDEX applications_applicant ON applications.applications (applicant_person_id) WHERE status <> 'draft';
CREATE INDEX applications_subject ON applications.applications (subject_person_id) WHERE status <> 'draft';
CREATE INDEX applications_inbox ON applications.applications (department, submitted_at DESC) WHERE status <> 'draft';
CREATE INDEX applications_submission ON applications.applications (submission_id);
CREATE INDEX applications_draft_group ON applications.applications (draft_group) WHERE draft_group IS NOT NULL;

CREATE TABLE applications.attachments (
  id              uuid PRIMARY KEY,
  application_id  uuid NOT NULL REFERENCES applications.applications (id) ON DELETE CASCADE,
  slot            text NOT NULL,
  filename        text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  content_type    text NOT NULL,
  size_bytes      integer NOT NULL CHECK (size_bytes > 0),
  sha256          text NOT NULL,
  content         bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_application ON applications.attachments (application_id, slot);

-- Idempotency-Key: the same key and body give the original answer; another body is refused.
CREATE TABLE applications.idempotency_keys (
  owner_key      text NOT NULL,
  key            text NOT NULL,
  request_hash   text NOT NULL,
  submission_id  uuid NOT NULL REFERENCES applications.submissions (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner_key, key)
);

-- Registered agents (代理人): someone outside the household who may apply for a person
-- (a guardian, a relative living elsewhere, a care manager), registered by staff.
CREATE TABLE applications.agents (
  id                   uuid PRIMARY KEY,
  principal_person_id  uuid NOT NULL,
  agent_person_id      uuid NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('guardian', 'relative', 'care-manager', 'other')),
  valid_from           date NOT NULL,
  valid_to             date,
  registered_by        uuid,
  demo                 boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (principal_person_id <> agent_person_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX agents_agent ON applications.agents (agent_person_id);
CREATE INDEX agents_principal ON applications.agents (principal_person_id);
