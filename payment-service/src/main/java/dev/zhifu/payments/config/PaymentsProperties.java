package dev.zhifu.payments.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code payments.*}: the service's own settings.
 *
 * @param apiKeys       bearer keys that may call {@code /api/**}; required outside demo mode
 * @param webhookUrl    where payment events are posted (optional)
 * @param webhookSecret the secret that signs webhook posts
 * @param dataDir       where the demo keeps its H2 database, keys and API key
 * @param publicUrl     this service as the buyer's browser and Alipay reach it; default derived from
 *                      {@code alipay.notify-url} (demo: {@code http://localhost:<port>})
 * @param idempotencyRetention how long an {@code Idempotency-Key} and its first answer are kept (at least 24 h)
 * @param idempotencyWait how long a request waits for a concurrent one with the same key to finish
 * @param barcode       barcode pay's unknown-result handling
 * @param demo          demo-mode settings
 */
@Validated
@ConfigurationProperties("payments")
public record PaymentsProperties(
        List<String> apiKeys,
        String webhookUrl,
        String webhookSecret,
        @DefaultValue("./data") String dataDir,
        String publicUrl,
        @DefaultValue("24h") Duration idempotencyRetention,
        @DefaultValue("10s") Duration idempotencyWait,
        @DefaultValue Barcode barcode,
        @DefaultValue Demo demo) {

    public PaymentsProperties {
        apiKeys = apiKeys == null
                ? List.of()
                : apiKeys.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (idempotencyRetention.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException(
                    "payments.idempotency-retention: at least 24h, got " + idempotencyRetention);
        }
    }

    /** Never the API keys or the webhook secret. */
    @Override
    public String toString() {
        return "PaymentsProperties[apiKeys=" + apiKeys.size() + " keys, webhookUrl=" + webhookUrl + ", webhookSecret="
                + (webhookSecret == null ? null : "******") + ", dataDir=" + dataDir + ", publicUrl=" + publicUrl + "]";
    }

    /**
     * Alipay's advice for {@code alipay.trade.pay} answered 10003/20000/unknown: query with growing pauses until
     * the deadline, then cancel.
     */
    public record Barcode(
            @DefaultValue("1s") Duration firstPoll,
            @DefaultValue("5s") Duration maxPoll,
            @DefaultValue("45s") Duration deadline) {}

    /** @param buyerConfirmDelay how long the sandbox's buyer takes to confirm a payment code answered 10003 */
    public record Demo(@DefaultValue("5s") Duration buyerConfirmDelay) {}
}
