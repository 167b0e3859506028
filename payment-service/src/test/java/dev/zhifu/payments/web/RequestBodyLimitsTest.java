package dev.zhifu.payments.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.payments.PaymentServiceApplication;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.ServiceSuite;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code payments.http.*} at small values, on a real port: what a body over the size limit, a body too slow for
 * the deadline and too many bodies at once are answered, that each such connection is closed, and that a body
 * sent in pieces (chunked, with pauses) reaches its endpoint byte for byte, counted once in the server metrics and
 * without an error in the log.
 */
class RequestBodyLimitsTest {

    static final String API_KEY = "sk_limits_test";
    static final int MAX_BODY = 4096;

    @TempDir
    static Path dir;

    static ConfigurableApplicationContext service;
    static int port;
    static int notifyPort;
    static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        port = ProductionInstance.freePort();
        notifyPort = ProductionInstance.freePort();
        service = new SpringApplicationBuilder(PaymentServiceApplication.class, Probes.class)
                .run(
                        "--server.port=" + port,
                        "--spring.datasource.url=jdbc:h2:mem:limits-" + port + ";DB_CLOSE_DELAY=-1",
                        "--payments.data-dir=" + dir,
                        "--payments.api-keys=" + API_KEY,
                        "--payments.sync.interval=1h",
                        "--" + ServiceSuite.SELLER_PROPERTY,
                        "--payments.notify.port=" + notifyPort,
                        "--payments.http.max-body-size=" + MAX_BODY + "B",
                        "--payments.http.body-timeout=2s",
                        // two bodies of 4000 bytes fit, a third does not
                        "--payments.http.max-buffered=8100B");
        LOG.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
        service.close();
    }

    @BeforeEach
    void forgetLog() {
        LOG.list.clear();
    }

    private static List<String> problemsLogged() {
        return LOG.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
    }

    /** One raw HTTP/1.1 connection to the service. */
    static final class Raw implements AutoCloseable {
        final Socket socket = new Socket();
        final OutputStream out;

        Raw() throws IOException {
            this(port);
        }

        Raw(int to) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", to), 5000);
            out = socket.getOutputStream();
        }

        Raw send(String text) throws IOException {
            return send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        Raw send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** Shuts the connection's output, as a client does that has nothing more to send. */
        Raw halfClose() throws IOException {
            socket.shutdownOutput();
            return this;
        }

        /** Everything the server sends until it closes the connection, or what came within {@code wait}. */
        Answer answer(Duration wait) throws IOException {
            long start = System.nanoTime();
            socket.setSoTimeout((int) wait.toMillis());
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed = false;
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    got.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                closed = true; // reset
            }
            return new Answer(
                    got.toString(StandardCharsets.UTF_8),
                    closed,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Answer(String text, boolean closed, long millis) {
        int status() {
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        }

        boolean hasHeader(String line) {
            return text.lines().takeWhile(l -> !l.isEmpty()).anyMatch(l -> l.equalsIgnoreCase(line));
        }

        String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    private static String head(String requestLine, String contentType, String framing) {
        return requestLine + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + contentType + "\r\n"
                + framing + "\r\n\r\n";
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedAtOnceAndTheConnectionClosed() throws Exception {
        double refusedBefore = requests("413");
        try (Raw raw = new Raw()) {
            Answer a = raw.send(head(
                            "POST /notify/alipay",
                            "application/x-www-form-urlencoded",
                            "Content-Length: " + (MAX_BODY + 1)))
                    .answer(Duration.ofSeconds(5));
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.hasHeader("Connection: close")).as(a.text()).isTrue();
            assertThat(a.hasHeader("Content-Type: application/problem+json")).isTrue();
            assertThat(a.body()).contains("\"code\":\"payload_too_large\"");
            assertThat(a.closed()).as("closed without waiting for the body").isTrue();
        }
        ServiceSuite.await(
                () -> requests("413") == refusedBefore + 1,
                Duration.ofSeconds(5),
                () -> "the 413 was counted " + (requests("413") - refusedBefore) + " times in http.server.requests");
        assertThat(problemsLogged()).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAndTheConnectionClosed() throws Exception {
        try (Raw raw = new Raw()) {
            raw.send(head("POST /api/v1/payments", "application/json", "Transfer-Encoding: chunked"));
            String chunk = "x".repeat(1000);
            for (int i = 0; i < 5; i++) {
                raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            Answer a = raw.answer(Duration.ofSeconds(5));
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.hasHeader("Connection: close")).isTrue();
            assertThat(a.closed()).isTrue();
        }
        assertThat(bufferedBytes()).isZero();
    }

    @Test
    void aBodyNotCompleteByTheDeadlineIsAnswered408AndTheConnectionClosed() throws Exception {
        double timedOutBefore = requests("408");
        try (Raw raw = new Raw()) {
            raw.send(head("POST /api/v1/payments", "application/json", "Content-Length: 100"))
                    .send("{\"amount\"");
            Answer a = raw.answer(Duration.ofSeconds(10));
            assertThat(a.status()).as(a.text()).isEqualTo(408);
            assertThat(a.hasHeader("Connection: close")).isTrue();
            assertThat(a.body()).contains("\"code\":\"request_timeout\"");
            assertThat(a.closed()).isTrue();
            // the deadline is 2 s; the container looks for expired ones about once a second
            assertThat(a.millis()).isBetween(1500L, 8000L);
        }
        assertThat(bufferedBytes()).isZero();
        ServiceSuite.await(
                () -> requests("408") == timedOutBefore + 1,
                Duration.ofSeconds(5),
                () -> "the 408 was counted " + (requests("408") - timedOutBefore) + " times in http.server.requests");
        assertThat(problemsLogged()).isEmpty();
    }

    @Test
    void bodiesBeyondTheMemoryBudgetAreAnswered503UntilTheOthersAreDone() throws Exception {
        try (Raw first = new Raw();
                Raw second = new Raw()) {
            first.send(head("POST /notify/alipay", "application/x-www-form-urlencoded", "Content-Length: 4000"))
                    .send("a=1");
            second.send(head("POST /notify/alipay", "application/x-www-form-urlencoded", "Content-Length: 4000"))
                    .send("a=1");
            ServiceSuite.await(
                    () -> bufferedBytes() == 8000,
                    Duration.ofSeconds(5),
                    () -> "the two bodies hold " + bufferedBytes() + " bytes");
            try (Raw third = new Raw()) {
                Answer a = third.send(head(
                                "POST /notify/alipay", "application/x-www-form-urlencoded", "Content-Length: 4000"))
                        .answer(Duration.ofSeconds(5));
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.hasHeader("Retry-After: 1")).isTrue();
                assertThat(a.closed()).isTrue();
            }
        }
        // the two gave up (their connections closed): their bytes are released
        ServiceSuite.await(() -> bufferedBytes() == 0, Duration.ofSeconds(5), () -> "still held: " + bufferedBytes());
        assertThat(notify(signedNotification(createPayment())).body()).isEqualTo("success");
        assertThat(problemsLogged())
                .singleElement()
                .asString()
                .startsWith("WARN")
                .contains("max-buffered");
    }

    @Test
    void aNotificationSentInPausedChunksArrivesByteForByteAndIsCountedOnce() throws Exception {
        byte[] body = signedNotification(createPayment());
        double before = requests("200", "/notify/alipay");
        try (Raw raw = new Raw()) {
            raw.send(head(
                    "POST /notify/alipay",
                    "application/x-www-form-urlencoded; charset=utf-8",
                    "Transfer-Encoding: chunked"));
            int half = body.length / 2;
            raw.send((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.send(Arrays.copyOfRange(body, 0, half));
            Thread.sleep(300); // the rest arrives after the first bytes have been taken
            raw.send(("\r\n" + Integer.toHexString(body.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.send(Arrays.copyOfRange(body, half, body.length));
            raw.send("\r\n0\r\n\r\nGET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            Answer a = raw.answer(Duration.ofSeconds(10));
            assertThat(a.status()).as(a.text()).isEqualTo(200);
            assertThat(a.text()).contains("\r\n\r\nsuccess");
            assertThat(a.text())
                    .as("the connection goes on with its next request")
                    .contains("\"status\":\"UP\"");
        }
        ServiceSuite.await(
                () -> requests("200", "/notify/alipay") == before + 1,
                Duration.ofSeconds(5),
                () -> "the notification was counted " + (requests("200", "/notify/alipay") - before) + " times");
        assertThat(problemsLogged()).isEmpty();
    }

    /**
     * A client that shuts its output once its request is sent (HTTP/1.0 style tools, {@code nc -N}, some proxies)
     * gets its answer, whether the body ends with its length or with its last chunk, on both ports; the end of a
     * chunked body used to close such a connection without an answer ({@link ChunkedBodyEndProtocol}).
     */
    @Test
    void aRequestWhoseClientHalfClosesAfterItsBodyIsAnswered() throws Exception {
        String good = "{\"out_trade_no\":\"half-" + port + "-%s\",\"amount\":\"2.00\",\"subject\":\"Tea\","
                + "\"method\":\"qr\"}";
        String bad = "{\"amount\":";
        for (boolean chunked : new boolean[] {false, true}) {
            String kind = chunked ? "chunked" : "length";
            Answer created = halfClosed(port, "/api/v1/payments", "application/json", good.formatted(kind), chunked);
            assertThat(created.status()).as(kind + ": " + created.text()).isEqualTo(201);
            assertThat(created.body()).contains("\"out_trade_no\":\"half-" + port + "-" + kind + "\"");
            Answer refused = halfClosed(port, "/api/v1/payments", "application/json", bad, chunked);
            assertThat(refused.status()).as(kind + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.hasHeader("Content-Type: application/problem+json"))
                    .as(refused.text())
                    .isTrue();
        }
        // the Alipay-facing port, a connector of the service's own making
        byte[] notification = signedNotification(createPayment());
        Answer notified = halfClosed(
                notifyPort,
                "/notify/alipay",
                "application/x-www-form-urlencoded; charset=utf-8",
                new String(notification, StandardCharsets.ISO_8859_1),
                true);
        assertThat(notified.status()).as(notified.text()).isEqualTo(200);
        assertThat(notified.body()).isEqualTo("success");
        assertThat(bufferedBytes()).isZero();
        assertThat(problemsLogged()).isEmpty();
    }

    /** {@code body} (ISO-8859-1 text, one chunk when {@code chunked}) POSTed, then the connection's output shut. */
    private static Answer halfClosed(int to, String path, String contentType, String body, boolean chunked)
            throws IOException {
        try (Raw raw = new Raw(to)) {
            String framing = chunked
                    ? "Transfer-Encoding: chunked"
                    : "Content-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length;
            raw.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                    + "\r\nAuthorization: Bearer " + API_KEY + "\r\n" + framing + "\r\n\r\n");
            raw.send(chunked ? Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n" : body);
            return raw.halfClose().answer(Duration.ofSeconds(10));
        }
    }

    @Test
    void anApiBodyArrivingSlowlyStillNeedsTheKeyAndIsStillParsed() throws Exception {
        String json =
                "{\"out_trade_no\":\"slow-" + port + "\",\"amount\":\"3.00\",\"subject\":\"咖啡\",\"method\":\"qr\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (String key : new String[] {null, API_KEY}) {
            try (Raw raw = new Raw()) {
                raw.send("POST /api/v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                        + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n");
                raw.send(Arrays.copyOf(bytes, 10));
                Thread.sleep(300);
                raw.send(Arrays.copyOfRange(bytes, 10, bytes.length));
                Answer a = raw.answer(Duration.ofSeconds(10));
                if (key == null) {
                    assertThat(a.status()).as(a.text()).isEqualTo(401);
                } else {
                    assertThat(a.status()).as(a.text()).isEqualTo(201);
                    assertThat(a.body()).contains("\"subject\":\"咖啡\"");
                }
            }
        }
        assertThat(problemsLogged()).isEmpty();
    }

    @Test
    void aMultipartBodyIsJustABody() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"amount\"\r\n\r\n1.00\r\n--b--\r\n";
        try (Raw raw = new Raw()) {
            raw.send("POST /api/v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + API_KEY
                    + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body);
            Answer a = raw.answer(Duration.ofSeconds(10));
            assertThat(a.status()).as(a.text()).isEqualTo(415);
        }
        assertThat(problemsLogged()).isEmpty();
    }

    @Test
    void onTheAlipayFacingPortTheBodyIsReceivedBeforeAnotherPathIsAnswered404() throws Exception {
        try (Raw raw = new Raw(notifyPort)) {
            // a worker answering 404 first would then drain this body as slowly as it comes
            Answer a = raw.send(head("POST /api/v1/payments", "application/json", "Content-Length: 100"))
                    .send("{")
                    .answer(Duration.ofSeconds(10));
            assertThat(a.status()).as(a.text()).isEqualTo(408);
            assertThat(a.closed()).isTrue();
        }
        try (Raw raw = new Raw(notifyPort)) {
            Answer a = raw.send(
                            head("POST /api/v1/payments", "application/json", "Content-Length: 2\r\nConnection: close")
                                    + "{}")
                    .answer(Duration.ofSeconds(10));
            assertThat(a.status()).as(a.text()).isEqualTo(404);
        }
        assertThat(problemsLogged()).isEmpty();
    }

    /** Handlers standing in for what the service's own code does not do on every path (under /api/: they need the key). */
    @RestController
    static class Probes {
        /** What the handler sees of a request whose body came slowly. */
        @PostMapping("/api/test/echo")
        String echo(HttpServletRequest request) {
            return request.getDispatcherType() + " q=" + Arrays.toString(request.getParameterValues("q")) + " a="
                    + Arrays.toString(request.getParameterValues("a"));
        }

        /** As Spring Security's handlers answer a refusal: through the container's error page. */
        @PostMapping("/api/test/send-error")
        void sendError(HttpServletResponse response) throws IOException {
            response.sendError(403);
        }
    }

    @Test
    void aChunkedFormSentInPiecesReachesItsHandlerAsAFirstDispatchWithItsParameters() throws Exception {
        try (Raw raw = new Raw()) {
            raw.send(head(
                    "POST /api/test/echo?q=1",
                    "application/x-www-form-urlencoded; charset=UTF-8",
                    "Authorization: Bearer " + API_KEY + "\r\nTransfer-Encoding: chunked\r\nConnection: close"));
            raw.send("6\r\nq=2&a=\r\n");
            Thread.sleep(300);
            raw.send("9\r\n%E5%92%96\r\n0\r\n\r\n");
            Answer a = raw.answer(Duration.ofSeconds(10));
            assertThat(a.status()).as(a.text()).isEqualTo(200);
            assertThat(a.body()).endsWith("REQUEST q=[1, 2] a=[咖]");
        }
        assertThat(problemsLogged()).isEmpty();
    }

    @Test
    void anErrorSentAfterASlowBodyGoesThroughTheErrorPageAndIsCountedOnceUnderItsPath() throws Exception {
        double before = requests("403", "/api/test/send-error");
        try (Raw raw = new Raw()) {
            raw.send(head(
                            "POST /api/test/send-error",
                            "application/json",
                            "Authorization: Bearer " + API_KEY + "\r\nContent-Length: 2\r\nConnection: close"))
                    .send("{");
            Thread.sleep(300);
            Answer a = raw.send("}").answer(Duration.ofSeconds(10));
            assertThat(a.status()).as(a.text()).isEqualTo(403);
            assertThat(a.body()).contains("\"status\":403");
        }
        // Tomcat takes an error sent during an async dispatch for an async error and completes the request twice:
        // Spring's observation is stopped on both, and a second record, under /error, joins this one
        ServiceSuite.await(
                () -> requests("403", "/api/test/send-error") == before + 1,
                Duration.ofSeconds(5),
                () -> "the 403 was counted " + (requests("403", "/api/test/send-error") - before) + " times");
        assertThat(problemsLogged()).isEmpty();
    }

    private static long bufferedBytes() {
        return ((RequestBodyFilter) service.getBean(RequestBodyConfiguration.NAME, FilterRegistrationBean.class)
                        .getFilter())
                .bufferedBytes();
    }

    private static double requests(String status) {
        return service.getBean(MeterRegistry.class).find("http.server.requests").tag("status", status).timers().stream()
                .mapToDouble(Timer::count)
                .sum();
    }

    private static double requests(String status, String uri) {
        Timer timer = service.getBean(MeterRegistry.class)
                .find("http.server.requests")
                .tag("status", status)
                .tag("uri", uri)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private static JsonNode createPayment() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/payments"))
                        .header("Authorization", "Bearer " + API_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"amount\":\"1.00\",\"subject\":\"Tea\",\"method\":\"qr\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private static byte[] signedNotification(JsonNode payment) {
        Map<String, String> p = ServiceSuite.tradeSuccess(
                service.getBean(dev.zhifu.sandbox.AlipaySandbox.class).appId(),
                ServiceSuite.SELLER_ID,
                payment.get("out_trade_no").asString(),
                payment.get("amount").asString(),
                LocalDateTime.now(ZoneOffset.ofHours(8)));
        return new NotificationSigner(service.getBean(DemoKeys.class).alipayPrivateKey()).formBody(p);
    }

    private static HttpResponse<String> notify(byte[] body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notify/alipay"))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
