-- Two indexes no query needs, each written on every insert and status change (H2 rewrites every index of a row
-- it updates; on PostgreSQL a status change gives every index of the row a new entry).
-- ix_payments_pending_sync (status, next_sync_at) serves the queries on status alone (admin filters, backlog
-- gauges) and the sync job's guard for a row that lost its next_sync_at (status = 'PENDING' AND next_sync_at IS NULL).
DROP INDEX ix_payments_status_expires${onPaymentsTable};
-- ix_payment_events_order (payment_id, delivery_status, payment_seq) serves every query by payment, and the
-- foreign key to payments on MySQL/MariaDB.
DROP INDEX ix_payment_events_payment${onPaymentEventsTable};
