-- Payments (決済): a module of its own, used by facility reservations and later by counter
-- fees. A payment moves through an explicit table of states (created → started →
-- succeeded / failed / cancelled / expired); the provider's word arrives as signed webhooks,
-- each applied once; refunds must state what is still refundable; every movement of money
-- (capture +, refund −, fee −) is one line of an append-only ledger that the daily
-- reconciliation report sums. Amounts are whole yen.
CREATE SCHEMA payments;

-- Who may take payments, refund them and reconcile the day: the accounting desk (会計担当)
-- and spokes granted the purpose (the town's financial accounting system, 財務会計).
INSERT INTO access.purposes (code, name_ja, name_en, description_ja, sensitive_fields) VALUES
  ('fee-collection', '料金の収納', 'fee collection', '施設使用料や手数料の支払を受け、返金し、日々の収納を照合するため', '{}');
INSERT INTO access.roles (code, name_ja, name_en, purposes, fields) VALUES
  ('accountant', '会計担当', 'accountant', '{fee-collection}', '{}');

CREATE TABLE payments.payments (
  id                 uuid PRIMARY KEY,
  -- What the payer sees and what the caller finds it by (a booking's reference).
  description        text NOT NULL CHECK (length(description) BETWEEN 1 AND 255),
  reference          text NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
  -- What the payment is for (`reservation`, `counter-fee`) and the caller's record (a booking id).
  purpose            text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9-]{0,39}$'),
  owner_ref          text CHECK (length(owner_ref) <= 100),
  payer_person_id    uuid,
  amount             integer NOT NULL CHECK (amount BETWEEN 1 AND 10000000),
  method             text NOT NULL CHECK (method IN ('card', 'qr', 'konbini')),
  provider           text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9-]{0,39}$'),
  -- The payer's link (/payments/pay/{token}): a capability, like GOV.UK Pay's next_url.
  pay_token          text NOT NULL UNIQUE CHECK (length(pay_token) BETWEEN 32 AND 64),
  return_url         text NOT NULL CHECK (length(return_url) BETWEEN 1 AND 500),
  state              text NOT NULL DEFAULT 'created'
                     CHECK (state IN ('created', 'started', 'succeeded', 'failed', 'cancelled', 'expired')),
  -- Set when the payer starts: the provider's charge and its page.
  provider_ref       text CHECK (length(provider_ref) <= 100),
  provider_next_url  text CHECK (length(provider_next_url) <= 500),
  -- A convenience-store payment number (支払番号), when the method has one.
  payment_number     text CHECK (length(payment_number) <= 40),
  -- The provider's fee on the capture (a cost to the town), set when it succeeds.
  fee                integer CHECK (fee >= 0),
  expires_at         timestamptz NOT NULL,
  created_at         timestamptz NOT NULL,
  started_at         timestamptz,
  finished_at        timestamptz,
  -- Who asked for it: `client:<id>`, `staff:<id>` or `module:<purpose>`.
  created_by         text NOT NULL CHECK (length(created_by) <= 120),
  demo               boolean NOT NULL DEFAULT false,
  UNIQUE (provider, provider_ref),
  CHECK (state = 'created' OR state = 'expired' OR state = 'cancelled' OR provider_ref IS NOT NULL),
  CHECK ((state IN ('created', 'started')) = (finished_at IS NULL)),
  CHECK (state <> 'succeeded' OR fee IS NOT NULL)
);
CREATE INDEX payments_due ON payments.payments (expires_at) WHERE state IN ('created', 'started');
CREATE INDEX payments_owner ON payments.payments (purpose, owner_ref);
CREATE INDEX payments_created ON payments.payments (created_at);

-- Idempotency-Key: the first answer to a key, kept with a hash of what was asked. The same key
-- and the same request get that answer again; the same key and another request get 409.
CREATE TABLE payments.idempotency_keys (
  scope         text NOT NULL CHECK (length(scope) <= 200),
  key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash  text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  status        integer NOT NULL,
  response      jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

CREATE TABLE payments.refunds (
  id                   uuid PRIMARY KEY,
  payment_id           uuid NOT NULL REFERENCES payments.payments (id),
  amount               integer NOT NULL CHECK (amount > 0),
  reason               text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  -- submitted: counts against what is refundable until the provider says succeeded or failed.
  state                text NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'succeeded', 'failed')),
  -- A capture that arrived after the payment had ended is refunded by itself.
  automatic            boolean NOT NULL DEFAULT false,
  provider_refund_ref  text CHECK (length(provider_refund_ref) <= 100),
  requested_by         text NOT NULL CHECK (length(requested_by) <= 120),
  created_at           timestamptz NOT NULL,
  settled_at           timestamptz,
  -- Sending to the provider: claimed with a lease token, retried with spacing until it answers.
  attempts             integer NOT NULL DEFAULT 0,
  next_attempt_at      timestamptz NOT NULL,
  lease_token          uuid,
  lease_until          timestamptz,
  last_error           text CHECK (length(last_error) <= 300),
  -- A refund the provider refused is tried again (by the accounting desk) as a new refund
  -- naming it here; at most one retry per refused refund.
  retry_of             uuid UNIQUE REFERENCES payments.refunds (id),
  demo                 boolean NOT NULL DEFAULT false,
  CHECK ((state = 'submitted') = (settled_at IS NULL)),
  CHECK (retry_of IS NULL OR retry_of <> id)
);
CREATE INDEX refunds_payment ON payments.refunds (payment_id);
CREATE INDEX refunds_to_send ON payments.refunds (next_attempt_at) WHERE state = 'submitted';
-- Refused refunds nobody has tried again yet: the accounting desk's list.
CREATE INDEX refunds_refused ON payments.refunds (created_at) WHERE state = 'failed';
-- A late capture is refunded by the module once, however many times the provider reports it.
CREATE UNIQUE INDEX refunds_one_automatic ON payments.refunds (payment_id) WHERE automatic AND retry_of IS NULL;

