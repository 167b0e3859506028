package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.testing.OnH2;
import dev.zhifu.payments.testing.ServiceSuite;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Slow request bodies ("slow POST"): hundreds of connections that send a request's headers and then one body byte
 * every two seconds. Whatever reads a body on a worker thread, or lets Tomcat drain an unread one after a refusal,
 * would keep one of Tomcat's 200 workers per connection; liveness, the API and genuine notifications must keep
 * answering all the same, and the slow connections must be cut by the body deadline instead of lasting for ever.
 */
@OnH2
class SlowBodyAttackTest extends ServiceSuite {

    /** More than Tomcat's 200 workers. */
    static final int CONNECTIONS = 260;

    static final int DECLARED_BODY = 4096;
    static final Duration TRICKLE = Duration.ofSeconds(2);
    static final Duration ATTACK = Duration.ofSeconds(15);
    /** The bound on an answer during the attack. */
    static final Duration ANSWER = Duration.ofSeconds(3);
    /** How long a probe may take at all before it counts as no answer (generous: a failing run still ends). */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(8);

    /** Where the slow bodies go: the notification endpoint most, then each other kind of body reader or refuser. */
    static final Map<String, Integer> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put("POST /notify/alipay|application/x-www-form-urlencoded", 160);
        TARGETS.put("POST /admin/login|application/x-www-form-urlencoded", 25);
        TARGETS.put("POST /api/v1/payments|application/json", 25); // no API key: refused 401
        TARGETS.put("POST /no/such/path|application/json", 25); // refused 404
        TARGETS.put("POST /sandbox/gateway.do|application/x-www-form-urlencoded", 25);
    }

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One slow connection: complete headers, then the body a byte at a time. */
    private static final class SlowBody {
        final String target;
        final Socket socket;
        final OutputStream out;
        int sent;
        String writeFailure;
        long failedAtNanos;

        SlowBody(String target, int port) throws IOException {
            this.target = target;
            String[] parts = target.split("\\|");
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(1000);
            out = socket.getOutputStream();
            out.write((parts[0] + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + parts[1]
                            + "\r\nContent-Length: " + DECLARED_BODY + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void trickle() {
            if (writeFailure != null || sent >= DECLARED_BODY) {
                return;
            }
            try {
                out.write('a');
                out.flush();
                sent++;
            } catch (IOException e) {
                writeFailure = e.getClass().getSimpleName();
                failedAtNanos = System.nanoTime();
            }
        }

        /** What the server did with the connection: the status line it answered, "closed", or "open". */
        String fate() {
            try {
                InputStream in = socket.getInputStream();
                byte[] head = new byte[12];
                int n = in.readNBytes(head, 0, head.length);
                if (n == 0) {
                    return "closed";
                }
                return new String(head, 0, n, StandardCharsets.US_ASCII).strip();
            } catch (SocketTimeoutException e) {
                return writeFailure == null ? "open" : "closed";
            } catch (IOException e) {
                return "closed";
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket the server may already have reset
            }
        }
    }

    private record Probe(String what, int status, String body, long millis, String failure) {
        boolean answeredInTime(Duration bound) {
            return failure == null && millis <= bound.toMillis();
        }
    }

    @Test
    void slowBodiesHoldNeitherWorkersNorConnectionsForLong() throws Exception {
        // signed before the attack: the probes themselves must not wait for anything but their answer
        List<String> ids = new ArrayList<>();
        List<byte[]> notifications = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = createQr(uniqueOrderNo(), "2.00").get("id").asString();
            ids.add(id);
            notifications.add(signedByAlipay(notification(payment(id), "TRADE_SUCCESS")));
        }
        List<SlowBody> slow = new ArrayList<>();
        List<Probe> probes = new ArrayList<>();
        List<String> blockedReaders = new ArrayList<>();
        try {
            for (Map.Entry<String, Integer> t : TARGETS.entrySet()) {
                for (int i = 0; i < t.getValue(); i++) {
                    slow.add(new SlowBody(t.getKey(), port));
                }
            }
            assertThat(slow).hasSize(CONNECTIONS);
            long start = System.nanoTime();
            long end = start + ATTACK.toNanos();
            long nextTrickle = start;
            long nextProbe = start + TimeUnit.SECONDS.toNanos(2);
            int round = 0;
            // bounded in time (ATTACK plus at most one probe round) and in count (one probe round each 3 s)
            while (System.nanoTime() < end && round < 6) {
                long now = System.nanoTime();
                if (now >= nextTrickle) {
                    slow.forEach(SlowBody::trickle);
                    nextTrickle = now + TRICKLE.toNanos();
                }
                if (now >= nextProbe) {
                    blockedReaders.add(busyWorkers() + "/" + workersWaitingForABody());
                    probes.addAll(probeRound(ids.get(round), notifications.get(round)));
                    slow.forEach(SlowBody::trickle); // a probe round can take a while when nothing answers
                    nextTrickle = System.nanoTime() + TRICKLE.toNanos();
                    round++;
                    nextProbe = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                }
                Thread.sleep(100);
            }
            Map<String, Map<String, Integer>> fates = fates(slow);
            long[] cut = slow.stream()
                    .filter(s -> s.writeFailure != null)
                    .mapToLong(s -> TimeUnit.NANOSECONDS.toMillis(s.failedAtNanos - start))
                    .sorted()
                    .toArray();
            System.out.printf(
                    "slow-body attack: %d connections for %d s; probes:%n",
                    CONNECTIONS, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
            probes.forEach(p -> System.out.printf(
                    "  %-12s %4d ms  status %d %s%n",
                    p.what(), p.millis(), p.status(), p.failure() == null ? "" : p.failure()));
            System.out.println("  Tomcat workers busy / waiting for a body at each round: " + blockedReaders);
            System.out.println("  slow connections found cut by the server (a write failed): " + cut.length
                    + (cut.length == 0 ? "" : ", first at " + cut[0] + " ms, last at " + cut[cut.length - 1] + " ms"));
            System.out.println("  what became of the slow connections: " + fates);

            assertThat(probes).as("probe rounds").hasSizeGreaterThanOrEqualTo(3);
            assertThat(probes).allSatisfy(p -> {
                assertThat(p.answeredInTime(ANSWER))
                        .as("%s answered within %s: %s", p.what(), ANSWER, p)
                        .isTrue();
                assertThat(p.status()).as(p.what()).isEqualTo(200);
            });
            assertThat(probes)
                    .filteredOn(p -> p.what().equals("notification"))
                    .allSatisfy(p -> assertThat(p.body()).isEqualTo("success"));
            assertThat(blockedReaders)
                    .as("workers held by slow bodies")
                    .allSatisfy(n -> assertThat(Integer.parseInt(n.substring(n.indexOf('/') + 1)))
                            .isLessThan(20));
            // a body not complete by the deadline ends with 408 and the connection closed, never left open
            fates.forEach((target, counts) -> assertThat(counts.keySet())
                    .as(target)
                    .allSatisfy(fate -> assertThat(fate).isIn("HTTP/1.1 408", "closed")));
        } finally {
            slow.forEach(SlowBody::close);
        }

        // and afterwards all is well: the payments the notifications paid are paid, everything answers
        for (int i = 0; i < 3; i++) {
            assertThat(payment(ids.get(i)).get("status").asString()).isEqualTo("PAID");
        }
        List<Probe> after = probeRound(ids.get(7), notifications.get(7));
        assertThat(after)
                .allSatisfy(p -> assertThat(p.status()).as(p.toString()).isEqualTo(200));
        assertThat(workersWaitingForABody()).isZero();
        System.out.println("  after: " + after);
    }

    /**
     * A refused request's body is not read by anyone, but the container drains it before the connection can take
     * its next request: on a worker, as slowly as it comes. Those must not hold workers either.
     */
    @Test
    void refusedRequestsWithSlowBodiesHoldNoWorkers() throws Exception {
        List<SlowBody> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                slow.add(new SlowBody("POST /api/v1/payments|application/json", port)); // 401
                slow.add(new SlowBody("POST /no/such/path|application/json", port)); // 404
                slow.add(new SlowBody("POST /admin/payments/x/refund|application/x-www-form-urlencoded", port)); // 303
            }
            int[] busy = new int[2];
            for (int round = 0; round < 2; round++) {
                slow.forEach(SlowBody::trickle);
                Thread.sleep(1500);
                busy[round] = workersWaitingForABody();
            }
            System.out.println("refused slow bodies: " + slow.size() + " connections; workers waiting for a body: "
                    + busy[0] + ", " + busy[1] + " (busy: " + busyWorkers() + ")");
            assertThat(Math.max(busy[0], busy[1]))
                    .as("workers draining refused bodies")
                    .isLessThan(10);
        } finally {
            slow.forEach(SlowBody::close);
        }
    }

    /** Liveness, an authenticated API read and a genuine notification, at once; each timed on its own. */
    private List<Probe> probeRound(String paymentId, byte[] signedNotification) {
        String base = "http://127.0.0.1:" + port;
        HttpRequest liveness = HttpRequest.newBuilder(URI.create(base + "/actuator/health/liveness"))
                .timeout(PROBE_TIMEOUT)
                .GET()
                .build();
        HttpRequest read = HttpRequest.newBuilder(URI.create(base + "/api/v1/payments/" + paymentId))
                .timeout(PROBE_TIMEOUT)
                .header("Authorization", "Bearer " + apiKeys.first())
                .GET()
                .build();
        HttpRequest notify = HttpRequest.newBuilder(URI.create(base + "/notify/alipay"))
                .timeout(PROBE_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(signedNotification))
                .build();
        List<CompletableFuture<Probe>> running =
                List.of(timed("liveness", liveness), timed("api read", read), timed("notification", notify));
        return running.stream().map(CompletableFuture::join).toList();
    }

    private CompletableFuture<Probe> timed(String what, HttpRequest request) {
        long start = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((r, e) -> {
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    return e == null
                            ? new Probe(what, r.statusCode(), r.body(), millis, null)
                            : new Probe(what, -1, null, millis, e.getClass().getSimpleName());
                });
    }

    /** What each connection got: its answer's status line, "closed" or "open"; read at once, bounded in time. */
    private static Map<String, Map<String, Integer>> fates(List<SlowBody> slow) throws InterruptedException {
        ExecutorService readers = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> fates = new ArrayList<>();
            for (SlowBody s : slow) {
                fates.add(readers.submit(s::fate));
            }
            Map<String, Map<String, Integer>> counted = new TreeMap<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // each read waits 1 s at most
            for (int i = 0; i < slow.size(); i++) {
                String fate;
                try {
                    fate = fates.get(i).get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    fate = "unknown: " + e;
                }
                counted.computeIfAbsent(slow.get(i).target, k -> new TreeMap<>())
                        .merge(fate, 1, Integer::sum);
            }
            return counted;
        } finally {
            readers.shutdownNow();
        }
    }

    /** Tomcat's workers (of the main connector) busy with something right now. */
    private int busyWorkers() {
        Executor executor = ((TomcatWebServer) ((WebServerApplicationContext) context).getWebServer())
                .getTomcat()
                .getConnector()
                .getProtocolHandler()
                .getExecutor();
        return executor instanceof ThreadPoolExecutor pool ? pool.getActiveCount() : -1;
    }

    /** Tomcat workers (of any server in this JVM) parked in a blocking read of a request's bytes. */
    private static int workersWaitingForABody() {
        int n = 0;
        for (Map.Entry<Thread, StackTraceElement[]> t :
                Thread.getAllStackTraces().entrySet()) {
            if (!t.getKey().getName().contains("-exec-")) {
                continue;
            }
            for (StackTraceElement frame : t.getValue()) {
                if (frame.getClassName().equals("org.apache.coyote.http11.Http11InputBuffer")
                        && frame.getMethodName().equals("fill")) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }
}
