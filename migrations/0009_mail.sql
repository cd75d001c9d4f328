-- Mail to residents: queued in the transaction of the change it reports, sent by a worker.
-- The worker leases due rows (status 'sending', lease_until, lease_token) and commits before
-- talking to the mail server; a lease that runs out (the worker died) makes the row due
-- again. After max attempts the row is 'dead'. Once sent, the address, subject and body are
-- cleared: what stays (tag, ref, times, status) says a mail went out, not to whom or what.
CREATE TABLE platform.mail_queue (
  id               bigserial PRIMARY KEY,
  -- What kind of mail, e.g. 'application.receipt'; and a non-personal reference (a receipt number).
  tag              text NOT NULL CHECK (tag ~ '^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$' AND length(tag) <= 100),
  ref              text CHECK (length(ref) <= 100),
  to_address       text CHECK (length(to_address) <= 320),
  subject          text CHECK (length(subject) <= 500),
  body             text CHECK (length(body) <= 100000),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_until      timestamptz,
  lease_token      uuid,
  -- An error class and SMTP code (e.g. 'EENVELOPE 550'); never the server's text, which can name the address.
  last_error       text CHECK (length(last_error) <= 200),
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  CHECK (status = 'sent' OR (to_address IS NOT NULL AND subject IS NOT NULL AND body IS NOT NULL)),
  CHECK (status <> 'sent' OR (to_address IS NULL AND subject IS NULL AND body IS NULL AND sent_at IS NOT NULL)),
  CHECK (status <> 'sending' OR (lease_until IS NOT NULL AND lease_token IS NOT NULL))
);
CREATE INDEX mail_queue_due ON platform.mail_queue (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_queue_leased ON platform.mail_queue (lease_until) WHERE status = 'sending';
CREATE INDEX mail_queue_ref ON platform.mail_queue (tag, ref);
