-- Background work on several instances (issue 5). Runs unchanged on H2, PostgreSQL and MySQL/MariaDB.

-- A barcode payment whose outcome is unknown is polled until this deadline, then cancelled (SPEC §11.2);
-- stored so that a restart or another instance carries the poll on.
ALTER TABLE payments ADD COLUMN barcode_deadline ${timestamp};

-- Webhook order per payment: events appended in one transaction share created_at and payment_version,
-- so each gets the next number of its payment (taken under the payment's row lock).
ALTER TABLE payment_events ADD COLUMN payment_seq INT;
-- Start of the current delivery round (creation, or the last redeliver): retries stop 3 days after it.
ALTER TABLE payment_events ADD COLUMN delivery_since ${timestamp};
UPDATE payment_events SET payment_seq = payment_version, delivery_since = created_at;

-- Everything still open is looked at by the sync jobs once after the upgrade.
UPDATE payments SET next_sync_at = created_at WHERE status = 'PENDING' AND next_sync_at IS NULL;
UPDATE refunds SET next_sync_at = created_at WHERE status = 'PENDING' AND next_sync_at IS NULL;

CREATE INDEX ix_payments_pending_sync ON payments (status, next_sync_at);
CREATE INDEX ix_payment_events_order ON payment_events (payment_id, delivery_status, payment_seq);
