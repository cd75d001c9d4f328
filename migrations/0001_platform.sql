-- Platform: what the installation is, and the event outbox every module writes to.

CREATE TABLE platform.installation (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  mode       text NOT NULL CHECK (mode IN ('demo', 'production')),
  town_name  text NOT NULL,
  lg_code    text NOT NULL CHECK (lg_code ~ '^[0-9]{6}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE SCHEMA outbox;

-- An event is written in the same transaction as the change it announces. Its feed
-- position is assigned only after commit, by the sequencer (outbox.sequencer row lock),
-- so a reader paging with `after=position` never skips an event that committed late.
CREATE TABLE outbox.events (
  id          bigserial PRIMARY KEY,
  position    bigint UNIQUE,
  type        text NOT NULL,
  subject_ids uuid[] NOT NULL DEFAULT '{}',
  payload     jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_unsequenced ON outbox.events (id) WHERE position IS NULL;

CREATE TABLE outbox.sequencer (
  id            boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_position bigint NOT NULL
);
INSERT INTO outbox.sequencer (last_position) VALUES (0);
