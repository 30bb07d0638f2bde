-- Up Migration

-- Wakes outbox processors as soon as events commit (NOTIFY is delivered at commit). One
-- notification per statement, not per row: processors only need to know "there is work".
CREATE FUNCTION orbita_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('orbita_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_events_notify
  AFTER INSERT ON outbox_events
  FOR EACH STATEMENT EXECUTE FUNCTION orbita_outbox_notify();

-- The claim's ordering check looks for earlier events of the same aggregate that block (pending and
-- leased elsewhere or waiting for a retry). Those are few, so this partial index stays tiny and the
-- check cheap even before the planner has statistics (a freshly filled outbox).
CREATE INDEX outbox_events_blocking_idx ON outbox_events (aggregate_type, aggregate_id, sequence)
  WHERE published_at IS NULL AND dead_lettered_at IS NULL AND (leased_until IS NOT NULL OR next_retry_at IS NOT NULL);

-- Dead letters are listed and counted on their own.
CREATE INDEX outbox_events_dead_idx ON outbox_events (dead_lettered_at) WHERE dead_lettered_at IS NOT NULL;

-- Down Migration

DROP INDEX IF EXISTS outbox_events_dead_idx;
DROP INDEX IF EXISTS outbox_events_blocking_idx;
DROP TRIGGER IF EXISTS outbox_events_notify ON outbox_events;
DROP FUNCTION IF EXISTS orbita_outbox_notify();
