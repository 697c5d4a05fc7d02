-- 0008: Gemini requests and tokens per user and quota day, written by the Gemini nodes when
-- they are given the database credential, so the health summary can show calls per day and
-- how close the day is to the daily quota. One row per (day, user, step, model), added to
-- after every call. `day` is the quota day: the date in Pacific time, where Gemini's daily
-- quota resets at midnight. `calls` counts HTTP requests, answered or not (retries and the
-- repair attempt included: Gemini's limits count them all); `rate_limited` those answered 429.
CREATE TABLE gemini_usage (
  day TEXT NOT NULL,
  user_id TEXT NOT NULL,                    -- '' when the node was given no user
  step TEXT NOT NULL,                       -- 'intent' or 'planner'
  model TEXT NOT NULL,
  calls BIGINT NOT NULL DEFAULT 0,
  rate_limited BIGINT NOT NULL DEFAULT 0,
  prompt_tokens BIGINT NOT NULL DEFAULT 0,
  output_tokens BIGINT NOT NULL DEFAULT 0,  -- thinking included, as billed
  thoughts_tokens BIGINT NOT NULL DEFAULT 0,
  total_tokens BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (day, user_id, step, model)
);
CREATE INDEX gemini_usage_user ON gemini_usage (user_id, day);
