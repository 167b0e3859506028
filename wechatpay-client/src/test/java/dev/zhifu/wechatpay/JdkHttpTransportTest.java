package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default transport runs the JDK client's steps on its selector thread: many callers at once, each its own answer. */
class JdkHttpTransportTest {

    private HttpServer server;
    private ExecutorService serverThreads;
    private final JdkHttpTransport transport = new JdkHttpTransport(Duration.ofSeconds(5));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v3/echo", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // answers out of order
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders()
                    .set("Request-ID", exchange.getRequestHeaders().getFirst("X-Call"));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        serverThreads = Executors.newFixedThreadPool(24);
        server.setExecutor(serverThreads);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void sixteenCallersAtOnceEachGetTheirOwnAnswer() throws Exception {
        URI echo = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v3/echo");
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int caller = c;
                results.add(callers.submit(() -> {
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        String call = caller + "-" + i;
                        String sent = "{\"call\":\"" + call + "\",\"pad\":\"" + "x".repeat(i * 37) + "\"}";
                        HttpTransport.Answer answer = transport.send(
                                "POST",
                                echo,
                                Map.of("X-Call", call, "Content-Type", "application/json"),
                                sent.getBytes(StandardCharsets.UTF_8),
                                Duration.ofSeconds(30));
                        String got = new String(answer.body(), StandardCharsets.UTF_8);
                        if (answer.status() != 200
                                || !got.equals(sent)
                                || !call.equals(answer.headers().get("request-id"))) {
                            mismatches.add(call + ": " + answer.status() + " " + answer.headers() + " " + got);
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).isEmpty();
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
