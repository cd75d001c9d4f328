-- The lottery (抽選) and the facilities desk, beyond what 0015 set up: who opened and who
-- drew a round, how long its winners hold their slot to pay, how many slots one booker may
-- win in it, the language of an entrant's mail; and a log of the desk's changes to the
-- facilities (fees, hours, windows, units), since those are the town's rules (使用料条例).
ALTER TABLE reservations.lottery_rounds
  ADD COLUMN created_by  uuid,
  ADD COLUMN created_at  timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN drawn_by    uuid,
  -- A winner's held booking waits this long for payment (never past the slot's start).
  ADD COLUMN hold_hours  integer NOT NULL DEFAULT 72 CHECK (hold_hours BETWEEN 1 AND 336),
  -- Slots one booker (a resident, or a registered group) may win in this round.
  ADD COLUMN max_wins    integer NOT NULL DEFAULT 1 CHECK (max_wins BETWEEN 1 AND 100);

CREATE INDEX lottery_rounds_state ON reservations.lottery_rounds (state, draws_at);

ALTER TABLE reservations.lottery_entries
  ADD COLUMN locale        text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'ja-easy', 'en')),
  ADD COLUMN withdrawn_at  timestamptz;

-- The draw reads a round's entries by id (its recorded input order); residents read theirs.
CREATE INDEX lottery_entries_round ON reservations.lottery_entries (round_id, id);
CREATE INDEX lottery_entries_person ON reservations.lottery_entries (person_id, created_at DESC);

-- What the desk changed in a facility's set-up, by whom and when (append-only).
CREATE TABLE reservations.setup_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  facility_id  uuid NOT NULL REFERENCES reservations.facilities (id),
  staff_id     uuid,
  at           timestamptz NOT NULL DEFAULT now(),
  what         text NOT NULL CHECK (what IN ('rules', 'hours', 'units', 'unit-added', 'block-added', 'block-removed', 'lottery-opened', 'lottery-drawn', 'lottery-cancelled')),
  detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX setup_log_facility ON reservations.setup_log (facility_id, at DESC);
