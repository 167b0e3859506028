package dev.zhifu.benchmarks;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.wechat.WechatPayAccount;
import dev.zhifu.wechatpay.WechatPayClient;
import dev.zhifu.wechatpay.WechatPayConfig;
import dev.zhifu.wechatpay.payments.Order;
import java.math.BigDecimal;
import java.util.Base64;
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
 * A WeChat Pay Native prepay round trip against the offline sandbox on 127.0.0.1 (same JVM, sharing the cores):
 * sign, POST, the sandbox checks the signature, books the order and signs its answer, the client verifies and reads
 * {@code code_url}. wechatpay-client (JDK RSA, its JDK {@code HttpClient}) beside the official SDK 0.2.17 (JDK RSA,
 * OkHttp). Every call books a new order, as a shop's checkout does. An end-to-end smoke of client and sandbox together:
 * most of its time is the sandbox's own work in the same JVM, so it does not compare the clients; {@link
 * WechatRoundTripBenchmark} does, against a canned gateway.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
// on Java 18+ the sandbox needs this to spell the Wechatpay-* headers as the SDK looks them up (docs/sandbox.md)
@Fork(value = 1, jvmArgsAppend = "--add-opens=jdk.httpserver/com.sun.net.httpserver=ALL-UNNAMED")
@Threads(1)
public class WechatSandboxRoundTripBenchmark {

    private static final String NOTIFY_URL = "http://127.0.0.1:9/notify";

    @State(Scope.Benchmark)
    public static class Sandbox {
        AlipaySandbox sandbox;
        WechatPayClient ours;
        NativePayService sdk;
        String mchid;
        String appid;
        final AtomicLong orders = new AtomicLong();

        @Setup(Level.Trial)
        public void start() {
            // the JDK server leaves Nagle on; with the client's delayed ACKs every answer would wait ~40 ms
            System.setProperty("sun.net.httpserver.nodelay", "true");
            sandbox = AlipaySandbox.builder().build().start();
            WechatPayAccount account = sandbox.wechatPayAccount();
            mchid = account.mchid();
            appid = account.appid();
            ours = new WechatPayClient(WechatPayConfig.builder()
                    .baseUrl(account.baseUrl())
                    .mchid(mchid)
                    .appId(appid)
                    .merchantSerialNumber(account.merchantSerial())
                    .merchantPrivateKey(base64(account.merchantPrivateKey()))
                    .wechatPayPublicKey(base64(account.publicKey()), account.publicKeyId())
                    .apiV3Key(account.apiV3Key())
                    .nativeRsa(false)
                    .build());
            RSAPublicKeyConfig sdkConfig = new RSAPublicKeyConfig.Builder()
                    .merchantId(mchid)
                    .privateKey(account.merchantPrivateKey())
                    .merchantSerialNumber(account.merchantSerial())
                    .apiV3Key(account.apiV3Key())
                    .publicKey(account.publicKey())
                    .publicKeyId(account.publicKeyId())
                    .build();
            sdk = new NativePayService.Builder()
                    .httpClient(new DefaultHttpClientBuilder()
                            .config(sdkConfig)
                            .okHttpClient(Fixtures.redirectedTo(account.baseUrl()))
                            .build())
                    .build();
            Fixtures.check(oursPrepay(this).startsWith(sandbox.baseUrl()), "ours gets the sandbox's code_url");
            Fixtures.check(sdkPrepay(this).startsWith(sandbox.baseUrl()), "the SDK gets the sandbox's code_url");
        }

        @TearDown(Level.Trial)
        public void stop() {
            sandbox.close();
        }

        String nextOrderNumber() {
            return "BENCH" + orders.incrementAndGet();
        }
    }

    private static String base64(java.security.Key key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    @Benchmark
    public String ours(Sandbox s) {
        return oursPrepay(s);
    }

    @Benchmark
    public String sdk(Sandbox s) {
        return sdkPrepay(s);
    }

    static String oursPrepay(Sandbox s) {
        return s.ours.nativePrepay(new Order(s.nextOrderNumber(), "bench", new BigDecimal("9.90"), NOTIFY_URL));
    }

    static String sdkPrepay(Sandbox s) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(s.appid);
        request.setMchid(s.mchid);
        request.setDescription("bench");
        request.setOutTradeNo(s.nextOrderNumber());
        request.setNotifyUrl(NOTIFY_URL);
        Amount amount = new Amount();
        amount.setTotal(990);
        request.setAmount(amount);
        return s.sdk.prepay(request).getCodeUrl();
    }
}
