-- Row counts of the site's tables at a moment (PitrMarks, the scheduler's pitr-mark job, hourly): the restore drill
-- restores the point-in-time recovery repository to a mark's moment and compares the restored counts with these. The
-- counts are taken under SHARE locks in the mark's own transaction, and marked_at is read after them, so a restore to
-- marked_at holds exactly these counts. Marks older than the recovery window are deleted as new ones are taken.
CREATE TABLE pitr_marks
(
  id         BIGSERIAL   PRIMARY KEY,
  marked_at  TIMESTAMPTZ NOT NULL,
  -- {"table": rows, ...} for every base table of the schema but pitr_marks and Quartz's qrtz_* tables
  counts     JSONB       NOT NULL
);

CREATE INDEX pitr_marks_marked_at ON pitr_marks (marked_at);
