-- Every node keeps in memory what a signed-in page needs of a learner (their sessions, their access, their progress)
-- and drops it when told the learner changed (dev.athanor.platform.db.LearnerChanges). The telling is done here, by
-- triggers, so no path that changes these rows can forget it: the site, ops commands, housekeeping, or an operator's
-- SQL. NOTIFY is delivered when the transaction commits, to every listening node; PostgreSQL sends a payload once per
-- transaction however many rows name it. A notifying commit takes a database-wide lock, so what changes often and
-- revokes nothing is not announced: progress (every player reports every few seconds; nodes keep it a few seconds),
-- and the sync bookkeeping of subscriptions and newsletter contacts.
--   learner:ID   the account, its sessions, second factors, recovery codes, newsletter consent, grants or
--                subscriptions changed
--   *            one of these tables was emptied (TRUNCATE, which fires no row trigger): nothing kept holds
CREATE FUNCTION announce_learner_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'learner' THEN
    PERFORM pg_notify('athanor_learners', TG_ARGV[0] || ':' || OLD.id);
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('athanor_learners', TG_ARGV[0] || ':' || NEW.learner_id);
  ELSE
    PERFORM pg_notify('athanor_learners', TG_ARGV[0] || ':' || OLD.learner_id);
    IF TG_OP = 'UPDATE' THEN
      IF NEW.learner_id <> OLD.learner_id THEN
        PERFORM pg_notify('athanor_learners', TG_ARGV[0] || ':' || NEW.learner_id);
      END IF;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER learner_changed AFTER UPDATE OR DELETE ON learner
  FOR EACH ROW EXECUTE FUNCTION announce_learner_change('learner');

-- Touching a session (last_seen_at moving forward, once a minute) is not announced: the account page's list of
-- sessions is kept a minute at most. Any other change is.
CREATE TRIGGER session_started_or_ended AFTER INSERT OR DELETE ON session
  FOR EACH ROW EXECUTE FUNCTION announce_learner_change('learner');
CREATE TRIGGER session_changed AFTER UPDATE ON session
  FOR EACH ROW WHEN ((to_jsonb(OLD) - 'last_seen_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_seen_at')
                    OR NEW.last_seen_at < OLD.last_seen_at)
  EXECUTE FUNCTION announce_learner_change('learner');

CREATE TRIGGER second_factor_changed AFTER INSERT OR UPDATE OR DELETE ON second_factor
  FOR EACH ROW EXECUTE FUNCTION announce_learner_change('learner');
CREATE TRIGGER recovery_code_changed AFTER INSERT OR UPDATE OR DELETE ON recovery_code
  FOR EACH ROW EXECUTE FUNCTION announce_learner_change('learner');
CREATE TRIGGER newsletter_contact_added_or_removed AFTER INSERT OR DELETE ON newsletter_contact
  FOR EACH ROW EXECUTE FUNCTION announce_learner_change('learner');
CREATE TRIGGER newsletter_contact_changed AFTER UPDATE ON newsletter_contact
  FOR EACH ROW WHEN ((to_jsonb(OLD) - 'synced_at' - 'sync_error')
                    IS DISTINCT FROM (to_jsonb(NEW) - 'synced_at' - 'sync_error'))
  EXECUTE FUNCTION announce_learner_change('learner');
CREATE TRIGGER entitlement_changed AFTER INSERT OR UPDATE OR DELETE ON entitlement
  FOR EACH ROW EXECUTE FUNCTION announce_learner_change('learner');
CREATE TRIGGER subscription_added_or_removed AFTER INSERT OR DELETE ON subscription
  FOR EACH ROW EXECUTE FUNCTION announce_learner_change('learner');
CREATE TRIGGER subscription_changed AFTER UPDATE ON subscription
  FOR EACH ROW WHEN ((to_jsonb(OLD) - 'synced_at') IS DISTINCT FROM (to_jsonb(NEW) - 'synced_at'))
  EXECUTE FUNCTION announce_learner_change('learner');

CREATE FUNCTION announce_learners_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('athanor_learners', '*');
  RETURN NULL;
END $$;

CREATE TRIGGER learner_emptied AFTER TRUNCATE ON learner
  FOR EACH STATEMENT EXECUTE FUNCTION announce_learners_emptied();
CREATE TRIGGER session_emptied AFTER TRUNCATE ON session
  FOR EACH STATEMENT EXECUTE FUNCTION announce_learners_emptied();
CREATE TRIGGER second_factor_emptied AFTER TRUNCATE ON second_factor
  FOR EACH STATEMENT EXECUTE FUNCTION announce_learners_emptied();
CREATE TRIGGER recovery_code_emptied AFTER TRUNCATE ON recovery_code
  FOR EACH STATEMENT EXECUTE FUNCTION announce_learners_emptied();
CREATE TRIGGER newsletter_contact_emptied AFTER TRUNCATE ON newsletter_contact
  FOR EACH STATEMENT EXECUTE FUNCTION announce_learners_emptied();
CREATE TRIGGER entitlement_emptied AFTER TRUNCATE ON entitlement
  FOR EACH STATEMENT EXECUTE FUNCTION announce_learners_emptied();
CREATE TRIGGER subscription_emptied AFTER TRUNCATE ON subscription
  FOR EACH STATEMENT EXECUTE FUNCTION announce_learners_emptied();
