-- The base registry as the hub mirrors it (住民基本台帳): addresses, households, persons,
-- their valid-time history, and the change records that moved them.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE SCHEMA registry;

-- Digital Agency address model. Rows are immutable: a move points at a new row.
CREATE TABLE registry.addresses (
  id           uuid PRIMARY KEY,
  lg_code      text NOT NULL CHECK (lg_code ~ '^[0-9]{6}$'),
  machiaza_id  text NOT NULL CHECK (machiaza_id ~ '^[0-9]{7}$'),
  prefecture   text NOT NULL,
  city         text NOT NULL,
  town         text NOT NULL,
  block        text NOT NULL,
  building     text,
  full_text    text NOT NULL,
  lat          double precision CHECK (lat BETWEEN -90 AND 90),
  lon          double precision CHECK (lon BETWEEN -180 AND 180)
);

CREATE TABLE registry.households (
  id              uuid PRIMARY KEY,
  head_person_id  uuid,
  address_id      uuid NOT NULL REFERENCES registry.addresses,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dissolved')),
  demo            boolean NOT NULL DEFAULT false,
  created_on      date NOT NULL
);

CREATE TABLE registry.persons (
  id                uuid PRIMARY KEY,
  family_name       text NOT NULL,
  given_name        text NOT NULL,
  family_name_kana  text NOT NULL,
  given_name_kana   text NOT NULL,
  match_key         text NOT NULL,
  kana_key          text NOT NULL,
  sex               smallint NOT NULL CHECK (sex IN (0, 1, 2, 9)),
  birth_date        date NOT NULL,
  status            text NOT NULL CHECK (status IN ('resident', 'moved-out', 'deceased')),
  household_id      uuid REFERENCES registry.households,
  relation_to_head  text NOT NULL,
  address_id        uuid NOT NULL REFERENCES registry.addresses,
  -- 個人番号: AES-256-GCM ciphertext, and a keyed hash to find and de-duplicate without plaintext.
  my_number_enc     text,
  my_number_hash    text UNIQUE,
  demo              boolean NOT NULL DEFAULT false,
  version           integer NOT NULL DEFAULT 1,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_household ON registry.persons (household_id);
CREATE INDEX persons_birth_date ON registry.persons (birth_date);
-- Name search is by prefix of the matching keys (family name first), which a B-tree
-- answers at any size; trigram indexes cannot help two-character names like 高橋.
CREATE INDEX persons_match_key ON registry.persons (match_key text_pattern_ops);
CREATE INDEX persons_kana_key ON registry.persons (kana_key text_pattern_ops);

-- Who the person was and where, for each stretch of days. No two stretches overlap.
CREATE TABLE registry.person_history (
  person_id         uuid NOT NULL REFERENCES registry.persons,
  valid             daterange NOT NULL,
  family_name       text NOT NULL,
  given_name        text NOT NULL,
  family_name_kana  text NOT NULL,
  given_name_kana   text NOT NULL,
  status            text NOT NULL,
  household_id      uuid,
  relation_to_head  text NOT NULL,
  address_id        uuid NOT NULL REFERENCES registry.addresses,
  change_id         uuid,
  EXCLUDE USING gist (person_id WITH =, valid WITH &&)
);

-- Change records as received from the core 住基 system, kept whole.
CREATE TABLE registry.changes (
  id              uuid PRIMARY KEY,
  source_ref      text NOT NULL UNIQUE,
  type            text NOT NULL CHECK (type IN ('move-in', 'move-out', 'move-within', 'birth', 'death', 'name-change', 'household-change')),
  effective_date  date NOT NULL,
  body            jsonb NOT NULL,
  body_hash       text NOT NULL,
  person_ids      uuid[] NOT NULL,
  actor_id        text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_persons ON registry.changes USING gin (person_ids);
