-- Access: purposes, roles and what they grant, staff accounts, API clients (spokes) and
-- the link between a resident's identity-provider account and their registry person.
CREATE SCHEMA access;

CREATE TABLE access.purposes (
  code              text PRIMARY KEY CHECK (code ~ '^[a-z][a-z-]*$'),
  name_ja           text NOT NULL,
  name_en           text NOT NULL,
  description_ja    text NOT NULL,
  -- Sensitive fields this purpose may ever read (the principal must also be granted them).
  sensitive_fields  text[] NOT NULL DEFAULT '{}'
);

INSERT INTO access.purposes (code, name_ja, name_en, description_ja, sensitive_fields) VALUES
  ('counter-service',      '窓口での手続', 'counter service', '窓口で住民の手続・証明書の交付を行うため', '{myNumber}'),
  ('application-review',   '申請の審査', 'application review', '受け付けた申請の内容を住民記録と照らして審査するため', '{myNumber}'),
  ('registry-maintenance', '住民記録の維持', 'registry maintenance', '基幹系住基システムからの異動を反映し記録を正しく保つため', '{myNumber}'),
  ('disaster-support',     '災害時の支援', 'disaster support', '災害時に避難支援・安否確認を行うため', '{}'),
  ('audit',                '監査', 'audit', 'アクセス記録を点検し不正な閲覧がないか確かめるため', '{}'),
  ('self-service',         'ご本人による確認', 'self-service', '住民ご本人が自分と世帯の情報を確認するため', '{}');

CREATE TABLE access.roles (
  code      text PRIMARY KEY,
  name_ja   text NOT NULL,
  name_en   text NOT NULL,
  purposes  text[] NOT NULL,
  fields    text[] NOT NULL DEFAULT '{}'
);

INSERT INTO access.roles (code, name_ja, name_en, purposes, fields) VALUES
  ('counter-clerk', '窓口担当', 'counter clerk', '{counter-service}', '{myNumber}'),
  ('case-officer',  '審査担当', 'case officer', '{application-review,disaster-support}', '{myNumber}'),
  ('approver',      '決裁者', 'approver', '{application-review}', '{}'),
  ('auditor',       '監査担当', 'auditor', '{audit}', '{}'),
  ('administrator', 'システム管理者', 'administrator', '{registry-maintenance,disaster-support}', '{}');

CREATE TABLE access.staff (
  id               uuid PRIMARY KEY,
  login            text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9._-]{3,64}$'),
  display_name     text NOT NULL,
  department       text NOT NULL,
  roles            text[] NOT NULL,
  password_hash    text NOT NULL,
  failed_attempts  integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  session_version  integer NOT NULL DEFAULT 1,
  active           boolean NOT NULL DEFAULT true,
  demo             boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE access.clients (
  id           text PRIMARY KEY CHECK (id ~ '^[a-z0-9._-]{3,64}$'),
  name         text NOT NULL,
  secret_hash  text NOT NULL,
  purposes     text[] NOT NULL,
  fields       text[] NOT NULL DEFAULT '{}',
  active       boolean NOT NULL DEFAULT true,
  demo         boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE access.resident_identities (
  issuer     text NOT NULL,
  subject    text NOT NULL,
  person_id  uuid NOT NULL,
  linked_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject)
);
