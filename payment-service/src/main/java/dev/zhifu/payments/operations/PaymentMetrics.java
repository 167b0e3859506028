package dev.zhifu.payments.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Business meters. Every tag value comes from a small fixed vocabulary and each series is registered at zero
 * at start-up, so dashboards and alerts see it before the first event (and {@code increase()} works from the
 * first one). Counters move after the commit of the change they count.
 */
@Component
public class PaymentMetrics {

    // not "payments.created": Prometheus reserves the _created suffix (OpenMetrics timestamps) and would strip it
    public static final String CREATED = "payments.creations";
    public static final String PAID = "payments.paid";
    public static final String CLOSED = "payments.closed";
    public static final String NOTIFICATIONS = "payments.notifications.received";
    public static final String NOTIFICATION_LAG = "payments.notification.lag";
    public static final String WEBHOOK_DELIVERIES = "payments.webhooks.deliveries";

    /** Results of a received notification; {@code ok} = applied. */
    public static final List<String> NOTIFICATION_RESULTS = List.of(
            "ok",
            "duplicate",
            "anomaly",
            "ignored",
            "bad_signature",
            "mismatch",
            "unknown_trade",
            "malformed",
            "busy",
            "refused");
    /** Results of one webhook post: delivered (2xx), failed (retried later), dead (given up). */
    public static final List<String> WEBHOOK_RESULTS = List.of("delivered", "failed", "dead");

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer lag;

    public PaymentMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (String channel : List.of("alipay", "wechatpay")) {
            NOTIFICATION_RESULTS.forEach(result -> notificationCounter(channel, result));
        }
        WEBHOOK_RESULTS.forEach(this::webhookCounter);
        this.lag = Timer.builder(NOTIFICATION_LAG)
                .description("Alipay's notify_time (or gmt_payment) to the commit of its effect here")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    /**
     * Registers the created, paid and closed series of each payment method and channel at zero. The payments
     * feature names them at start-up, so that operations, below every feature, needs none of them.
     *
     * @param channelsByMethod each method with the channels it may be paid through ({@code any_qr}: both)
     */
    public void methods(Map<String, List<String>> channelsByMethod) {
        channelsByMethod.forEach((method, channels) -> {
            for (String channel : channels) {
                for (String name : List.of(CREATED, PAID, CLOSED)) {
                    counter(name, method, channel);
                }
            }
        });
    }

    /**
     * @param method  a payment method as the API writes it ({@code qr}, …)
     * @param channel {@code alipay}, {@code wechatpay}, or {@code none} for an {@code any_qr} payment no wallet
     *                has paid
     */
    public void created(String method, String channel) {
        AfterCommit.run(() -> counter(CREATED, method, channel).increment());
    }

    public void paid(String method, String channel) {
        AfterCommit.run(() -> counter(PAID, method, channel).increment());
    }

    public void closed(String method, String channel) {
        AfterCommit.run(() -> counter(CLOSED, method, channel).increment());
    }

    /**
     * A notification was answered.
     *
     * @param result   one of {@link #NOTIFICATION_RESULTS}
     * @param sentAt   Alipay's notify_time or gmt_payment, when the result was applied; null otherwise
     */
    public void notification(String result, Instant sentAt) {
        notification("alipay", result, sentAt);
    }

    /** @param channel {@code alipay} or {@code wechatpay}: the endpoint the notification came to */
    public void notification(String channel, String result, Instant sentAt) {
        notificationCounter(channel, NOTIFICATION_RESULTS.contains(result) ? result : "refused")
                .increment();
        if (sentAt != null) {
            Duration d = Duration.between(sentAt, clock.instant());
            lag.record(d.isNegative() ? Duration.ZERO : d); // a clock running behind Alipay's is not negative lag
        }
    }

    /** @param result one of {@link #WEBHOOK_RESULTS} */
    public void webhook(String result) {
        webhookCounter(result).increment();
    }

    private Counter counter(String name, String method, String channel) {
        return Counter.builder(name)
                .description(
                        switch (name) {
                            case CREATED -> "Payments created";
                            case PAID -> "Payments that became PAID";
                            default -> "Payments closed without payment (closed, expired, cancelled, refused)";
                        })
                .tag("method", method)
                .tag("channel", channel)
                .register(registry);
    }

    private Counter notificationCounter(String channel, String result) {
        return Counter.builder(NOTIFICATIONS)
                .description("Notifications received from Alipay and WeChat Pay, by channel and result")
                .tag("channel", channel)
                .tag("result", result)
                .register(registry);
    }

    private Counter webhookCounter(String result) {
        return Counter.builder(WEBHOOK_DELIVERIES)
                .description("Webhook posts to payments.webhook-url, by result")
                .tag("result", result)
                .register(registry);
    }
}
