package dev.zhifu.payments.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payments.sync.*}: the background jobs that ask Alipay about what is still open.
 *
 * @param interval      how often each instance looks for due work
 * @param firstInterval when a pending payment is first queried; after that, each pause is twice its age
 *                      (15 s, 45 s, 2¼ min, 6¾ min, 20¼ min, …: where a lost notification is likely, rarely
 *                      later), never more than {@code maxInterval}
 * @param maxInterval   the longest pause between two queries of a pending payment or unknown refund
 * @param expiryMargin  a pending payment is closed (at Alipay, then here) this long after its {@code expires_at},
 *                      so that a buyer paying in the last second and clock skew are allowed for
 * @param lease         how long an instance holds a row it works on; must be longer than the slowest item (gateway
 *                      timeouts times attempts); a dead instance's rows are taken again after it
 * @param batch         rows taken per round
 * @param shutdownGrace how long a stopping instance waits for items in progress before releasing its leases
 * @param maxCallsPerSecond the most Alipay calls background work (payment and refund sync, closing expired
 *                      payments) makes in any one second, per instance ({@link CallBudget})
 */
@ConfigurationProperties("payments.sync")
public record SyncProperties(
        @DefaultValue("5s") Duration interval,
        @DefaultValue("15s") Duration firstInterval,
        @DefaultValue("30m") Duration maxInterval,
        @DefaultValue("30s") Duration expiryMargin,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("50") int batch,
        @DefaultValue("20s") Duration shutdownGrace,
        @DefaultValue("10") int maxCallsPerSecond) {

    public SyncProperties {
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("payments.sync.lease: at least 1s, got " + lease);
        }
        if (batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("payments.sync.batch: 1 to 1000, got " + batch);
        }
        if (maxCallsPerSecond < 1 || maxCallsPerSecond > 10_000) {
            throw new IllegalArgumentException(
                    "payments.sync.max-calls-per-second: 1 to 10000, got " + maxCallsPerSecond);
        }
        if (firstInterval.isNegative() || firstInterval.isZero() || maxInterval.compareTo(firstInterval) < 0) {
            throw new IllegalArgumentException(
                    "payments.sync.first-interval must be positive and at most " + "payments.sync.max-interval");
        }
    }

    /**
     * How long after {@code now} a payment created {@code age} ago is queried again: twice its age, between the
     * first and the max interval. A notification is lost, if at all, soon after the buyer paid, and a buyer pays
     * soon after the code is shown or not at all; a QR code abandoned for 30 minutes costs 5 queries, not 45.
     */
    public Duration nextQueryAfter(Duration age) {
        return clamp(age.multipliedBy(2));
    }

    /** Unknown refunds and failed closes: as long again as they are old, between the first and the max interval. */
    public Duration retryAfter(Duration age) {
        return clamp(age);
    }

    private Duration clamp(Duration d) {
        return d.compareTo(firstInterval) < 0 ? firstInterval : d.compareTo(maxInterval) > 0 ? maxInterval : d;
    }
}
