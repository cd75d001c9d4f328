-- Webhooks: a subscription lasts only as long as the grant that created it. The worker
-- checks the owner's account and purpose before fanning out and before each send; when the
-- grant no longer holds it deactivates the subscription and keeps why. Deliveries that will
-- never be sent (their subscription is inactive) are 'cancelled', with the reason as
-- last_error, so the staff page shows why they stopped.
ALTER TABLE webhooks.subscriptions
  ADD COLUMN deactivated_reason text CHECK (length(deactivated_reason) <= 200);

ALTER TABLE webhooks.deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE webhooks.deliveries ADD CONSTRAINT deliveries_status_check
  CHECK (status IN ('pending', 'sending', 'delivered', 'dead', 'cancelled'));

-- Subscriptions deactivated before this migration were deactivated by their owner.
UPDATE webhooks.subscriptions SET deactivated_reason = 'unsubscribed' WHERE NOT active AND deactivated_reason IS NULL;
UPDATE webhooks.deliveries d
   SET status = 'cancelled', lease_until = NULL, lease_token = NULL, last_error = 'unsubscribed'
  FROM webhooks.subscriptions s
 WHERE s.id = d.subscription_id AND NOT s.active AND d.status IN ('pending', 'sending');
