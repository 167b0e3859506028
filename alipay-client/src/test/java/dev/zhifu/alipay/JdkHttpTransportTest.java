package dev.zhifu.alipay;

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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default transport runs the JDK client's steps on its one selector thread (no pool): many callers at once
 * must each get their own answer, and a caller reading a long download slowly must not hold up the others.
 */
class JdkHttpTransportTest {

    private static final int BILL_SIZE = 8 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HttpServer server;
    private ExecutorService serverThreads;
    private final JdkHttpTransport transport = new JdkHttpTransport(Duration.ofSeconds(5));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/echo", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // answers out of order
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/bill", exchange -> {
            exchange.sendResponseHeaders(200, BILL_SIZE);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (int sent = 0; sent < BILL_SIZE; sent += chunk.length) {
                    Arrays.fill(chunk, (byte) (sent / chunk.length));
                    out.write(chunk);
                }
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

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private String echo(String text) throws Exception {
        HttpTransport.Answer answer =
                transport.post(uri("/echo"), "text/plain", text.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(answer.status()).isEqualTo(200);
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    @Test
    void sixteenCallersAtOnceEachGetTheirOwnAnswer() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int caller = c;
                results.add(callers.submit(() -> {
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        String sent = "caller-" + caller + "-call-" + i + "-" + "x".repeat(i * 37);
                        String got = echo(sent);
                        if (!got.equals(sent)) {
                            mismatches.add(sent + " came back as " + got);
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

    @Test
    void aDownloadReadSlowlyDoesNotHoldUpOtherCalls() throws Exception {
        HttpTransport.StreamedAnswer bill = transport.get(uri("/bill"), TIMEOUT);
        try (InputStream in = bill.body()) {
            assertThat(in.read()).isEqualTo(0); // the download has begun and is left waiting
            for (int i = 0; i < 50; i++) {
                assertThat(echo("while the bill waits " + i)).isEqualTo("while the bill waits " + i);
            }
            byte[] rest = in.readAllBytes();
            assertThat(rest).hasSize(BILL_SIZE - 1);
            assertThat(rest[rest.length - 1]).isEqualTo((byte) (BILL_SIZE / (64 * 1024) - 1));
        }
    }
}
