package dev.zhifu.payments.events;

import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.jobs.BackgroundWork;
import dev.zhifu.payments.jobs.Leases;
import dev.zhifu.payments.jobs.SyncProperties;
import dev.zhifu.payments.operations.JobMetrics;
import dev.zhifu.payments.operations.PaymentMetrics;
import dev.zhifu.payments.storage.DatabaseFailures;
import dev.zhifu.payments.webhooks.verifier.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Posts outbox events to {@code payments.webhook-url}, signed
 * {@code Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}
 * ({@link WebhookSignature}). At least once: an event stays PENDING until a 2xx answer, retried with
 * exponential, jittered delays for three days from the start of its delivery round, then DEAD (redeliverable).
 * A payment's events are posted in order: one is taken only when no earlier one of its payment is pending.
 * Rows are taken with leases, so several instances dispatch side by side, each event by one at a time.
 */
@Component
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final Duration MAX_POST_TIME = Duration.ofSeconds(10);
    static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
    static final Duration FIRST_DELAY = Duration.ofSeconds(10);
    static final Duration MAX_DELAY = Duration.ofHours(6);
    private static final int BATCH = 20;
    private static final int MAX_ROUNDS = 50;

    private final EventOutbox outbox;
    private final PaymentsProperties properties;
    private final Leases leases;
    private final BackgroundWork work;
    private final Duration lease;
    /** A post may take this long: 10 s, or a third of the lease when that is shorter, so it ends within the lease. */
    private final Duration postTimeout;

    private final Clock clock;
    // HTTP/1.1: over plain http the JDK would otherwise offer an h2c upgrade that some receivers refuse
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final PaymentMetrics metrics;
    private final JobMetrics jobs;
    /** Events the receiver accepted whose delivery could not be recorded yet (the database was unavailable). */
    private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();

    public WebhookDispatcher(
            EventOutbox outbox,
            PaymentsProperties properties,
            Leases leases,
            BackgroundWork work,
            SyncProperties sync,
            Clock clock,
            PaymentMetrics metrics,
            JobMetrics jobs) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.lease = sync.lease();
        Duration third = sync.lease().dividedBy(3);
        this.postTimeout = third.compareTo(MAX_POST_TIME) < 0 ? third : MAX_POST_TIME;
        this.outbox = outbox;
        this.properties = properties;
        this.leases = leases;
        this.work = work;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${payments.webhook-poll-interval:2s}",
            initialDelayString = "${payments.webhook-poll-interval:2s}")
    public void scheduled() {
        String url = properties.webhookUrl();
        if (url == null || url.isBlank()) {
            return;
        }
        try {
            jobs.run(JobMetrics.WEBHOOK_DISPATCH, () -> dispatchDue(url.strip(), properties.webhookSecret()));
        } catch (RuntimeException e) {
            log.warn("Webhook dispatch failed: {}", e.getMessage());
        }
    }

    /** Delivers what is due now, round after round while there is some; answers how many were delivered. */
    public int dispatchDue(String url, String secret) {
        if (!work.enter()) {
            return 0;
        }
        try {
            confirmDelivered();
            int delivered = 0;
            for (int round = 0; round < MAX_ROUNDS && work.accepting(); round++) {
                Instant claimedAt = clock.instant();
                List<EventOutbox.Claimed> batch = outbox.claimDue(leases.owner(), claimedAt, lease, BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                int before = delivered;
                delivered += deliver(batch, claimedAt, url, secret);
                if (delivered == before) {
                    break; // all failed: their next attempts are in the future
                }
            }
            return delivered;
        } finally {
            work.exit();
        }
    }

    private int deliver(List<EventOutbox.Claimed> batch, Instant claimedAt, String url, String secret) {
        Set<String> blockedPayments = new HashSet<>();
        int delivered = 0;
        for (EventOutbox.Claimed event : batch) {
            Instant now = clock.instant();
            // give the rest back rather than post with a lease that may run out mid-post (another instance
            // would then post the same event), or when the service is stopping
            boolean leaseShort = now.plus(postTimeout).isAfter(claimedAt.plus(lease));
            if (blockedPayments.contains(event.paymentId()) || leaseShort || !work.accepting()) {
                outbox.release(event.id(), leases.owner());
                continue;
            }
            boolean ok = jobs.item(JobMetrics.WEBHOOK_DISPATCH, event.id(), () -> {
                String error = post(url, secret, event.payload());
                Instant done = clock.instant();
                if (error == null) {
                    try {
                        outbox.markDelivered(event.id(), leases.owner(), done);
                    } catch (RuntimeException e) {
                        if (DatabaseFailures.unavailable(e)) {
                            unconfirmed.add(event.id()); // posted: recorded as soon as the database answers
                        }
                        throw e;
                    }
                    metrics.webhook("delivered");
                    return true;
                }
                Duration elapsed = Duration.between(event.deliverySince(), done);
                boolean giveUp = elapsed.compareTo(GIVE_UP_AFTER) > 0;
                outbox.markFailed(event.id(), leases.owner(), done, error, giveUp ? null : done.plus(delay(elapsed)));
                metrics.webhook(giveUp ? "dead" : "failed");
                if (giveUp) {
                    log.warn(
                            "Webhook {} DEAD after {} attempts over {}: {}",
                            event.id(),
                            event.attempts() + 1,
                            elapsed,
                            error);
                } else {
                    log.info("Webhook {} not delivered (attempt {}): {}", event.id(), event.attempts() + 1, error);
                }
                return false;
            });
            if (ok) {
                delivered++;
            } else {
                blockedPayments.add(event.paymentId()); // keep the order: later events of this payment wait
            }
        }
        return delivered;
    }

    /**
     * Records the posts the receiver accepted while the database could not be written. This instance's lease on
     * them outlives a short outage ({@code payments.sync.lease}), so no other instance has posted them meanwhile;
     * without this they would be posted again once the lease expired. (Should the lease have passed to another
     * instance, the update matches nothing and that instance's post is the second delivery that at-least-once
     * allows.)
     */
    private void confirmDelivered() {
        for (String id : List.copyOf(unconfirmed)) {
            outbox.markDelivered(id, leases.owner(), clock.instant());
            unconfirmed.remove(id);
            metrics.webhook("delivered");
        }
    }

    /**
     * The pause before the next attempt: as long as the delivery has been failing so far (so pauses double),
     * at least 10 s and at most 6 h, with ±20 % jitter so the retries of many events spread out. Over three days
     * that is about 25 attempts.
     */
    static Duration delay(Duration failingFor) {
        Duration base = failingFor.compareTo(FIRST_DELAY) < 0
                ? FIRST_DELAY
                : failingFor.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : failingFor;
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis((long) (base.toMillis() * jitter));
    }

    /** Null when the receiver answered 2xx, else what went wrong. */
    private String post(String url, String secret, String body) {
        long t = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(postTimeout)
                .header("Content-Type", "application/json")
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret == null ? "" : secret, t, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Hex HMAC-SHA256 of {@code t + "." + body}: what a receiver recomputes to check a post. */
    public static String sign(String secret, long t, String body) {
        return WebhookSignature.sign(secret, t, body);
    }
}
