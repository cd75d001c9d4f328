-- Resident sessions are signed cookies; signing out records the session id here so a copied
-- cookie stops working. Rows are needed only until the cookie would have expired anyway.
CREATE TABLE access.revoked_sessions (
  session_id  text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX revoked_sessions_expiry ON access.revoked_sessions (expires_at);
