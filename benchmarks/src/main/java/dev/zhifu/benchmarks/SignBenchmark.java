package dev.zhifu.benchmarks;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import dev.zhifu.alipay.AlipayClient;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
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
 * (a) Sign a precreate request, one thread. Every contender signs the same parameter set (same biz_content,
 * notify_url, app_id, alipay_sdk tag; ours with the vectors' fixed clock, the SDK with its own
 * {@code System.currentTimeMillis()} timestamp, which has the same length).
 *
 * <ul>
 *   <li>{@code ours_*}: {@link AlipayClient#appOrderString}: validate, write biz_content, collect the protocol
 *       parameters, string-to-sign, RSA2, then the sorted URL-encoded parameter string;</li>
 *   <li>{@code sdk_sdkExecute}: {@code DefaultAlipayClient.sdkExecute}, the SDK's equivalent path;</li>
 *   <li>{@code sdk_rsaSign}: {@code AlipaySignature.getSignContent} + {@code rsaSign(content, key, "UTF-8", "RSA2")}
 *       on the same parameter map (the SDK's signing step alone; it re-reads the key text every call);</li>
 *   <li>{@code jca_*}: a cached, initialised {@link Signature} over the precomputed string-to-sign, plus
 *       UTF-8 encoding and base64: the floor any client pays.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(1)
public class SignBenchmark {

    /** Shared by all threads, as a real application shares its clients. */
    @State(Scope.Benchmark)
    public static class Clients {
        AlipayClient oursAccp;
        AlipayClient oursJdk;
        DefaultAlipayClient sdk;
        /** The parameters the SDK would sign (from our order string, minus sign). */
        Map<String, String> params;

        String stringToSign;

        @Setup
        public void setUp() throws Exception {
            oursAccp = Fixtures.ourClient(Fixtures.accp(), Fixtures.OFFLINE_GATEWAY);
            oursJdk = Fixtures.ourClient(Fixtures.jdk(), Fixtures.OFFLINE_GATEWAY);
            sdk = Fixtures.sdkClient(Fixtures.OFFLINE_GATEWAY);

            String ours = oursAccp.appOrderString(Fixtures.precreate());
            Fixtures.check(ours.equals(oursJdk.appOrderString(Fixtures.precreate())), "ACCP and JDK sign alike");
            Map<String, String> decoded = new TreeMap<>();
            for (String pair : ours.split("&")) {
                int eq = pair.indexOf('=');
                decoded.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            String sign = decoded.remove("sign");
            params = new HashMap<>(decoded);
            stringToSign = AlipaySignature.getSignContent(params);
            // byte-compatibility: the SDK's own signature over our parameters equals ours
            Fixtures.check(
                    sign.equals(AlipaySignature.rsaSign(stringToSign, Fixtures.APP_PRIVATE_KEY_PKCS8, "UTF-8", "RSA2")),
                    "our signature equals the SDK's rsaSign over the same content");
            AlipayTradePrecreateRequest sdkRequest =
                    sdkRequest(Fixtures.precreate().bizContentJson());
            String sdkOrder = sdk.sdkExecute(sdkRequest).getBody();
            Fixtures.check(
                    sdkOrder.contains("method=alipay.trade.precreate") && sdkOrder.contains("&sign="),
                    "the SDK signs the precreate request");
        }

        static AlipayTradePrecreateRequest sdkRequest(String bizContent) {
            AlipayTradePrecreateRequest request = new AlipayTradePrecreateRequest();
            request.setBizContent(bizContent);
            request.setNotifyUrl(Fixtures.NOTIFY_URL);
            return request;
        }
    }

    /** Per thread: a JCA {@link Signature} is not thread-safe. */
    @State(Scope.Thread)
    public static class Jca {
        Signature jdk;
        Signature accp;
        String content;

        @Setup
        public void setUp(Clients clients) {
            jdk = Fixtures.signer(null);
            accp = Fixtures.signer(Fixtures.accpProvider());
            content = clients.stringToSign;
        }
    }

    static String jcaSign(Signature signature, String content) throws SignatureException {
        signature.update(content.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signature.sign());
    }

    @Benchmark
    public String ours_accp(Clients c) {
        return c.oursAccp.appOrderString(Fixtures.precreate());
    }

    @Benchmark
    public String ours_jdk(Clients c) {
        return c.oursJdk.appOrderString(Fixtures.precreate());
    }

    @Benchmark
    public String sdk_sdkExecute(Clients c) throws Exception {
        // the SDK user writes biz_content themselves; building it from our request costs both sides the same
        return c.sdk.sdkExecute(Clients.sdkRequest(Fixtures.precreate().bizContentJson()))
                .getBody();
    }

    @Benchmark
    public String sdk_rsaSign(Clients c) throws Exception {
        String content = AlipaySignature.getSignContent(c.params);
        return AlipaySignature.rsaSign(content, Fixtures.APP_PRIVATE_KEY_PKCS8, "UTF-8", "RSA2");
    }

    @Benchmark
    public String jca_jdk(Jca j) throws Exception {
        return jcaSign(j.jdk, j.content);
    }

    @Benchmark
    public String jca_accp(Jca j) throws Exception {
        return jcaSign(j.accp, j.content);
    }

    /** The same signing contenders on both cores: our clients are shared, JCA objects are per thread. */
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 5)
    @Fork(1)
    @Threads(2)
    public static class TwoThreads {

        @Benchmark
        public String ours_accp(Clients c) {
            return c.oursAccp.appOrderString(Fixtures.precreate());
        }

        @Benchmark
        public String ours_jdk(Clients c) {
            return c.oursJdk.appOrderString(Fixtures.precreate());
        }

        @Benchmark
        public String jca_jdk(Jca j) throws Exception {
            return jcaSign(j.jdk, j.content);
        }

        @Benchmark
        public String jca_accp(Jca j) throws Exception {
            return jcaSign(j.accp, j.content);
        }
    }
}
