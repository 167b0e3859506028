package dev.zhifu.benchmarks;

import com.alipay.api.internal.util.AlipaySignature;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.notify.TradeNotification;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
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
 * (c) Verify a 25-field TRADE_SUCCESS notification (05_notifications.json, trade_success_page_pay).
 * Ours: {@link NotificationVerifier#verify(Map)} (copies the map, builds the content, verifies, returns the
 * typed notification) and, for reference, {@code verifyForm} on the raw POST body. SDK:
 * {@code AlipaySignature.rsaCheckV1(copy, alipayPublicKey, "UTF-8", "RSA2")} on a copy, since it removes
 * {@code sign} from the map it is given. JCA: a cached verifier over the precomputed string-to-verify.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(1)
public class NotificationBenchmark {

    @State(Scope.Benchmark)
    public static class Verifiers {
        NotificationVerifier oursAccp;
        NotificationVerifier oursJdk;
        Map<String, String> params;
        byte[] form;

        @Setup
        public void setUp() throws Exception {
            oursAccp = Fixtures.ourClient(Fixtures.accp(), Fixtures.OFFLINE_GATEWAY)
                    .notifications();
            oursJdk =
                    Fixtures.ourClient(Fixtures.jdk(), Fixtures.OFFLINE_GATEWAY).notifications();
            params = new HashMap<>(Fixtures.NOTIFICATION); // what a servlet hands over: a mutable map
            form = Fixtures.NOTIFICATION_FORM;
            Fixtures.check("PC20240601120000001".equals(oursAccp.verify(params).outTradeNo()), "ours/ACCP verifies");
            Fixtures.check("PC20240601120000001".equals(oursJdk.verify(params).outTradeNo()), "ours/JDK verifies");
            Fixtures.check(
                    "PC20240601120000001".equals(oursAccp.verifyForm(form).outTradeNo()), "ours verifies the form");
            Fixtures.check(
                    AlipaySignature.rsaCheckV1(new HashMap<>(params), Fixtures.ALIPAY_PUBLIC_KEY, "UTF-8", "RSA2"),
                    "the SDK verifies");
        }
    }

    @State(Scope.Thread)
    public static class Jca {
        Signature jdk;
        Signature accp;
        byte[] content;
        byte[] signature;

        @Setup
        public void setUp() throws Exception {
            jdk = Fixtures.verifier(null);
            accp = Fixtures.verifier(Fixtures.accpProvider());
            content = Fixtures.NOTIFICATION_STRING_TO_VERIFY.getBytes(StandardCharsets.UTF_8);
            signature = Base64.getDecoder().decode(Fixtures.NOTIFICATION.get("sign"));
            jdk.update(content);
            Fixtures.check(jdk.verify(signature), "JCA verifies");
        }
    }

    @Benchmark
    public TradeNotification ours_accp(Verifiers v) {
        return v.oursAccp.verify(v.params);
    }

    @Benchmark
    public TradeNotification ours_jdk(Verifiers v) {
        return v.oursJdk.verify(v.params);
    }

    @Benchmark
    public TradeNotification ours_accp_form(Verifiers v) {
        return v.oursAccp.verifyForm(v.form);
    }

    @Benchmark
    public boolean sdk_rsaCheckV1(Verifiers v) throws Exception {
        return AlipaySignature.rsaCheckV1(new HashMap<>(v.params), Fixtures.ALIPAY_PUBLIC_KEY, "UTF-8", "RSA2");
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
}
