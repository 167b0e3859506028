package dev.zhifu.payments.events;

import dev.zhifu.payments.PaymentsProperties;
import dev.zhifu.payments.operations.JobMetrics;
import dev.zhifu.payments.operations.PaymentMetrics;
import dev.zhifu.payments.support.Ids;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Posts outbox events to {@code payments.webhook-url}, signed
 * {@code Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. At least once:
 * an event stays PENDING until a 2xx answer, retried with growing, jittered delays for three days, then DEAD
 * (redeliverable). Rows are taken with leases, so several instances can dispatch side by side.
 */
@Component
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
    private static final Duration MAX_DELAY = Duration.ofHours(6);
    private static final int BATCH = 20;

    private final EventOutbox outbox;
    private final PaymentsProperties properties;
    private final Clock clock;
    private final String owner = "dispatcher-" + Ids.random(8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final PaymentMetrics metrics;
    private final JobMetrics jobs;

    public WebhookDispatcher(EventOutbox outbox, PaymentsProperties properties, Clock clock, PaymentMetrics metrics,
                             JobMetrics jobs) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${payments.webhook-poll-interval:2s}", initialDelayString = "${payments.webhook-poll-interval:2s}")
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

    /** Delivers what is due now; answers how many were delivered. */
    public int dispatchDue(String url, String secret) {
        List<EventOutbox.Claimed> batch = outbox.claimDue(owner, clock.instant(), LEASE, BATCH);
        Set<String> blockedPayments = new HashSet<>();
        int delivered = 0;
        for (EventOutbox.Claimed event : batch) {
            Instant now = clock.instant();
            if (blockedPayments.contains(event.paymentId())) {
                // an earlier event of this payment just failed: keep the order, try both later
                outbox.release(event.id(), owner);
                continue;
            }
            boolean ok = jobs.item(JobMetrics.WEBHOOK_DISPATCH, event.id(), () -> {
                String error = post(url, secret, event.payload());
                if (error == null) {
                    outbox.markDelivered(event.id(), owner, now);
                    metrics.webhook("delivered");
                    return true;
                }
                boolean giveUp = now.isAfter(event.createdAt().plus(GIVE_UP_AFTER));
                outbox.markFailed(event.id(), owner, now, error, giveUp ? null : now.plus(delay(event.attempts() + 1)));
                metrics.webhook(giveUp ? "dead" : "failed");
                log.info("Webhook {} not delivered (attempt {}): {}", event.id(), event.attempts() + 1, error);
                return false;
            });
            if (ok) {
                delivered++;
            } else {
                blockedPayments.add(event.paymentId());
            }
        }
        return delivered;
    }

    /** 10 s doubling per attempt up to 6 h, then ±20 % jitter so retries of many events spread out. */
    static Duration delay(int attempt) {
        long base = Math.min(MAX_DELAY.toSeconds(), 10L << Math.min(attempt - 1, 20));
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis((long) (base * 1000 * jitter));
    }

    /** Null when the receiver answered 2xx, else what went wrong. */
    private String post(String url, String secret, String body) {
        long t = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Payment-Signature", "t=" + t + ",v1=" + sign(secret, t, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
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
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
