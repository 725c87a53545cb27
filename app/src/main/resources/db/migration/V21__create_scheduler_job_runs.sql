-- Every run of a scheduled job (ops scheduler): when it was due, when it ran, on which node, and how it ended.
-- ops scheduler status and the site's scheduler health check read it; old rows are removed by the scheduler.
CREATE TABLE scheduler_job_runs
(
  id             BIGSERIAL PRIMARY KEY,
  job_name       TEXT        NOT NULL,
  trigger_name   TEXT        NOT NULL,
  scheduled_at   TIMESTAMPTZ,
  started_at     TIMESTAMPTZ NOT NULL,
  finished_at    TIMESTAMPTZ,
  -- running, succeeded, failed, interrupted
  outcome        TEXT        NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
  instance_id    TEXT        NOT NULL,
  detail         TEXT
);

CREATE INDEX scheduler_job_runs_job_started ON scheduler_job_runs (job_name, started_at DESC);
