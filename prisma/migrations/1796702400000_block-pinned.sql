-- Up Migration

-- A block moved by hand stays where it was put: later planning (re-planning a resized task, a
-- meeting whose cadence or time changed) never moves a pinned block.
ALTER TABLE schedule_blocks ADD COLUMN pinned boolean NOT NULL DEFAULT false;

-- Down Migration

ALTER TABLE schedule_blocks DROP COLUMN IF EXISTS pinned;