-- Every movement of money, append-only: capture (+), refund (−), provider fee (−). At most one
-- capture and one fee per payment and one line per refund, whatever arrives twice.
CREATE TABLE payments.ledger (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id   uuid NOT NULL REFERENCES payments.payments (id),
  refund_id    uuid REFERENCES payments.refunds (id),
  kind         text NOT NULL CHECK (kind IN ('capture', 'refund', 'fee')),
  amount       integer NOT NULL,
  provider     text NOT NULL,
  method       text NOT NULL,
  purpose      text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  demo         boolean NOT NULL DEFAULT false,
  CHECK ((kind = 'capture' AND amount > 0) OR (kind IN ('refund', 'fee') AND amount < 0)),
  CHECK ((kind = 'refund') = (refund_id IS NOT NULL))
);
CREATE UNIQUE INDEX ledger_one_capture ON payments.ledger (payment_id, kind) WHERE kind IN ('capture', 'fee');
CREATE UNIQUE INDEX ledger_one_refund ON payments.ledger (refund_id) WHERE kind = 'refund';
CREATE INDEX ledger_occurred ON payments.ledger (occurred_at);

CREATE FUNCTION payments.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the payments ledger is append-only';
END;
$$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON payments.ledger
  FOR EACH ROW EXECUTE FUNCTION payments.refuse_change();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON payments.ledger
  FOR EACH STATEMENT EXECUTE FUNCTION payments.refuse_change();

-- Provider events already applied (webhooks arrive at least once): the same event id twice is
-- harmless. Written in the transaction that applies the event. An event for a charge this
-- installation does not know is not recorded (refused with 503, so the provider sends it
-- again); one naming another amount than the payment's is recorded, not applied, and shown to
-- the accounting desk (`amount` is what the event named).
CREATE TABLE payments.provider_events (
  provider     text NOT NULL,
  event_id     text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 100),
  type         text NOT NULL CHECK (length(type) <= 60),
  payment_id   uuid,
  outcome      text NOT NULL CHECK (outcome IN ('applied', 'late-capture', 'ignored', 'amount-mismatch')),
  amount       integer,
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX provider_events_mismatch ON payments.provider_events (received_at) WHERE outcome = 'amount-mismatch';

-- The simulated provider's own side (what a real provider keeps at home): its charges, its
-- refunds and the webhooks it sends. For development, tests and the demo only.
CREATE TABLE payments.simulated_charges (
  ref             text PRIMARY KEY CHECK (ref ~ '^sim_[a-z0-9]{24}$'),
  payment_id      uuid NOT NULL UNIQUE,
  amount          integer NOT NULL CHECK (amount > 0),
  method          text NOT NULL CHECK (method IN ('card', 'qr', 'konbini')),
  description     text NOT NULL,
  return_url      text NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed', 'cancelled', 'expired')),
  payment_number  text,
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  demo            boolean NOT NULL DEFAULT false
);

CREATE TABLE payments.simulated_refunds (
  ref         text PRIMARY KEY,
  charge_ref  text NOT NULL REFERENCES payments.simulated_charges (ref),
  refund_id   uuid NOT NULL UNIQUE,
  amount      integer NOT NULL CHECK (amount > 0),
  created_at  timestamptz NOT NULL
);

CREATE TABLE payments.simulated_webhooks (
  event_id         text PRIMARY KEY,
  charge_ref       text NOT NULL REFERENCES payments.simulated_charges (ref),
  type             text NOT NULL,
  body             text NOT NULL,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  lease_token      uuid,
  lease_until      timestamptz,
  last_error       text CHECK (length(last_error) <= 300)
);
CREATE INDEX simulated_webhooks_pending ON payments.simulated_webhooks (next_attempt_at) WHERE delivered_at IS NULL;
