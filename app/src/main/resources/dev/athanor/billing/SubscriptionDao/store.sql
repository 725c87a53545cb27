INSERT INTO subscription (stripe_subscription_id, learner_id, stripe_customer_id, status, plan,
    price_id, tier, country, current_period_end, cancel_at_period_end, canceled_at, past_due_since,
    synced_at)
VALUES (:id, :learnerId, :customer, :status, :plan, :priceId, :tier, :country, :periodEnd, :cancelAtPeriodEnd,
    :canceledAt, CASE WHEN :status = 'past_due' THEN now() END, now())
ON CONFLICT (stripe_subscription_id) DO UPDATE SET
    status = EXCLUDED.status, plan = EXCLUDED.plan, price_id = EXCLUDED.price_id,
    tier = EXCLUDED.tier, country = EXCLUDED.country,
    current_period_end = EXCLUDED.current_period_end,
    cancel_at_period_end = EXCLUDED.cancel_at_period_end, canceled_at = EXCLUDED.canceled_at,
    past_due_since = CASE WHEN EXCLUDED.status = 'past_due'
        THEN coalesce(subscription.past_due_since, now()) END,
    synced_at = now()
