-- Webhooks: spokes subscribe to hub events and get them pushed, signed, at least once.
CREATE SCHEMA webhooks;

-- One subscription per receiving URL and set of event types. `cursor_position` is the last
-- outbox position fanned out to this subscription; it starts at the feed head when the
-- subscription is created (no back-fill). `secret` is the shared HMAC key the receiver
-- verifies signatures with: it must be readable to sign, so it is stored as given out.
CREATE TABLE webhooks.subscriptions (
  id               uuid PRIMARY KEY,
  owner_kind       text NOT NULL CHECK (owner_kind IN ('client', 'staff')),
  owner_id         text NOT NULL,
  owner_name       text NOT NULL,
  owner_role       text,
  -- The purpose named when subscribing; deliveries are audited under it.
  purpose          text NOT NULL,
  url              text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  event_types      text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 50),
  description      text CHECK (length(description) <= 500),
  secret           text NOT NULL,
  cursor_position  bigint NOT NULL CHECK (cursor_position >= 0),
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  deactivated_at   timestamptz
);
CREATE INDEX subscriptions_owner ON webhooks.subscriptions (owner_kind, owner_id, created_at);
CREATE INDEX subscriptions_active ON webhooks.subscriptions (cursor_position) WHERE active;

-- One row per (subscription, event). A worker claims due rows with a lease (status
-- 'sending', lease_until, lease_token) before it calls the receiver; a lease that runs out
-- (the worker died) makes the row due again. After max attempts the row is 'dead'.
CREATE TABLE webhooks.deliveries (
  id                uuid PRIMARY KEY,
  subscription_id   uuid NOT NULL REFERENCES webhooks.subscriptions,
  event_position    bigint NOT NULL,
  event_type        text NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'dead')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  lease_until       timestamptz,
  lease_token       uuid,
  last_status_code  integer,
  -- A short reason (HTTP status or error class); never the receiver's response body.
  last_error        text CHECK (length(last_error) <= 200),
  last_duration_ms  integer,
  created_at        timestamptz NOT NULL DEFAULT now(),
  delivered_at      timestamptz,
  UNIQUE (subscription_id, event_position),
  CHECK (status <> 'sending' OR (lease_until IS NOT NULL AND lease_token IS NOT NULL))
);
CREATE INDEX deliveries_due ON webhooks.deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_leased ON webhooks.deliveries (lease_until) WHERE status = 'sending';
CREATE INDEX deliveries_dead ON webhooks.deliveries (created_at) WHERE status = 'dead';
CREATE INDEX deliveries_created ON webhooks.deliveries (created_at);
