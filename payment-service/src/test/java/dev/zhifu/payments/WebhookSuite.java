package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.zhifu.payments.events.WebhookDispatcher;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ServiceSuite;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The outbox posted to a merchant's webhook receiver on loopback: signed, retried until accepted. */
public abstract class WebhookSuite extends ServiceSuite {

    private static final String SECRET = "whsec_test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebhookDispatcher dispatcher;

    private HttpServer receiver;
    private final AtomicInteger answer = new AtomicInteger(500);
    /** event id → {signature header, body} of its last post */
    private final Map<String, String[]> posts = new ConcurrentHashMap<>();
    /** Upgrade headers seen: a plain HTTP/1.1 receiver must not be offered h2c */
    private final java.util.List<String> upgradeOffers = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (exchange.getRequestHeaders().containsKey("Upgrade")) {
                upgradeOffers.add(exchange.getRequestHeaders().getFirst("Upgrade"));
            }
            posts.put(
                    JSON.readTree(body).get("id").asString(),
                    new String[] {exchange.getRequestHeaders().getFirst("Payment-Signature"), body});
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    }

    private JsonNode event(String paymentId, String type) {
        for (JsonNode e :
                api.get("/api/v1/events?payment_id=" + paymentId).json().get("data")) {
            if (e.get("type").asString().equals(type)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event for " + paymentId);
    }

    private void dispatchUntil(java.util.function.Supplier<Boolean> done) {
        await(
                () -> {
                    dispatcher.dispatchDue(url(), SECRET);
                    return done.get();
                },
                Duration.ofSeconds(60),
                () -> "the dispatcher never got there");
    }

    @Test
    void anEventFailingForThreeDaysIsDeadUntilRedelivered() {
        String id = paidQr(uniqueOrderNo(), "3.40");
        String eventId = event(id, "payment.succeeded").get("id").asString();
        answer.set(500);
        dispatchUntil(
                () -> event(id, "payment.succeeded").get("delivery_attempts").asInt() >= 1);
        JsonNode retrying = event(id, "payment.succeeded");
        java.time.Instant next =
                java.time.Instant.parse(retrying.get("next_attempt_at").asString());
        assertThat(next)
                .as("backoff of about 10 s")
                .isAfter(java.time.Instant.parse(retrying.get("last_attempt_at").asString())
                        .plusSeconds(7));
        try {
            clock.advance(Duration.ofDays(3).plusHours(1));
            dispatchUntil(() -> "DEAD"
                    .equals(event(id, "payment.succeeded")
                            .get("delivery_status")
                            .asString()));
        } finally {
            clock.reset();
        }
        answer.set(200);
        dispatcher.dispatchDue(url(), SECRET);
        assertThat(event(id, "payment.succeeded").get("delivery_status").asString())
                .as("dead stays dead")
                .isEqualTo("DEAD");

        assertThat(api.post("/api/v1/events/" + eventId + "/redeliver", null)
                        .json()
                        .get("delivery_status")
                        .asString())
                .isEqualTo("PENDING");
        dispatchUntil(() -> "DELIVERED"
                .equals(event(id, "payment.succeeded").get("delivery_status").asString()));
    }

    @Test
    void eventsArePostedSignedAndRetriedUntilTheReceiverAcceptsThem() {
        String id = paidQr(uniqueOrderNo(), "3.30");
        String eventId = event(id, "payment.succeeded").get("id").asString();

        answer.set(500);
        dispatchUntil(
                () -> event(id, "payment.succeeded").get("delivery_attempts").asInt() >= 1);
        JsonNode failed = event(id, "payment.succeeded");
        assertThat(failed.get("delivery_status").asString()).isEqualTo("PENDING");
        assertThat(failed.get("last_error").asString()).isEqualTo("HTTP 500");

        Api.Response redeliver = api.post("/api/v1/events/" + eventId + "/redeliver", null);
        assertThat(redeliver.status()).isEqualTo(200);
        answer.set(204);
        dispatchUntil(() -> "DELIVERED"
                .equals(event(id, "payment.succeeded").get("delivery_status").asString()));

        String[] post = posts.get(eventId);
        assertThat(upgradeOffers).as("posted as plain HTTP/1.1").isEmpty();
        JsonNode body = JSON.readTree(post[1]);
        assertThat(body.get("type").asString()).isEqualTo("payment.succeeded");
        assertThat(body.get("data").get("id").asString()).isEqualTo(id);
        assertThat(body.get("data").get("status").asString()).isEqualTo("PAID");
        String[] parts = post[0].split(",");
        long t = Long.parseLong(parts[0].substring(2));
        assertThat(parts[1]).isEqualTo("v1=" + WebhookDispatcher.sign(SECRET, t, post[1]));
        assertThat(api.post("/api/v1/events/evt_unknown/redeliver", null)
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("event_not_found");
    }
}
