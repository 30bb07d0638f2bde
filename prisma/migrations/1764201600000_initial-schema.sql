-- Up Migration

-- btree_gist lets the exclusion constraint on schedule_blocks compare user_id with `=` inside a
-- GiST index next to the time-range overlap operator.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE task_status AS ENUM ('pending', 'in_progress', 'completed', 'archived');
CREATE TYPE priority AS ENUM ('none', 'low', 'medium', 'high', 'urgent');
CREATE TYPE habit_frequency AS ENUM ('daily', 'weekdays', 'weekends', 'weekly', 'custom');
CREATE TYPE preferred_time AS ENUM ('morning', 'afternoon', 'evening', 'night', 'anytime');
CREATE TYPE meeting_cadence AS ENUM ('weekly', 'biweekly', 'monthly', 'custom');
CREATE TYPE block_type AS ENUM ('task', 'habit', 'meeting', 'focus', 'break', 'event');
CREATE TYPE block_status AS ENUM ('planned', 'completed', 'missed');
CREATE TYPE block_source AS ENUM ('orbita', 'imported');
CREATE TYPE connection_status AS ENUM ('connected', 'needs_reconnect');
CREATE TYPE subscription_status AS ENUM ('active', 'trialing', 'past_due', 'canceled', 'incomplete');
CREATE TYPE entitlement_source AS ENUM ('stripe', 'manual', 'trial');

-- identity

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text UNIQUE,
  name text,
  password_hash text,
  image text,
  email_verified timestamptz(6),
  time_zone text NOT NULL DEFAULT 'UTC',
  is_admin boolean NOT NULL DEFAULT false,
  personal_start_minute integer NOT NULL DEFAULT 420,
  personal_end_minute integer NOT NULL DEFAULT 1260,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT users_personal_hours_valid CHECK (
    personal_start_minute >= 0 AND personal_end_minute <= 1440 AND personal_start_minute < personal_end_minute
  )
);

CREATE TABLE working_hours (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  weekday integer NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  start_minute integer NOT NULL,
  end_minute integer NOT NULL,
  PRIMARY KEY (user_id, weekday),
  CONSTRAINT working_hours_valid CHECK (start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute)
);

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type text NOT NULL,
  provider text NOT NULL,
  provider_account_id text NOT NULL,
  refresh_token text,
  access_token text,
  expires_at integer,
  token_type text,
  scope text,
  id_token text,
  session_state text,
  UNIQUE (provider, provider_account_id)
);
CREATE INDEX accounts_user_id_idx ON accounts (user_id);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_token text NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires timestamptz(6) NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE verification_tokens (
  identifier text NOT NULL,
  token text NOT NULL UNIQUE,
  expires timestamptz(6) NOT NULL,
  UNIQUE (identifier, token)
);

CREATE TABLE personal_access_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  last_used_at timestamptz(6),
  expires_at timestamptz(6),
  revoked_at timestamptz(6),
  created_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX personal_access_tokens_user_id_idx ON personal_access_tokens (user_id);

-- tasks

CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
  description text,
  status task_status NOT NULL DEFAULT 'pending',
  priority priority NOT NULL DEFAULT 'none',
  duration_minutes integer CHECK (duration_minutes BETWEEN 5 AND 480),
  due_at timestamptz(6),
  due_has_time boolean NOT NULL DEFAULT false,
  completed_at timestamptz(6),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX tasks_user_id_status_priority_idx ON tasks (user_id, status, priority);
CREATE INDEX tasks_user_id_due_at_idx ON tasks (user_id, due_at);
CREATE INDEX tasks_user_id_created_at_idx ON tasks (user_id, created_at);

-- habits

CREATE TABLE habits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 500),
  description text,
  frequency habit_frequency NOT NULL,
  times_per_week integer NOT NULL CHECK (times_per_week BETWEEN 1 AND 7),
  weekly_day integer CHECK (weekly_day BETWEEN 0 AND 6),
  duration_minutes integer NOT NULL DEFAULT 15 CHECK (duration_minutes > 0),
  preferred_time preferred_time NOT NULL DEFAULT 'anytime',
  streak integer NOT NULL DEFAULT 0,
  best_streak integer NOT NULL DEFAULT 0,
  total_done integer NOT NULL DEFAULT 0,
  archived boolean NOT NULL DEFAULT false,
  archived_at timestamptz(6),
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX habits_user_id_archived_idx ON habits (user_id, archived);

CREATE TABLE habit_completions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  habit_id uuid NOT NULL REFERENCES habits (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  completed_at timestamptz(6) NOT NULL,
  local_date date NOT NULL,
  notes text,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  UNIQUE (habit_id, local_date)
);
CREATE INDEX habit_completions_user_id_local_date_idx ON habit_completions (user_id, local_date);

-- meetings

CREATE TABLE meetings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 500),
  cadence meeting_cadence NOT NULL,
  interval_days integer NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
  duration_minutes integer NOT NULL DEFAULT 30 CHECK (duration_minutes BETWEEN 5 AND 480),
  preferred_minute integer NOT NULL DEFAULT 600 CHECK (preferred_minute BETWEEN 0 AND 1439),
  last_held_at timestamptz(6),
  archived boolean NOT NULL DEFAULT false,
  archived_at timestamptz(6),
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX meetings_user_id_archived_idx ON meetings (user_id, archived);

-- scheduling

