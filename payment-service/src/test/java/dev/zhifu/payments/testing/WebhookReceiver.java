package dev.zhifu.payments.testing;

import com.sun.net.httpserver.HttpServer;
import dev.zhifu.payments.webhooks.verifier.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A merchant's webhook endpoint on loopback: verifies each post, records it, answers 200 (optionally slowly). */
public final class WebhookReceiver implements AutoCloseable {

    public static final String SECRET = "whsec_cluster_test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One verified post. */
    public record Post(String eventId, String paymentId, String type) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Post> posts = new ArrayList<>();
    private final Map<String, AtomicInteger> perEvent = new ConcurrentHashMap<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                WebhookSignature.verify(
                        SECRET,
                        exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                        body,
                        Duration.ofMinutes(5),
                        Clock.systemUTC());
            } catch (WebhookSignature.InvalidSignature e) {
                badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
                return;
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            JsonNode event = JSON.readTree(body);
            JsonNode data = event.get("data");
            String paymentId = data.has("payment_id")
                    ? data.get("payment_id").asString()
                    : data.get("id").asString();
            synchronized (posts) {
                posts.add(new Post(
                        event.get("id").asString(), paymentId, event.get("type").asString()));
            }
            perEvent.computeIfAbsent(event.get("id").asString(), k -> new AtomicInteger())
                    .incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    public void delay(Duration d) {
        this.delay = d;
    }

    public List<Post> posts() {
        synchronized (posts) {
            return List.copyOf(posts);
        }
    }

    /** How many times each event id was posted. */
    public Map<String, Integer> timesPosted() {
        Map<String, Integer> m = new java.util.HashMap<>();
        perEvent.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public int badSignatures() {
        return badSignatures.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
