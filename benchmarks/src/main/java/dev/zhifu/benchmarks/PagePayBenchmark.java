package dev.zhifu.benchmarks;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradePagePayRequest;
import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.BrowserPayment;
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
 * (b) Build a page pay form (02_page_wap_pay.json, case page_pay_biz_content_utf8: Chinese subject, quotes,
 * return_url with a query). Ours: {@link AlipayClient#browserPayment}, which signs once and builds both the
 * POST form and the GET URL. SDK: {@code pageExecute(request)} (POST form only), handed the biz_content text
 * our request writes, so it skips JSON writing that ours does: a handicap for ours, not for the SDK.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(1)
public class PagePayBenchmark {

    @State(Scope.Benchmark)
    public static class Clients {
        AlipayClient oursAccp;
        AlipayClient oursJdk;
        DefaultAlipayClient sdk;
        String bizContent;

        @Setup
        public void setUp() throws Exception {
            oursAccp = Fixtures.ourClient(Fixtures.accp(), Fixtures.OFFLINE_GATEWAY);
            oursJdk = Fixtures.ourClient(Fixtures.jdk(), Fixtures.OFFLINE_GATEWAY);
            sdk = Fixtures.sdkClient(Fixtures.OFFLINE_GATEWAY);
            bizContent = Fixtures.pagePay().bizContentJson();

            // same inputs and clock: our form and URL are the SDK's recorded ones, byte for byte
            BrowserPayment vector = oursAccp.browserPayment(Fixtures.vectorPagePay());
            Fixtures.check(
                    vector.form().equals(Fixtures.PAGE_PAY_VECTOR.getString("post_form_html")),
                    "our page pay form equals the SDK's recorded pageExecute output");
            Fixtures.check(
                    vector.url().equals(Fixtures.PAGE_PAY_VECTOR.getString("get_url")),
                    "our page pay URL equals the SDK's recorded pageExecute(GET) output");
            Fixtures.check(
                    oursJdk.browserPayment(Fixtures.pagePay()).equals(oursAccp.browserPayment(Fixtures.pagePay())),
                    "ACCP and JDK build the same form");
            String form = sdk.pageExecute(sdkRequest(bizContent)).getBody();
            Fixtures.check(form.startsWith("<form name=\"punchout_form\""), "the SDK builds a form");
        }

        static AlipayTradePagePayRequest sdkRequest(String bizContent) {
            AlipayTradePagePayRequest request = new AlipayTradePagePayRequest();
            request.setBizContent(bizContent);
            request.setReturnUrl(Fixtures.PAGE_RETURN_URL);
            request.setNotifyUrl(Fixtures.NOTIFY_URL);
            return request;
        }
    }

    @Benchmark
    public BrowserPayment ours_accp(Clients c) {
        return c.oursAccp.browserPayment(Fixtures.pagePay());
    }

    @Benchmark
    public BrowserPayment ours_jdk(Clients c) {
        return c.oursJdk.browserPayment(Fixtures.pagePay());
    }

    @Benchmark
    public String sdk_pageExecute(Clients c) throws Exception {
        return c.sdk.pageExecute(Clients.sdkRequest(c.bizContent)).getBody();
    }
}
