-- The per-user index of sessions (the sessions themselves live in their Durable Objects).
-- Rows are purged by the cron trigger once expires_at (ms since the epoch) has passed.
CREATE TABLE IF NOT EXISTS sessions (
  session_id  TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  status      TEXT NOT NULL,
  image_count INTEGER NOT NULL,
  parser      TEXT NOT NULL,
  summary     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);
