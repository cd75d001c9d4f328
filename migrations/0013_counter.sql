-- The write-free counter (書かない窓口). A visit (来庁) is one person at the counter: how they
-- were identified, the procedures sent for them (applications of channel 'counter', which
-- open cases like online ones), the forms printed, the signature, the certificates asked for
-- with their fees, and when it started and ended. Content stays in the applications schema;
-- a visit keeps ids and references only.
CREATE SCHEMA counter;

-- A resident's pre-entry from home: their drafts (a draft group in the applications schema)
-- and the random id the QR code carries. The code holds no personal data.
CREATE TABLE counter.pre_entries (
  id            uuid PRIMARY KEY,
  token_id      text NOT NULL UNIQUE CHECK (token_id ~ '^[0-9A-HJKMNP-TV-Z]{16}$'),
  person_id     uuid NOT NULL,
  draft_group   uuid NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_on    date NOT NULL,
  -- Set when a visit sent its procedures; the code is spent then.
  used_at       timestamptz,
  used_by_visit uuid,
  demo          boolean NOT NULL DEFAULT false
);
CREATE INDEX pre_entries_person ON counter.pre_entries (person_id, created_at DESC);

CREATE SEQUENCE counter.visit_number;

CREATE TABLE counter.visits (
  id             uuid PRIMARY KEY,
  reference      text NOT NULL UNIQUE,
  person_id      uuid NOT NULL,
  started_by     text NOT NULL CHECK (started_by IN ('pre-entry', 'card', 'search')),
  pre_entry_id   uuid REFERENCES counter.pre_entries (id) ON DELETE SET NULL,
  staff_id       uuid NOT NULL,
  state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'sent', 'ended', 'abandoned')),
  started_at     timestamptz NOT NULL,
  sent_at        timestamptz,
  ended_at       timestamptz,
  pages_printed  integer NOT NULL DEFAULT 0 CHECK (pages_printed >= 0),
  prints         integer NOT NULL DEFAULT 0 CHECK (prints >= 0),
  -- The resident's signature from the tablet (PNG), or a note that they signed the printed forms.
  signature      bytea CHECK (signature IS NULL OR octet_length(signature) <= 262144),
  signed_at      timestamptz,
  signed_on      text CHECK (signed_on IN ('tablet', 'paper')),
  -- What was signed: a digest of the forms' content then. A change since makes the signature stale.
  signed_digest  text,
  submission_id  uuid,
  -- The key of the confirmation the visit was opened from: posting it again opens nothing new.
  start_key      text,
  -- What the last print showed (a paper signature is for forms printed as they are now).
  printed_digest text,
  lock_version   integer NOT NULL DEFAULT 0,
  demo           boolean NOT NULL DEFAULT false,
  CHECK (ended_at IS NULL OR ended_at >= started_at),
  CHECK (state <> 'open' OR (ended_at IS NULL AND sent_at IS NULL)),
  CHECK (state <> 'sent' OR (sent_at IS NOT NULL AND ended_at IS NULL)),
  CHECK (state NOT IN ('ended', 'abandoned') OR ended_at IS NOT NULL),
  CHECK ((signature IS NULL AND signed_on IS DISTINCT FROM 'tablet') OR (signature IS NOT NULL AND signed_on = 'tablet'))
);
CREATE INDEX visits_open ON counter.visits (staff_id, started_at DESC) WHERE state IN ('open', 'sent');
CREATE UNIQUE INDEX visits_start_key ON counter.visits (staff_id, start_key) WHERE start_key IS NOT NULL;
-- A pre-entry opens one visit at a time (two clerks scanning the same code: the second is told).
CREATE UNIQUE INDEX visits_pre_entry_open ON counter.visits (pre_entry_id) WHERE state = 'open';
CREATE INDEX visits_started ON counter.visits (started_at);

-- The applications a visit sent (one receipt), for the visit's summary and the metrics.
CREATE TABLE counter.visit_applications (
  visit_id        uuid NOT NULL REFERENCES counter.visits (id),
  application_id  uuid NOT NULL UNIQUE,
  reference       text NOT NULL,
  procedure_code  text NOT NULL,
  PRIMARY KEY (visit_id, application_id)
);

-- Certificates asked for at the visit, and fees of procedures that have one: due at the
-- counter (payment comes with the payments module).
CREATE TABLE counter.visit_fees (
  id                 uuid PRIMARY KEY,
  visit_id           uuid NOT NULL REFERENCES counter.visits (id),
  kind               text NOT NULL CHECK (kind IN ('certificate', 'procedure')),
  code               text NOT NULL,
  subject_person_id  uuid,
  copies             integer NOT NULL CHECK (copies BETWEEN 1 AND 20),
  unit_fee           integer NOT NULL CHECK (unit_fee >= 0),
  amount             integer NOT NULL CHECK (amount = unit_fee * copies),
  status             text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'paid', 'waived')),
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visit_fees_visit ON counter.visit_fees (visit_id);