CREATE TABLE schedule_blocks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type block_type NOT NULL,
  reference_id uuid,
  title text NOT NULL,
  start_at timestamptz(6) NOT NULL,
  end_at timestamptz(6) NOT NULL,
  status block_status NOT NULL DEFAULT 'planned',
  source block_source NOT NULL DEFAULT 'orbita',
  external_calendar_id text,
  external_event_id text,
  synced_hash text,
  synced_at timestamptz(6),
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now(),
  UNIQUE (user_id, external_calendar_id, external_event_id),
  CONSTRAINT schedule_blocks_end_after_start CHECK (end_at > start_at),
  -- Imported events may be shorter (a 0–4 minute calendar entry is still busy time).
  CONSTRAINT schedule_blocks_min_length CHECK (source = 'imported' OR end_at - start_at >= interval '5 minutes'),
  -- The final guard against double booking: two Orbita blocks of one user never overlap, even
  -- when two planners run at once. Half-open ranges, so back-to-back blocks are fine.
  CONSTRAINT schedule_blocks_no_overlap EXCLUDE USING gist (
    user_id WITH =,
    tstzrange(start_at, end_at, '[)') WITH &&
  ) WHERE (source = 'orbita')
);
CREATE INDEX schedule_blocks_user_id_start_at_idx ON schedule_blocks (user_id, start_at);
CREATE INDEX schedule_blocks_user_id_reference_id_idx ON schedule_blocks (user_id, reference_id);
CREATE INDEX schedule_blocks_status_end_at_idx ON schedule_blocks (status, end_at);

CREATE TABLE user_settings (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  calendar_id text,
  calendar_delete_missing boolean,
  ics_feed_token text UNIQUE,
  updated_at timestamptz(6) NOT NULL DEFAULT now()
);

-- calendar

CREATE TABLE oauth_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider text NOT NULL,
  account_email text,
  access_token_ciphertext text NOT NULL,
  refresh_token_ciphertext text,
  key_id text NOT NULL,
  token_type text,
  scope text,
  expires_at timestamptz(6),
  status connection_status NOT NULL DEFAULT 'connected',
  last_error text,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now(),
  UNIQUE (user_id, provider)
);
CREATE INDEX oauth_tokens_key_id_idx ON oauth_tokens (key_id);

CREATE TABLE oauth_states (
  state text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider text NOT NULL,
  code_verifier text NOT NULL,
  expires_at timestamptz(6) NOT NULL,
  created_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX oauth_states_expires_at_idx ON oauth_states (expires_at);

CREATE TABLE calendar_sync_states (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  calendar_id text NOT NULL,
  sync_token text,
  last_synced_at timestamptz(6),
  last_import_at timestamptz(6),
  updated_at timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, calendar_id)
);

-- billing

CREATE TABLE subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  plan text,
  status subscription_status NOT NULL,
  current_period_end timestamptz(6),
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  stripe_customer_id text UNIQUE,
  stripe_subscription_id text UNIQUE,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now()
);

CREATE TABLE entitlements (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  module text NOT NULL,
  active boolean NOT NULL,
  source entitlement_source NOT NULL,
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, module)
);

CREATE TABLE processed_stripe_events (
  event_id text PRIMARY KEY,
  type text NOT NULL,
  processed_at timestamptz(6) NOT NULL DEFAULT now()
);

-- outbox

CREATE TABLE outbox_events (
  sequence bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  published_at timestamptz(6),
  retry_count integer NOT NULL DEFAULT 0,
  next_retry_at timestamptz(6),
  last_error text,
  dead_lettered_at timestamptz(6),
  dead_letter_reason text,
  leased_until timestamptz(6),
  lease_owner text
);
-- Every event is updated twice (leased, then published) and neither update can be HOT, so each
-- index costs an entry per update: keep them few and partial. Cleanup finds published rows here;
-- rows still waiting are not in it.
CREATE INDEX outbox_events_published_at_idx ON outbox_events (published_at) WHERE published_at IS NOT NULL;
-- The processor's claim scans only rows still waiting.
CREATE INDEX outbox_events_pending_idx ON outbox_events (sequence) WHERE published_at IS NULL AND dead_lettered_at IS NULL;

-- Down Migration

DROP TABLE IF EXISTS outbox_events;
DROP TABLE IF EXISTS processed_stripe_events;
DROP TABLE IF EXISTS entitlements;
DROP TABLE IF EXISTS subscriptions;
DROP TABLE IF EXISTS calendar_sync_states;
DROP TABLE IF EXISTS oauth_states;
DROP TABLE IF EXISTS oauth_tokens;
DROP TABLE IF EXISTS user_settings;
DROP TABLE IF EXISTS schedule_blocks;
DROP TABLE IF EXISTS meetings;
DROP TABLE IF EXISTS habit_completions;
DROP TABLE IF EXISTS habits;
DROP TABLE IF EXISTS tasks;
DROP TABLE IF EXISTS personal_access_tokens;
DROP TABLE IF EXISTS verification_tokens;
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS accounts;
DROP TABLE IF EXISTS working_hours;
DROP TABLE IF EXISTS users;
DROP TYPE IF EXISTS entitlement_source;
DROP TYPE IF EXISTS subscription_status;
DROP TYPE IF EXISTS connection_status;
DROP TYPE IF EXISTS block_source;
DROP TYPE IF EXISTS block_status;
DROP TYPE IF EXISTS block_type;
DROP TYPE IF EXISTS meeting_cadence;
DROP TYPE IF EXISTS habit_frequency;
DROP TYPE IF EXISTS preferred_time;
DROP TYPE IF EXISTS priority;
DROP TYPE IF EXISTS task_status;
-- btree_gist stays: other schemas in the same database may use it, and it holds no data.
