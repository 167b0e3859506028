package dev.zhifu.payments.payments;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How far order sync is behind: pending payments whose query is due and how long the longest overdue one has
 * waited. Both stay near 0 while the call budget ({@code payments.sync.max-calls-per-second}) keeps up; growing,
 * they say the budget is too small for the backlog. Read at scrape time, at most once a second.
 */
@Component
public class SyncBacklog {

    public static final String DUE = "payments.sync.due";
    public static final String OVERDUE = "payments.sync.overdue";

    private static final Logger log = LoggerFactory.getLogger(SyncBacklog.class);
    private static final Duration FRESH = Duration.ofSeconds(1);

    private record Reading(Instant at, PaymentRepository.SyncDue due) {}

    private final PaymentRepository payments;
    private final Clock clock;
    private volatile Reading last;

    public SyncBacklog(PaymentRepository payments, Clock clock, MeterRegistry registry) {
        this.payments = payments;
        this.clock = clock;
        Gauge.builder(DUE, this, b -> b.read().map(d -> (double) d.count()).orElse(Double.NaN))
                .description("Pending payments whose next Alipay query is due")
                .register(registry);
        Gauge.builder(OVERDUE, this, b -> b.read().map(b::overdueSeconds).orElse(Double.NaN))
                .baseUnit("seconds")
                .description("How long the longest overdue payment query has waited (0 when none)")
                .register(registry);
    }

    private double overdueSeconds(PaymentRepository.SyncDue due) {
        return due.oldest() == null
                ? 0
                : Math.max(0, Duration.between(due.oldest(), clock.instant()).toMillis() / 1000.0);
    }

    private java.util.Optional<PaymentRepository.SyncDue> read() {
        Instant now = clock.instant();
        Reading r = last;
        if (r == null || r.at().plus(FRESH).isBefore(now) || r.at().isAfter(now)) {
            try {
                r = new Reading(now, payments.syncDue(now));
                last = r;
            } catch (RuntimeException e) {
                log.debug("Sync backlog not read: {}", e.getMessage());
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(r.due());
    }
}
