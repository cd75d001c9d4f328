CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Public facility and town-bus reservations (公共施設予約). Facilities, their units, opening
-- hours, fees, windows and cancellation rules are data the facility staff edit. A booking
-- claims units (a room, a half court, one seat of a bus trip) for a time range, and the
-- database refuses two live claims on one unit that overlap (an exclusion constraint on
-- `claims`), so no race between processes can double-book. Closures (休館日, maintenance)
-- claim units the same way. Money lives in the payments module: a booking keeps the ids of
-- its payments, never card data. Times are timestamptz; the town's day is Asia/Tokyo.
CREATE SCHEMA reservations;

-- Who runs the facilities desk: taking bookings by phone or at the counter (also for people
-- from outside the town), checking people in, closing dates, approving registered groups.
INSERT INTO access.purposes (code, name_ja, name_en, description_ja, sensitive_fields) VALUES
  ('facility-booking', '施設予約の管理', 'facility booking', '公共施設・町有バスの予約を受け付け、利用を確認し、団体登録を審査し、使用料と返金を扱うため', '{}');
INSERT INTO access.roles (code, name_ja, name_en, purposes, fields) VALUES
  ('facility-manager', '施設予約担当', 'facility manager', '{facility-booking}', '{}');

-- Reductions (減免) as the town's ordinance sets them. `register-age`: the booker's age on the
-- day of use, read from the register (min_age / max_age); `declared`: the booker says so and
-- shows proof at check-in (障害者手帳 …); `group`: granted to a registered group on approval.
CREATE TABLE reservations.reductions (
  code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{1,39}$'),
  name_ja     text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 100),
  name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  percent     integer NOT NULL CHECK (percent BETWEEN 1 AND 100),
  basis       text NOT NULL CHECK (basis IN ('register-age', 'declared', 'group')),
  min_age     integer CHECK (min_age BETWEEN 0 AND 150),
  max_age     integer CHECK (max_age BETWEEN 0 AND 150),
  proof_ja    text NOT NULL DEFAULT '',
  proof_en    text NOT NULL DEFAULT '',
  active      boolean NOT NULL DEFAULT true,
  sort_order  integer NOT NULL DEFAULT 0,
  demo        boolean NOT NULL DEFAULT false,
  CHECK (basis <> 'register-age' OR num_nonnulls(min_age, max_age) >= 1)
);

CREATE TABLE reservations.facilities (
  id                             uuid PRIMARY KEY,
  code                           text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  kind                           text NOT NULL CHECK (kind IN ('room', 'gym', 'court', 'hall', 'bus')),
  name_ja                        text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 100),
  name_en                        text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  place_ja                       text NOT NULL DEFAULT '',
  place_en                       text NOT NULL DEFAULT '',
  description_ja                 text NOT NULL DEFAULT '',
  description_en                 text NOT NULL DEFAULT '',
  -- People in one booking at most (a unit may say less).
  capacity                       integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  -- Slot length when the facility has no named periods (区分): slots step from opening time.
  slot_minutes                   integer NOT NULL CHECK (slot_minutes BETWEEN 15 AND 720),
  -- An unpaid provisional booking (仮予約) is held this long, then released by the worker.
  hold_minutes                   integer NOT NULL DEFAULT 30 CHECK (hold_minutes BETWEEN 5 AND 1440),
  -- Paying at a convenience store holds the booking this long (0: not offered).
  konbini_hold_hours             integer NOT NULL DEFAULT 72 CHECK (konbini_hold_hours BETWEEN 0 AND 336),
  -- A freed slot offered to the first on the waiting list is held for them this long.
  offer_hold_hours               integer NOT NULL DEFAULT 24 CHECK (offer_hold_hours BETWEEN 1 AND 168),
  -- Booking opens this many days before the day of use, at window_opens_at (Japan time):
  -- residents (and registered groups) earlier than people from outside the town.
  resident_window_days           integer NOT NULL CHECK (resident_window_days BETWEEN 1 AND 400),
  nonresident_window_days        integer NOT NULL CHECK (nonresident_window_days BETWEEN 0 AND 400),
  window_opens_at                time NOT NULL DEFAULT '09:00',
  -- Booking closes this long before a slot starts.
  closes_minutes_before          integer NOT NULL DEFAULT 60 CHECK (closes_minutes_before BETWEEN 0 AND 20160),
  -- Cancelling online is possible until this many days before the day of use (0: the day itself).
  cancel_deadline_days           integer NOT NULL DEFAULT 1 CHECK (cancel_deadline_days BETWEEN 0 AND 365),
  -- People from outside the town pay this much more (50: one and a half times).
  nonresident_surcharge_percent  integer NOT NULL DEFAULT 50 CHECK (nonresident_surcharge_percent BETWEEN 0 AND 400),
  -- Live bookings one person (or group) may hold at this facility at once.
  max_active_per_booker          integer NOT NULL DEFAULT 4 CHECK (max_active_per_booker BETWEEN 1 AND 100),
  -- Whether popular slots go to a lottery (抽選) first (the rounds are in lottery_rounds).
  lottery                        boolean NOT NULL DEFAULT false,
  active                         boolean NOT NULL DEFAULT true,
  sort_order                     integer NOT NULL DEFAULT 0,
  demo                           boolean NOT NULL DEFAULT false,
  CHECK (nonresident_window_days <= resident_window_days)
);

