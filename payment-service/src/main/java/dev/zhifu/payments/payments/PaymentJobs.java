package dev.zhifu.payments.payments;

import static dev.zhifu.payments.storage.Times.db;

import dev.zhifu.payments.jobs.LeasedJob;
import java.time.Duration;
import java.util.Map;

/** The work the background jobs take from the payments table, with leases ({@link dev.zhifu.payments.jobs.Leases}). */
final class PaymentJobs {

    /**
     * Pending payments whose next query has come. Its own claim, not an OR with {@link #syncLost}: each is a range
     * on ix_payments_pending_age (status, next_sync_at, …), while the OR made H2 read every pending row, every round.
     * Ordered by the index's own columns: ordered by {@code next_sync_at} alone, H2 2.4 sorted every due row to
     * hand out a few (44 ms a claim with 50,000 due; 28 µs so), and a budgeted sync claims a few rows many times a
     * second, so an idle service with a large backlog kept a core busy.
     */
    static final LeasedJob SYNC_DUE = new LeasedJob(
            "payment_sync",
            "payments",
            "status = 'PENDING' AND next_sync_at <= :now",
            "status, next_sync_at",
            now -> Map.of("now", db(now)));

    /** One pending payment, taken by its barcode poll. */
    static final LeasedJob BARCODE_POLL = LeasedJob.of("barcode_poll", "payments", "status = 'PENDING'", "id");

    private PaymentJobs() {}

    /**
     * Pending payments that lost their {@code next_sync_at} and are past expiry plus the margin. Every pending
     * payment has one no later than that; this only guards against a row that lost it.
     */
    static LeasedJob syncLost(Duration expiryMargin) {
        return new LeasedJob(
                "payment_sync_lost",
                "payments",
                "status = 'PENDING' AND next_sync_at IS NULL AND expires_at < :expiredBefore",
                "expires_at",
                now -> Map.of("expiredBefore", db(now.minus(expiryMargin))));
    }
}
