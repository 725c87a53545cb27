-- A job stopped with the daemon while it waited out its random delay (scheduler.randomDelays) never began: its run is
-- recorded as skipped.
ALTER TABLE scheduler_job_runs DROP CONSTRAINT scheduler_job_runs_outcome_check;
ALTER TABLE scheduler_job_runs ADD CONSTRAINT scheduler_job_runs_outcome_check
  CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted', 'skipped'));