-- Opening hours per weekday (0 Sunday … 6 Saturday); no row: closed that weekday (e.g. 月曜休館).
CREATE TABLE reservations.opening_hours (
  facility_id  uuid NOT NULL REFERENCES reservations.facilities (id) ON DELETE CASCADE,
  weekday      smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  opens        time NOT NULL,
  closes       time NOT NULL,
  PRIMARY KEY (facility_id, weekday),
  CHECK (opens < closes)
);

-- Named periods (区分: 午前 9:00–12:00, 午後 13:00–17:00, 夜間 18:00–21:00) where a facility
-- lets by them; offered on a weekday when they fall inside its opening hours.
CREATE TABLE reservations.periods (
  facility_id  uuid NOT NULL REFERENCES reservations.facilities (id) ON DELETE CASCADE,
  code         text NOT NULL CHECK (code ~ '^[a-z][a-z0-9-]{0,19}$'),
  name_ja      text NOT NULL,
  name_en      text NOT NULL,
  starts       time NOT NULL,
  ends         time NOT NULL,
  PRIMARY KEY (facility_id, code),
  CHECK (starts < ends)
);

-- Cancellation rules (キャンセル料): cancelling `days_before` or more days before the day of use
-- gives back `refund_percent` of what was paid (the largest step that applies); no step: nothing.
CREATE TABLE reservations.cancellation_rules (
  facility_id     uuid NOT NULL REFERENCES reservations.facilities (id) ON DELETE CASCADE,
  days_before     integer NOT NULL CHECK (days_before BETWEEN 0 AND 365),
  refund_percent  integer NOT NULL CHECK (refund_percent BETWEEN 0 AND 100),
  PRIMARY KEY (facility_id, days_before)
);

