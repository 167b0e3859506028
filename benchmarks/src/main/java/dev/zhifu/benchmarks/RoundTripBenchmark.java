package dev.zhifu.benchmarks;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import com.alipay.api.response.AlipayTradePrecreateResponse;
import com.sun.net.httpserver.HttpServer;
import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.JdkHttpTransport;
import dev.zhifu.alipay.trade.PrecreateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (e) A full precreate round trip against a loopback {@link HttpServer} on 127.0.0.1 (same JVM, so it shares
 * the two cores with the client) that answers every POST with the signed precreate answer of
 * 04_gateway_responses.json. Both clients: sign, POST over HTTP/1.1, read, verify the answer, parse it.
 * Ours uses its default transport (JDK {@code HttpClient}, steps run on its selector thread; {@code ours_accp_pool}
 * on the JDK's default pool, as before); the SDK its own ({@code HttpURLConnection}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(1)
public class RoundTripBenchmark {

    @State(Scope.Benchmark)
    public static class Loopback {
        HttpServer server;
        final AtomicLong requests = new AtomicLong();
        AlipayClient oursAccp;
        AlipayClient oursJdk;
        /** Ours with ACCP on the JDK HttpClient's default executor (a pool): the transport before its direct one. */
        AlipayClient oursAccpPool;
        /** Ours with ACCP on a blocking OkHttp transport plugged in: what the JDK client's exchange costs. */
        AlipayClient oursAccpOkHttp;

        DefaultAlipayClient sdk;

        @Setup(Level.Trial)
        public void start() throws Exception {
            // the JDK server leaves Nagle on; with the client's delayed ACKs every answer would wait ~40 ms
            // (read once, when the server's configuration class loads, i.e. before the first server starts)
            System.setProperty("sun.net.httpserver.nodelay", "true");
            byte[] answer = Fixtures.PRECREATE_RESPONSE_BODY.getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/gateway.do", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                requests.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            // no executor: the server's dispatcher thread answers, so the canned gateway adds no thread hand-off
            // of its own to the round trip (one call is in flight at a time)
            server.setExecutor(null);
            server.start();
            String gateway = "http://127.0.0.1:" + server.getAddress().getPort() + "/gateway.do";

            oursAccp = Fixtures.ourClient(Fixtures.accp(), gateway);
            oursJdk = Fixtures.ourClient(Fixtures.jdk(), gateway);
            oursAccpPool = new AlipayClient(Fixtures.ourConfig(Fixtures.accp(), gateway)
                    .transport(new JdkHttpTransport(Duration.ofSeconds(10), null))
                    .build());
            sdk = Fixtures.sdkClient(gateway);
            String qr = "https://qr.alipay.com/bax00000000000000000000000";
            Fixtures.check(qr.equals(oursAccp.execute(Fixtures.precreate()).qrCode()), "ours/ACCP round trip");
            Fixtures.check(qr.equals(oursJdk.execute(Fixtures.precreate()).qrCode()), "ours/JDK round trip");
            Fixtures.check(qr.equals(oursAccpPool.execute(Fixtures.precreate()).qrCode()), "ours/ACCP pooled");
            oursAccpOkHttp = new AlipayClient(Fixtures.ourConfig(Fixtures.accp(), gateway)
                    .transport(OkHttpTransports.alipay())
                    .build());
            Fixtures.check(
                    qr.equals(oursAccpOkHttp.execute(Fixtures.precreate()).qrCode()), "ours/ACCP on OkHttp");
            AlipayTradePrecreateResponse sdkAnswer = sdk.execute(sdkRequest());
            Fixtures.check(sdkAnswer.isSuccess() && qr.equals(sdkAnswer.getQrCode()), "SDK round trip");
            Fixtures.check(requests.get() == 5, "the loopback server saw the five calls");
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            server.stop(0);
        }

        static AlipayTradePrecreateRequest sdkRequest() {
            AlipayTradePrecreateRequest request = new AlipayTradePrecreateRequest();
            request.setBizContent(Fixtures.precreate().bizContentJson());
            request.setNotifyUrl(Fixtures.NOTIFY_URL);
            return request;
        }
    }

    @Benchmark
    public PrecreateRequest.Response ours_accp(Loopback l) {
        return l.oursAccp.execute(Fixtures.precreate());
    }

    @Benchmark
    public PrecreateRequest.Response ours_accp_pool(Loopback l) {
        return l.oursAccpPool.execute(Fixtures.precreate());
    }

    @Benchmark
    public PrecreateRequest.Response ours_accp_okhttp(Loopback l) {
        return l.oursAccpOkHttp.execute(Fixtures.precreate());
    }

    @Benchmark
    public PrecreateRequest.Response ours_jdk(Loopback l) {
        return l.oursJdk.execute(Fixtures.precreate());
    }

    @Benchmark
    public AlipayTradePrecreateResponse sdk_execute(Loopback l) throws Exception {
        AlipayTradePrecreateResponse response = l.sdk.execute(Loopback.sdkRequest());
        if (!response.isSuccess()) {
            throw new IllegalStateException("SDK round trip failed: " + response.getSubMsg());
        }
        return response;
    }
}
