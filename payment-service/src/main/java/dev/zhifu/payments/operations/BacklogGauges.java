package dev.zhifu.payments.operations;

import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.storage.DatabaseHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What is waiting, read from the database at scrape time (at most once a second, whatever the number of
 * scrapers): pending payments and undelivered webhook events, their number and the age of the oldest.
 * Read from the tables, not counted in memory, so every instance reports the same truth after restarts; each
 * by the feature that owns its table ({@link PendingPayments}, {@link UndeliveredEvents}), as this package sits
 * below the features. Without {@code payments.webhook-url} nothing is to be delivered and the webhook gauges
 * stay at 0.
 */
@Component
public class BacklogGauges {

    public static final String PENDING = "payments.pending";
    public static final String PENDING_OLDEST_AGE = "payments.pending.oldest.age";
    public static final String UNDELIVERED = "payments.webhooks.undelivered";
    public static final String UNDELIVERED_OLDEST_AGE = "payments.webhooks.undelivered.oldest.age";

    private static final Logger log = LoggerFactory.getLogger(BacklogGauges.class);
    private static final Duration FRESH = Duration.ofSeconds(1);

    /** Work waiting: how much, and since when the oldest item waits (null when none does). */
    public record Backlog(long count, Instant oldest) {
        static final Backlog NONE = new Backlog(0, null);
    }

    /** Payments waiting for their buyer ({@code PENDING}); read by the payments feature. */
    @FunctionalInterface
    public interface PendingPayments {
        Backlog pendingPayments();
    }

    /** Webhook events not delivered yet ({@code PENDING}); read by the events feature. */
    @FunctionalInterface
    public interface UndeliveredEvents {
        Backlog undeliveredEvents();
    }

    private record Snapshot(Instant at, Backlog pending, Backlog undelivered) {}

    private final PendingPayments pendingPayments;
    private final UndeliveredEvents undeliveredEvents;
    private final PaymentsProperties properties;
    private final Clock clock;
    private volatile Snapshot snapshot;

    private final DatabaseHealth database;

    public BacklogGauges(
            PendingPayments pendingPayments,
            UndeliveredEvents undeliveredEvents,
            PaymentsProperties properties,
            Clock clock,
            MeterRegistry registry,
            DatabaseHealth database) {
        this.pendingPayments = pendingPayments;
        this.undeliveredEvents = undeliveredEvents;
        this.database = database;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder(PENDING, this, g -> count(g.snapshot().pending()))
                .description("Payments waiting for the buyer (PENDING)")
                .register(registry);
        Gauge.builder(PENDING_OLDEST_AGE, this, g -> g.age(g.snapshot().pending()))
                .description("Age of the oldest PENDING payment (0 when none)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder(UNDELIVERED, this, g -> count(g.snapshot().undelivered()))
                .description("Webhook events not delivered yet (PENDING)")
                .register(registry);
        Gauge.builder(UNDELIVERED_OLDEST_AGE, this, g -> g.age(g.snapshot().undelivered()))
                .description("Age of the oldest undelivered webhook event (0 when none)")
                .baseUnit("seconds")
                .register(registry);
    }

    private static double count(Backlog backlog) {
        return backlog == null ? Double.NaN : backlog.count();
    }

    private double age(Backlog backlog) {
        if (backlog == null) {
            return Double.NaN;
        }
        if (backlog.oldest() == null) {
            return 0;
        }
        return Math.max(0, Duration.between(backlog.oldest(), clock.instant()).toMillis() / 1000.0);
    }

    private Snapshot snapshot() {
        Instant now = clock.instant();
        Snapshot s = snapshot;
        if (s != null && !s.at().isAfter(now) && s.at().plus(FRESH).isAfter(now)) {
            return s;
        }
        Backlog pending = read(pendingPayments::pendingPayments);
        boolean webhooks =
                properties.webhookUrl() != null && !properties.webhookUrl().isBlank();
        Backlog undelivered = webhooks ? read(undeliveredEvents::undeliveredEvents) : Backlog.NONE;
        s = new Snapshot(now, pending, undelivered);
        snapshot = s;
        return s;
    }

    /** Null when the database cannot answer: the gauges then report NaN rather than a reassuring 0. */
    private Backlog read(Supplier<Backlog> query) {
        if (!database.reachable()) {
            return null; // a scrape must not wait for a database that does not answer
        }
        try {
            return query.get();
        } catch (RuntimeException e) {
            log.debug("Backlog gauges: database not readable: {}", e.getMessage());
            return null;
        }
    }
}
