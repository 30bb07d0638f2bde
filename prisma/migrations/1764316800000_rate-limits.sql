-- Up Migration

-- Fixed-window rate-limit counters (sign-in, token creation, webhooks). Rows, not process memory,
-- so every replica counts against the same limit (SPEC §12). `key` is `<bucket>:<sha-256 of the
-- identity>` (IP, IP+email, user id): no address or email is stored in clear. A row whose window
-- has ended is reset by the next hit and deleted by the periodic cleanup.
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  count integer NOT NULL,
  reset_at timestamptz(6) NOT NULL
);
CREATE INDEX rate_limits_reset_at_idx ON rate_limits (reset_at);

-- Down Migration

DROP TABLE IF EXISTS rate_limits;
