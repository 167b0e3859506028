package dev.zhifu.payments.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payments.sync.*}: the background jobs that ask Alipay about what is still open.
 *
 * @param interval      how often each instance looks for due work
 * @param firstInterval how often a pending payment is queried in its first 5 minutes; then every minute up to an
 *                      hour, every 5 minutes up to 6 hours, then every {@code maxInterval}
 * @param maxInterval   the longest pause between two queries of a pending payment or unknown refund
 * @param expiryMargin  a pending payment is closed (at Alipay, then here) this long after its {@code expires_at},
 *                      so that a buyer paying in the last second and clock skew are allowed for
 * @param lease         how long an instance holds a row it works on; must be longer than the slowest item (gateway
 *                      timeouts times attempts); a dead instance's rows are taken again after it
 * @param batch         rows taken per round
 * @param shutdownGrace how long a stopping instance waits for items in progress before releasing its leases
 */
@ConfigurationProperties("payments.sync")
public record SyncProperties(
        @DefaultValue("5s") Duration interval,
        @DefaultValue("15s") Duration firstInterval,
        @DefaultValue("30m") Duration maxInterval,
        @DefaultValue("30s") Duration expiryMargin,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("50") int batch,
        @DefaultValue("20s") Duration shutdownGrace) {

    public SyncProperties {
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("payments.sync.lease: at least 1s, got " + lease);
        }
        if (batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("payments.sync.batch: 1 to 1000, got " + batch);
        }
        if (firstInterval.isNegative() || firstInterval.isZero() || maxInterval.compareTo(firstInterval) < 0) {
            throw new IllegalArgumentException("payments.sync.first-interval must be positive and at most "
                    + "payments.sync.max-interval");
        }
    }

    /**
     * The tiered schedule: how long after {@code now} a payment created {@code age} ago is queried again.
     * Often while young (a buyer is likely scanning right now), rarely when old.
     */
    public Duration nextQueryAfter(Duration age) {
        Duration tier;
        if (age.compareTo(Duration.ofMinutes(5)) < 0) {
            tier = firstInterval;
        } else if (age.compareTo(Duration.ofHours(1)) < 0) {
            tier = Duration.ofMinutes(1);
        } else if (age.compareTo(Duration.ofHours(6)) < 0) {
            tier = Duration.ofMinutes(5);
        } else {
            tier = maxInterval;
        }
        return tier.compareTo(firstInterval) < 0 ? firstInterval : tier.compareTo(maxInterval) > 0 ? maxInterval : tier;
    }

    /** Unknown refunds and failed closes: as long again as they are old, between the first and the max interval. */
    public Duration retryAfter(Duration age) {
        return age.compareTo(firstInterval) < 0 ? firstInterval : age.compareTo(maxInterval) > 0 ? maxInterval : age;
    }
}
