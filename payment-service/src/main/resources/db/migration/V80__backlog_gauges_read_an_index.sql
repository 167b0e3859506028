-- The backlog gauges (metrics and the admin console) count the pending payments and the undelivered webhook
-- events and read the oldest one's created_at. The indexes they use did not hold created_at, so every read looked
-- up each waiting row in the table: on H2, with 50,000 of 150,000 payments pending, 437 ms a read instead of
-- 21 ms, and under load a metrics scrape took over 5 s. With created_at as the last column the same indexes
-- answer alone (PostgreSQL: an index-only scan; MySQL/MariaDB: "Using index"), and the claims that read them in
-- (status, next_sync_at) and (delivery_status, next_attempt_at) order still do. The new index is built before
-- the old one goes, so no query is left without one.
CREATE INDEX ix_payments_pending_age ON payments (status, next_sync_at, created_at);
DROP INDEX ix_payments_pending_sync${onPaymentsTable};
CREATE INDEX ix_payment_events_delivery_age ON payment_events (delivery_status, next_attempt_at, created_at);
DROP INDEX ix_payment_events_delivery${onPaymentEventsTable};
