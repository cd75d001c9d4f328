-- The audit trail: one entry per access to personal data. Append-only (triggers refuse
-- UPDATE, DELETE and TRUNCATE) and hash-chained: hash = sha256(prev_hash || entry).
CREATE SCHEMA audit;

CREATE TABLE audit.entries (
  seq         bigint PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('staff', 'client', 'resident', 'system')),
  actor_id    text NOT NULL,
  actor_name  text NOT NULL,
  role        text,
  purpose     text NOT NULL,
  action      text NOT NULL,
  subject_ids uuid[] NOT NULL DEFAULT '{}',
  fields      text[] NOT NULL DEFAULT '{}',
  request_id  text,
  source_ip   text,
  prev_hash   text NOT NULL,
  hash        text NOT NULL UNIQUE
);
CREATE INDEX entries_subjects ON audit.entries USING gin (subject_ids);
CREATE INDEX entries_at ON audit.entries (at);

-- The head of the chain. Appending locks this row, so entries form one line.
CREATE TABLE audit.head (
  id   boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq  bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit.head (seq, hash) VALUES (0, repeat('0', 64));

CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only';
END $$;

CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON audit.entries
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON audit.entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
