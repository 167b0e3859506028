package dev.zhifu.benchmarks;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeAppPayRequest;
import com.alipay.api.response.AlipayTradeAppPayResponse;
import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipayResponse;
import dev.zhifu.alipay.trade.PrecreateRequest;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (d) Verify a gateway response.
 *
 * <p>Verify only, same input for everyone: the signed app pay result of 03_app_pay.json (sync_result_valid),
 * a gateway answer node plus {@code sign}. Ours: {@link AlipayClient#verifyAppPayResult} (the same
 * locate-node / verify / parse path as every gateway answer). SDK: {@code parseAppSyncResult(map,
 * AlipayTradeAppPayRequest.class)} (its parser, sign-item extraction and RSA2 check). JCA: a cached verifier
 * over the node text.
 *
 * <p>{@code ours_execute_inmemory_*}: the whole of {@link AlipayClient#execute} for precreate with an
 * in-memory {@code HttpTransport} answering 04_gateway_responses.json's signed precreate answer: sign, then
 * verify and read, without a socket. (The SDK has no transport hook; its full path is in the round trip.)
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(1)
public class ResponseBenchmark {

    @State(Scope.Benchmark)
    public static class Clients {
        AlipayClient oursAccp;
        AlipayClient oursJdk;
        AlipayClient inMemoryAccp;
        AlipayClient inMemoryJdk;
        DefaultAlipayClient sdk;
        String result;
        Map<String, String> syncResult;

        @Setup
        public void setUp() throws Exception {
            oursAccp = Fixtures.ourClient(Fixtures.accp(), Fixtures.OFFLINE_GATEWAY);
            oursJdk = Fixtures.ourClient(Fixtures.jdk(), Fixtures.OFFLINE_GATEWAY);
            inMemoryAccp = Fixtures.ourInMemoryClient(Fixtures.accp(), Fixtures.PRECREATE_RESPONSE_BODY);
            inMemoryJdk = Fixtures.ourInMemoryClient(Fixtures.jdk(), Fixtures.PRECREATE_RESPONSE_BODY);
            sdk = Fixtures.sdkClient(Fixtures.OFFLINE_GATEWAY);
            syncResult = Fixtures.APP_SYNC_RESULT;
            result = syncResult.get("result");

            Fixtures.check(oursAccp.verifyAppPayResult(result).verified(), "ours/ACCP verifies the app pay result");
            Fixtures.check(oursJdk.verifyAppPayResult(result).verified(), "ours/JDK verifies the app pay result");
            Fixtures.check(
                    sdk.parseAppSyncResult(syncResult, AlipayTradeAppPayRequest.class)
                            .isSuccess(),
                    "the SDK verifies the app pay result");
            PrecreateRequest.Response qr = inMemoryAccp.execute(Fixtures.precreate());
            Fixtures.check("https://qr.alipay.com/bax00000000000000000000000".equals(qr.qrCode()), "ours executes");
            Fixtures.check(
                    qr.qrCode().equals(inMemoryJdk.execute(Fixtures.precreate()).qrCode()), "ours/JDK executes");
        }
    }

    @State(Scope.Thread)
    public static class Jca {
        Signature jdk;
        Signature accp;
        byte[] content;
        byte[] signature;

        @Setup
        public void setUp(Clients c) throws Exception {
            String r = c.result;
            String node = r.substring(r.indexOf(":{") + 1, r.indexOf(",\"sign\":"));
            content = node.getBytes(StandardCharsets.UTF_8);
            String sign = r.substring(r.indexOf("\"sign\":\"") + 8);
            signature = Base64.getDecoder().decode(sign.substring(0, sign.indexOf('"')));
            jdk = Fixtures.verifier(null);
            accp = Fixtures.verifier(Fixtures.accpProvider());
            jdk.update(content);
            Fixtures.check(jdk.verify(signature), "JCA verifies the node text");
        }
    }

    @Benchmark
    public AlipayResponse ours_accp(Clients c) {
        return c.oursAccp.verifyAppPayResult(c.result);
    }

    @Benchmark
    public AlipayResponse ours_jdk(Clients c) {
        return c.oursJdk.verifyAppPayResult(c.result);
    }

    @Benchmark
    public AlipayTradeAppPayResponse sdk_parseAppSyncResult(Clients c) throws Exception {
        return c.sdk.parseAppSyncResult(c.syncResult, AlipayTradeAppPayRequest.class);
    }

    @Benchmark
    public boolean jca_jdk(Jca j) throws Exception {
        j.jdk.update(j.content);
        return j.jdk.verify(j.signature);
    }

    @Benchmark
    public boolean jca_accp(Jca j) throws Exception {
        j.accp.update(j.content);
        return j.accp.verify(j.signature);
    }

    @Benchmark
    public PrecreateRequest.Response ours_execute_inmemory_accp(Clients c) {
        return c.inMemoryAccp.execute(Fixtures.precreate());
    }

    @Benchmark
    public PrecreateRequest.Response ours_execute_inmemory_jdk(Clients c) {
        return c.inMemoryJdk.execute(Fixtures.precreate());
    }
}