-- What a booking claims: a room, a court, a half of the gym, a seat of the bus. A whole made of
-- parts (the gym's full court = both halves) claims its parts, so the halves and the whole
-- exclude each other through the same constraint.
CREATE TABLE reservations.units (
  id           uuid PRIMARY KEY,
  facility_id  uuid NOT NULL REFERENCES reservations.facilities (id),
  code         text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  name_ja      text NOT NULL,
  name_en      text NOT NULL,
  -- `seat`: one seat of the bus, taken by trip (never chosen by the booker).
  kind         text NOT NULL DEFAULT 'space' CHECK (kind IN ('space', 'seat')),
  -- The resident price per hour (yen) of a space.
  hourly_fee   integer NOT NULL DEFAULT 0 CHECK (hourly_fee BETWEEN 0 AND 1000000),
  capacity     integer CHECK (capacity BETWEEN 1 AND 10000),
  active       boolean NOT NULL DEFAULT true,
  sort_order   integer NOT NULL DEFAULT 0,
  demo         boolean NOT NULL DEFAULT false,
  UNIQUE (facility_id, code)
);

CREATE TABLE reservations.unit_parts (
  unit_id  uuid NOT NULL REFERENCES reservations.units (id),
  part_id  uuid NOT NULL REFERENCES reservations.units (id),
  PRIMARY KEY (unit_id, part_id),
  CHECK (unit_id <> part_id)
);

-- The town bus (町有バス) runs trips; a trip's seats are the bus's seat units.
CREATE TABLE reservations.trips (
  id           uuid PRIMARY KEY,
  facility_id  uuid NOT NULL REFERENCES reservations.facilities (id),
  departs_at   timestamptz NOT NULL,
  returns_at   timestamptz NOT NULL,
  route_ja     text NOT NULL,
  route_en     text NOT NULL,
  -- Resident fare per seat (yen).
  fare         integer NOT NULL CHECK (fare BETWEEN 0 AND 100000),
  active       boolean NOT NULL DEFAULT true,
  demo         boolean NOT NULL DEFAULT false,
  CHECK (departs_at < returns_at)
);
CREATE INDEX trips_when ON reservations.trips (facility_id, departs_at);

-- Registered groups (団体登録): a resident represents it; staff approve it and may grant a reduction.
CREATE TABLE reservations.groups (
  id                 uuid PRIMARY KEY,
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  representative_id  uuid NOT NULL,
  members            integer NOT NULL CHECK (members BETWEEN 2 AND 10000),
  activity           text NOT NULL CHECK (length(activity) BETWEEN 1 AND 500),
  contact_email      text CHECK (length(contact_email) <= 320),
  state              text NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'approved', 'rejected', 'withdrawn')),
  reduction_code     text REFERENCES reservations.reductions (code),
  decided_by         uuid,
  decided_at         timestamptz,
  decision_note      text CHECK (length(decision_note) <= 500),
  created_at         timestamptz NOT NULL DEFAULT now(),
  demo               boolean NOT NULL DEFAULT false,
  CHECK (state NOT IN ('approved', 'rejected') OR decided_at IS NOT NULL)
);
CREATE INDEX groups_representative ON reservations.groups (representative_id);
CREATE UNIQUE INDEX groups_one_name ON reservations.groups (name) WHERE state IN ('applied', 'approved');

-- Closures: 休館日, maintenance, the town's own events. One claim per unit they cover.
CREATE TABLE reservations.blocks (
  id           uuid PRIMARY KEY,
  facility_id  uuid NOT NULL REFERENCES reservations.facilities (id),
  unit_id      uuid REFERENCES reservations.units (id),
  period       tstzrange NOT NULL CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period)),
  reason       text NOT NULL CHECK (reason IN ('closed', 'maintenance', 'event')),
  note_ja      text NOT NULL DEFAULT '',
  note_en      text NOT NULL DEFAULT '',
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  removed_at   timestamptz,
  demo         boolean NOT NULL DEFAULT false
);
CREATE INDEX blocks_when ON reservations.blocks USING gist (facility_id, period) WHERE removed_at IS NULL;

CREATE SEQUENCE reservations.booking_number;

