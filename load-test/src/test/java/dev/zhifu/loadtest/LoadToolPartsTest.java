package dev.zhifu.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadToolPartsTest {

    /**
     * The keep-alive client against a server that answers with a length, then chunked, then with a length and
     * {@code Connection: close}, then (on a new connection, which the client must open) once more.
     */
    @Test
    void keepAliveClientReadsEveryFramingAndReconnects() throws Exception {
        List<String> answers = List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Type: text/plain\r\n\r\nsuccess",
                "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n",
                "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        AtomicInteger connections = new AtomicInteger();
        List<String> requests = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                int next = 0;
                while (next < answers.size()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        while (next < answers.size()) {
                            String request = readRequest(in);
                            if (request == null) {
                                break;
                            }
                            synchronized (requests) {
                                requests.add(request);
                            }
                            String answer = answers.get(next++);
                            out.write(answer.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            if (answer.contains("Connection: close")) {
                                break;
                            }
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            serving.start();
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/notify/alipay");
            byte[] request =
                    KeepAliveClient.post(uri, "text/plain", "X-Test: 1\r\n", "body".getBytes(StandardCharsets.UTF_8));
            try (KeepAliveClient client = new KeepAliveClient(uri, 5000)) {
                assertThat(client.send(request)).isEqualTo(new KeepAliveClient.Answer(200, "success"));
                assertThat(client.send(request)).isEqualTo(new KeepAliveClient.Answer(201, "{\"a\":1}"));
                assertThat(client.send(request)).isEqualTo(new KeepAliveClient.Answer(400, "no"));
                assertThat(client.send(request)).isEqualTo(new KeepAliveClient.Answer(200, "ok"));
            }
            serving.join(5000);
        }
        assertThat(connections.get())
                .as("a new connection after Connection: close only")
                .isEqualTo(2);
        assertThat(requests)
                .hasSize(4)
                .allSatisfy(r -> assertThat(r)
                        .startsWith("POST /notify/alipay HTTP/1.1\r\n")
                        .contains("Content-Length: 4\r\n", "X-Test: 1\r\n")
                        .endsWith("\r\n\r\nbody"));
    }

    /** One request: the head up to the blank line, then Content-Length bytes; null at the end of the stream. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                int at = h.indexOf("Content-Length: ") + "Content-Length: ".length();
                int length = Integer.parseInt(h.substring(at, h.indexOf("\r\n", at)));
                return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Test
    void onlyLoopbackTargets() {
        for (String ok : new String[] {
            "http://127.0.0.1:8080",
            "http://localhost:1/x",
            "http://127.1.2.3:9",
            "http://[::1]:8080/",
            "http://LOCALHOST:80"
        }) {
            assertThat(Loopback.require(ok)).as(ok).isNotNull();
        }
        for (String bad : new String[] {
            "http://10.0.0.1:8080",
            "http://example.com",
            "http://127.0.0.1.nip.io:80",
            "http://localhost.example.com",
            "https://127.0.0.1",
            "http://0.0.0.0:8080",
            "http://[::2]:80",
            "http://128.0.0.1",
            "http://127.0.0.256",
            "ftp://127.0.0.1",
            "http://[::ffff:8.8.8.8]:80",
            "nonsense"
        }) {
            assertThatThrownBy(() -> Loopback.require(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readsOpensslSpeedOutput() {
        String out = """
                version: 3.0.19
                                  sign    verify    sign/s verify/s
                rsa 2048 bits 0.000446s 0.000030s   2242.0  33332.2
                """;
        OpensslSpeed.Rates r = OpensslSpeed.parse("openssl speed", out);
        assertThat(r.signPerSecond()).isEqualTo(2242.0);
        assertThat(r.verifyPerSecond()).isEqualTo(33332.2);
        // 2 signs + 2 verifies per create
        assertThat(OpensslSpeed.createFloor(new OpensslSpeed.Rates("x", 1000, 1000)))
                .isEqualTo(250.0);
    }

    @Test
    void sumsHeapPoolsFromPrometheus() {
        String text = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 6.291456E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.0E7
                """;
        assertThat(ServiceProcess.heapFromPrometheus(text)).isEqualTo(82_914_560L);
        assertThat(ServiceProcess.heapFromPrometheus("nothing")).isEqualTo(-1);
        String calls = "# TYPE alipay_client_calls_seconds histogram\n"
                + "alipay_client_calls_seconds_count{method=\"alipay.trade.query\",outcome=\"success\"} 12\n"
                + "alipay_client_calls_seconds_count{method=\"alipay.trade.close\",outcome=\"success\"} 3.0 # {span_id=\"a\"} 1\n"
                + "alipay_client_calls_seconds_sum{method=\"alipay.trade.query\"} 99\n"
                + "payments_pending 7\n";
        assertThat(ServiceProcess.sumOf(calls, "alipay_client_calls_seconds_count"))
                .isEqualTo(15);
        assertThat(ServiceProcess.sumOf(calls, "payments_pending")).isEqualTo(7);
        assertThat(ServiceProcess.sumOf(calls, "payments_pending_oldest")).isNaN();
        assertThat(ServiceProcess.sumOf(null, "payments_pending")).isNaN();
        assertThat(Soak.duration("soak", "10m")).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(Soak.duration("idle", "90s")).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThatThrownBy(() -> Soak.duration("soak", "10 minutes")).hasMessageContaining("--soak");
    }

    @Test
    void percentiles() {
        Latencies l = new Latencies(100);
        for (int i = 1; i <= 100; i++) {
            l.add(i * 1_000_000L);
        }
        assertThat(l.percentileMillis(0.5)).isEqualTo(50.0);
        assertThat(l.percentileMillis(0.99)).isEqualTo(99.0);
        assertThat(new Latencies(1).percentileMillis(0.5)).isNaN();
    }

    @Test
    void splitsProcessCpuByThreadKind() {
        String stat = "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194368 10 0 0 0 153 27 0 0 20 0 30 0 900 0 0";
        assertThat(ThreadCpu.comm(stat)).isEqualTo("C2 CompilerThre");
        assertThat(ThreadCpu.cpuMillis(stat)).isEqualTo(1800);
        assertThat(ThreadCpu.cpuMillis("7 (http-nio-127.0.) R 1 7 7 0 -1 0 0 0 0 0 5 5 0 0 20 0 1 0 9 0 0"))
                .isEqualTo(100);
        assertThat(ThreadCpu.kindOf("C1 CompilerThre")).isEqualTo(ThreadCpu.Kind.JIT);
        assertThat(ThreadCpu.kindOf("GC Thread#1")).isEqualTo(ThreadCpu.Kind.GC);
        assertThat(ThreadCpu.kindOf("G1 Conc#0")).isEqualTo(ThreadCpu.Kind.GC);
        assertThat(ThreadCpu.kindOf("http-nio-127.0.")).isEqualTo(ThreadCpu.Kind.OTHER);

        var before = new ThreadCpu.Snapshot(
                1000,
                java.util.Map.of(1L, ThreadCpu.Kind.JIT, 2L, ThreadCpu.Kind.GC, 3L, ThreadCpu.Kind.OTHER),
                java.util.Map.of(1L, 100L, 2L, 50L, 3L, 850L),
                java.util.Map.of(1L, "C2 CompilerThre", 2L, "GC Thread#0", 3L, "http-nio-exec-3"));
        // thread 4 (a new compiler thread) appeared; thread 3 ended
        var after = new ThreadCpu.Snapshot(
                1600,
                java.util.Map.of(1L, ThreadCpu.Kind.JIT, 2L, ThreadCpu.Kind.GC, 4L, ThreadCpu.Kind.JIT),
                java.util.Map.of(1L, 250L, 2L, 90L, 4L, 30L),
                java.util.Map.of(1L, "C2 CompilerThre", 2L, "GC Thread#0", 4L, "C2 CompilerThre"));
        assertThat(after.since(before)).isEqualTo(new ThreadCpu.Split(600, 180, 40));
        assertThat(after.busiestSince(before, 2)).isEqualTo("C2 CompilerThre 180 ms, GC Thread# 40 ms");
        assertThat(after.since(null)).isEqualTo(ThreadCpu.Split.UNKNOWN);

        ThreadCpu.Snapshot self = ThreadCpu.read(ProcessHandle.current().pid());
        if (self != null) { // Linux
            assertThat(self.totalMillis()).isNotNegative();
            assertThat(self.kinds()).containsValue(ThreadCpu.Kind.OTHER);
        }
    }

    @Test
    void heapLimitOfTheStartedService() {
        assertThat(new LoadTool(java.util.Map.of()).serviceJvmOptions()).containsExactly("-Xmx256m");
        assertThat(new LoadTool(java.util.Map.of("heap", "none")).serviceJvmOptions())
                .isEmpty();
        assertThat(new LoadTool(java.util.Map.of("heap", "1g", "jvm-opts", " -XX:+UseSerialGC ")).serviceJvmOptions())
                .containsExactly("-XX:+UseSerialGC", "-Xmx1g");
        assertThat(new LoadTool(java.util.Map.of("jvm-opts", "-Xmx512m")).serviceJvmOptions())
                .containsExactly("-Xmx512m");
        assertThatThrownBy(() -> new LoadTool(java.util.Map.of("heap", "lots")).serviceJvmOptions())
                .hasMessageContaining("--heap");
    }

    @Test
    void profileRecordsFromTheLaunchOfAServiceTheToolStarts() throws Exception {
        assertThat(new LoadTool(java.util.Map.of("profile", "/tmp/p")).serviceJvmOptions())
                .containsExactly("-Xmx256m", FlightRecording.FROM_LAUNCH);
        // nothing started, nothing measured: refused before any work, naming the option
        assertThatThrownBy(() -> new LoadTool(java.util.Map.of("profile", "/tmp/p", "soak", "1m")).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--profile")
                .hasMessageContaining("--soak");
        assertThatThrownBy(() -> new LoadTool(java.util.Map.of(
                                "profile", "/tmp/p", "target", "http://127.0.0.1:1", "data-dir", "/tmp"))
                        .run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--target");
    }
}
