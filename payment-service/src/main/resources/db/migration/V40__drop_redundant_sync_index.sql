-- ix_payments_pending_sync (status, next_sync_at) serves every query on next_sync_at; the single-column index
-- only cost a write on each insert and status change of a payment (on PostgreSQL, where those updates change
-- indexed columns, every index of the row gets a new entry).
DROP INDEX ix_payments_next_sync${onPaymentsTable};