CREATE TABLE reservations.bookings (
  id                 uuid PRIMARY KEY,
  reference          text NOT NULL UNIQUE,
  facility_id        uuid NOT NULL REFERENCES reservations.facilities (id),
  -- The unit booked (for the bus: the seat it got) and the bus trip.
  unit_id            uuid NOT NULL REFERENCES reservations.units (id),
  trip_id            uuid REFERENCES reservations.trips (id),
  period             tstzrange NOT NULL CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period)),
  state              text NOT NULL CHECK (state IN ('held', 'confirmed', 'checked-in', 'cancelled', 'released', 'no-show')),
  -- Who: a resident (a registry person; names stay in the registry), or someone from outside
  -- the town booked by staff (their name as given), optionally for a registered group.
  booker_kind        text NOT NULL CHECK (booker_kind IN ('resident', 'non-resident')),
  person_id          uuid,
  booker_name        text CHECK (length(booker_name) <= 100),
  group_id           uuid REFERENCES reservations.groups (id),
  contact_email      text CHECK (length(contact_email) <= 320),
  contact_phone      text CHECK (length(contact_phone) <= 30),
  people             integer NOT NULL CHECK (people BETWEEN 1 AND 10000),
  purpose_of_use     text NOT NULL DEFAULT '' CHECK (length(purpose_of_use) <= 200),
  -- The fee as computed when booked (yen): base, surcharge for outside the town, the reduction.
  base_amount        integer NOT NULL CHECK (base_amount >= 0),
  surcharge_amount   integer NOT NULL DEFAULT 0 CHECK (surcharge_amount >= 0),
  reduction_code     text REFERENCES reservations.reductions (code),
  reduction_amount   integer NOT NULL DEFAULT 0 CHECK (reduction_amount >= 0),
  amount             integer NOT NULL CHECK (amount >= 0),
  -- How it is paid: online through the payments module, at the facility (窓口), or nothing due.
  paid_by            text CHECK (paid_by IN ('online', 'counter', 'free')),
  paid_at            timestamptz,
  payment_id         uuid,
  hold_until         timestamptz,
  source             text NOT NULL CHECK (source IN ('online', 'staff', 'waitlist', 'lottery', 'demo')),
  created_by_staff   uuid,
  created_at         timestamptz NOT NULL,
  confirmed_at       timestamptz,
  ended_at           timestamptz,
  checked_in_at      timestamptz,
  cancel_reason      text CHECK (length(cancel_reason) <= 200),
  refund_amount      integer CHECK (refund_amount >= 0),
  -- The language of the booker's mail.
  locale             text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'ja-easy', 'en')),
  lock_version       integer NOT NULL DEFAULT 0,
  demo               boolean NOT NULL DEFAULT false,
  CHECK ((booker_kind = 'resident' AND person_id IS NOT NULL) OR (booker_kind = 'non-resident' AND booker_name IS NOT NULL)),
  CHECK (state <> 'held' OR hold_until IS NOT NULL),
  CHECK (state NOT IN ('confirmed', 'checked-in') OR paid_by IS NOT NULL),
  CHECK (amount = base_amount + surcharge_amount - reduction_amount),
  CHECK ((state IN ('cancelled', 'released', 'no-show')) = (ended_at IS NOT NULL))
);
CREATE INDEX bookings_person ON reservations.bookings (person_id, created_at DESC);
CREATE INDEX bookings_group ON reservations.bookings (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX bookings_held ON reservations.bookings (hold_until) WHERE state = 'held';
CREATE INDEX bookings_when ON reservations.bookings USING gist (facility_id, period);

-- The live claims on the calendar: a booking's units while it is held, confirmed or checked
-- in, and a closure's. Released claims stay as history. THE rule: two live claims on one unit
-- never overlap. Concurrent inserts wait for each other; all but one fail with 23P01.
CREATE TABLE reservations.claims (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id      uuid NOT NULL REFERENCES reservations.units (id),
  period       tstzrange NOT NULL CHECK (NOT isempty(period)),
  booking_id   uuid REFERENCES reservations.bookings (id),
  block_id     uuid REFERENCES reservations.blocks (id),
  released_at  timestamptz,
  CHECK (num_nonnulls(booking_id, block_id) = 1),
  CONSTRAINT claims_no_overlap EXCLUDE USING gist (unit_id WITH =, period WITH &&) WHERE (released_at IS NULL)
);
CREATE INDEX claims_booking ON reservations.claims (booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX claims_block ON reservations.claims (block_id) WHERE block_id IS NOT NULL;

-- A booking's state and its claims go together, whatever the code does: a booking that ends
-- (cancelled, released, no-show) releases its claims in the same statement, an ended booking
-- never comes back, and at commit a live booking (held, confirmed, checked in) holds at least
-- one live claim — so the calendar never shows a slot free that a live booking has, nor a
-- slot taken by a booking that has ended.
CREATE FUNCTION reservations.booking_state_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state IN ('cancelled', 'released', 'no-show') AND NEW.state <> OLD.state THEN
    RAISE EXCEPTION 'an ended booking (%) cannot become %', OLD.state, NEW.state USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.state IN ('cancelled', 'released', 'no-show') AND OLD.state IN ('held', 'confirmed', 'checked-in') THEN
    UPDATE reservations.claims SET released_at = coalesce(NEW.ended_at, now()) WHERE booking_id = NEW.id AND released_at IS NULL;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER bookings_state_claims AFTER UPDATE OF state ON reservations.bookings
  FOR EACH ROW EXECUTE FUNCTION reservations.booking_state_changed();

CREATE FUNCTION reservations.assert_live_claims(b uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM reservations.bookings WHERE id = b AND state IN ('held', 'confirmed', 'checked-in'))
     AND NOT EXISTS (SELECT 1 FROM reservations.claims WHERE booking_id = b AND released_at IS NULL) THEN
    RAISE EXCEPTION 'a live booking must hold a live claim' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
END;
$$;
CREATE FUNCTION reservations.booking_live_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM reservations.assert_live_claims(NEW.id);
  RETURN NULL;
END;
$$;
CREATE FUNCTION reservations.claim_live_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.booking_id IS NOT NULL THEN PERFORM reservations.assert_live_claims(OLD.booking_id); END IF;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER bookings_hold_claims AFTER INSERT OR UPDATE OF state ON reservations.bookings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reservations.booking_live_claims();
CREATE CONSTRAINT TRIGGER claims_held_by_live AFTER UPDATE OF released_at OR DELETE ON reservations.claims
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reservations.claim_live_claims();

-- The payments a booking started (ids of the payments module) and their state as last told.
CREATE TABLE reservations.booking_payments (
  payment_id  uuid PRIMARY KEY,
  -- The order of the tries (the clock may give two the same moment): the last one says how paying went.
  attempt     bigint GENERATED ALWAYS AS IDENTITY,
  booking_id  uuid NOT NULL REFERENCES reservations.bookings (id),
  method      text NOT NULL CHECK (method IN ('card', 'qr', 'konbini')),
  amount      integer NOT NULL CHECK (amount > 0),
  next_url    text NOT NULL CHECK (length(next_url) <= 1000),
  state       text NOT NULL DEFAULT 'created' CHECK (state IN ('created', 'started', 'succeeded', 'failed', 'cancelled', 'expired')),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX booking_payments_booking ON reservations.booking_payments (booking_id, created_at DESC, attempt DESC);
-- Payments still open (the worker cancels those of bookings that no longer wait for one).
CREATE INDEX booking_payments_open ON reservations.booking_payments (created_at) WHERE state IN ('created', 'started');

-- Money given back: a cancellation's share, or a capture that came after the hold had gone
-- (or a second payment). Refunds of online payments go to the payments module in the same
-- transaction as the change that owes them (`submitted`, with the payments module's refund id)
-- and mirror what the provider answers (`succeeded`, `failed` — a refused refund the
-- accounting desk tries again goes back to `submitted` under the new refund's id); money paid
-- at the facility's counter is given back there (`at-counter` until staff record it).
CREATE TABLE reservations.refunds (
  id                  uuid PRIMARY KEY,
  booking_id          uuid NOT NULL REFERENCES reservations.bookings (id),
  payment_id          uuid,
  amount              integer NOT NULL CHECK (amount > 0),
  reason              text NOT NULL CHECK (reason IN ('cancelled', 'hold-ended', 'duplicate', 'staff')),
  state               text NOT NULL CHECK (state IN ('submitted', 'succeeded', 'failed', 'at-counter', 'paid-at-counter')),
  payments_refund_id  uuid,
  created_at          timestamptz NOT NULL,
  -- When it was given back (or refused): the provider's answer, or staff at the counter.
  done_at             timestamptz,
  demo                boolean NOT NULL DEFAULT false,
  CHECK ((state IN ('submitted', 'succeeded', 'failed')) = (payment_id IS NOT NULL AND payments_refund_id IS NOT NULL)),
  CHECK ((state IN ('submitted', 'at-counter')) = (done_at IS NULL))
);
CREATE INDEX refunds_payments_refund ON reservations.refunds (payments_refund_id) WHERE payments_refund_id IS NOT NULL;
CREATE INDEX refunds_booking ON reservations.refunds (booking_id);
-- One refund per payment and reason: a capture told twice is refunded once.
CREATE UNIQUE INDEX refunds_once ON reservations.refunds (payment_id, reason) WHERE payment_id IS NOT NULL;

-- The waiting list (キャンセル待ち): in order of joining; a freed slot is offered to the first
-- waiting (a hold in their name and a mail), the next when that hold lapses.
CREATE TABLE reservations.waitlist (
  id                  uuid PRIMARY KEY,
  -- The order of joining (ties of the clock broken by arrival).
  line                bigint GENERATED ALWAYS AS IDENTITY,
  facility_id         uuid NOT NULL REFERENCES reservations.facilities (id),
  unit_id             uuid REFERENCES reservations.units (id),
  trip_id             uuid REFERENCES reservations.trips (id),
  period              tstzrange NOT NULL,
  person_id           uuid NOT NULL,
  group_id            uuid REFERENCES reservations.groups (id),
  people              integer NOT NULL CHECK (people BETWEEN 1 AND 10000),
  purpose_of_use      text NOT NULL DEFAULT '' CHECK (length(purpose_of_use) <= 200),
  reduction_code      text REFERENCES reservations.reductions (code),
  contact_email       text CHECK (length(contact_email) <= 320),
  locale              text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'ja-easy', 'en')),
  state               text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'offered', 'booked', 'lapsed', 'withdrawn')),
  offered_booking_id  uuid REFERENCES reservations.bookings (id),
  created_at          timestamptz NOT NULL,
  offered_at          timestamptz,
  closed_at           timestamptz,
  demo                boolean NOT NULL DEFAULT false,
  CHECK (num_nonnulls(unit_id, trip_id) = 1),
  CHECK (state <> 'offered' OR offered_booking_id IS NOT NULL)
);
CREATE UNIQUE INDEX waitlist_once ON reservations.waitlist (person_id, coalesce(unit_id, trip_id), period) WHERE state IN ('waiting', 'offered');
CREATE INDEX waitlist_line ON reservations.waitlist (facility_id, line) WHERE state = 'waiting';

-- A resident's calendar feed (/me/bookings.ics?token=…): the token is this random id and its
-- HMAC under the server's key, so the table alone cannot open a feed. A new id revokes the old.
CREATE TABLE reservations.feeds (
  person_id   uuid PRIMARY KEY,
  feed_id     text NOT NULL UNIQUE CHECK (feed_id ~ '^[A-Za-z0-9_-]{16,64}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Idempotency-Key on POST /api/v1/bookings: the same key and request give the same booking.
CREATE TABLE reservations.idempotency_keys (
  owner         text NOT NULL CHECK (length(owner) <= 120),
  key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash  text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  booking_id    uuid NOT NULL REFERENCES reservations.bookings (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner, key)
);

-- The lottery (抽選) for popular slots: a round takes applications for its slots during a
-- window, then a draw whose 256-bit seed, inputs (entries by id) and winners are stored so
-- anyone can re-run it. While a round is open its slots are not bookable (422 lottery-window);
-- after the draw the winners hold their slots and what is left goes first come.
CREATE TABLE reservations.lottery_rounds (
  id            uuid PRIMARY KEY,
  facility_id   uuid NOT NULL REFERENCES reservations.facilities (id),
  name_ja       text NOT NULL,
  name_en       text NOT NULL,
  applies_from  timestamptz NOT NULL,
  applies_until timestamptz NOT NULL,
  draws_at      timestamptz NOT NULL,
  state         text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'drawn', 'cancelled')),
  seed          bytea CHECK (seed IS NULL OR octet_length(seed) = 32),
  drawn_at      timestamptz,
  result        jsonb,
  demo          boolean NOT NULL DEFAULT false,
  CHECK (applies_from < applies_until AND applies_until <= draws_at),
  CHECK ((state = 'drawn') = (seed IS NOT NULL AND drawn_at IS NOT NULL))
);

CREATE TABLE reservations.lottery_slots (
  round_id  uuid NOT NULL REFERENCES reservations.lottery_rounds (id),
  unit_id   uuid NOT NULL REFERENCES reservations.units (id),
  period    tstzrange NOT NULL,
  PRIMARY KEY (round_id, unit_id, period)
);
CREATE INDEX lottery_slots_when ON reservations.lottery_slots USING gist (unit_id, period);

CREATE TABLE reservations.lottery_entries (
  id              uuid PRIMARY KEY,
  round_id        uuid NOT NULL REFERENCES reservations.lottery_rounds (id),
  unit_id         uuid NOT NULL REFERENCES reservations.units (id),
  period          tstzrange NOT NULL,
  person_id       uuid NOT NULL,
  group_id        uuid REFERENCES reservations.groups (id),
  people          integer NOT NULL CHECK (people BETWEEN 1 AND 10000),
  purpose_of_use  text NOT NULL DEFAULT '',
  reduction_code  text REFERENCES reservations.reductions (code),
  contact_email   text CHECK (length(contact_email) <= 320),
  state           text NOT NULL DEFAULT 'entered' CHECK (state IN ('entered', 'won', 'lost', 'withdrawn')),
  booking_id      uuid REFERENCES reservations.bookings (id),
  created_at      timestamptz NOT NULL,
  demo            boolean NOT NULL DEFAULT false,
  FOREIGN KEY (round_id, unit_id, period) REFERENCES reservations.lottery_slots (round_id, unit_id, period)
);
CREATE UNIQUE INDEX lottery_entries_once ON reservations.lottery_entries (round_id, person_id, unit_id, period) WHERE state <> 'withdrawn';
