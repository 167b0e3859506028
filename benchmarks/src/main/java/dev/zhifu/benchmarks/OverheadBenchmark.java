package dev.zhifu.benchmarks;

import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipayResponse;
import dev.zhifu.alipay.BrowserPayment;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.notify.TradeNotification;
import dev.zhifu.alipay.trade.PrecreateRequest;
import java.security.Security;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostic, not a contender: our client's own cost per call with the RSA taken out ({@link NullRsa}), in
 * microseconds per operation. Subtracted from a case's time per call it shows how far the client can be from
 * plain JCA at most; where it is large it names the path to look at. Same inputs as the other cases.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class OverheadBenchmark {

    @State(Scope.Benchmark)
    public static class Clients {
        AlipayClient client;
        AlipayClient inMemory;
        NotificationVerifier notifications;
        Map<String, String> params;
        String appPayResult;

        @Setup
        public void setUp() {
            // first in the list, so the JDK's lookup finds it; JMH forks a JVM for each benchmark, so it meets no other
            Security.insertProviderAt(NullRsa.INSTANCE, 1);
            client = Fixtures.ourClient(Fixtures.jdk(), Fixtures.OFFLINE_GATEWAY);
            inMemory = Fixtures.ourInMemoryClient(Fixtures.jdk(), Fixtures.PRECREATE_RESPONSE_BODY);
            Fixtures.check(
                    client.config().rsaProviderName().equals(NullRsa.INSTANCE.getName()),
                    "the client signs with the null RSA");
            notifications = client.notifications();
            params = new HashMap<>(Fixtures.NOTIFICATION);
            appPayResult = Fixtures.APP_SYNC_RESULT.get("result");
            Fixtures.check(notifications.verify(params) != null, "null RSA accepts");
        }

        @TearDown
        public void tearDown() {
            Security.removeProvider(NullRsa.INSTANCE.getName());
        }
    }

    @Benchmark
    public String sign_appOrderString(Clients c) {
        return c.client.appOrderString(Fixtures.precreate());
    }

    @Benchmark
    public BrowserPayment pagePay_browserPayment(Clients c) {
        return c.client.browserPayment(Fixtures.pagePay());
    }

    @Benchmark
    public TradeNotification notification_verify(Clients c) {
        return c.notifications.verify(c.params);
    }

    @Benchmark
    public TradeNotification notification_verifyForm(Clients c) {
        return c.notifications.verifyForm(Fixtures.NOTIFICATION_FORM);
    }

    @Benchmark
    public AlipayResponse response_verifyAppPayResult(Clients c) {
        return c.client.verifyAppPayResult(c.appPayResult);
    }

    @Benchmark
    public PrecreateRequest.Response execute_inMemory(Clients c) {
        return c.inMemory.execute(Fixtures.precreate());
    }
}
