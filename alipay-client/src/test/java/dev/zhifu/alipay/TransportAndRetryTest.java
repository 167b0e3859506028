package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.trade.BarcodePayRequest;
import dev.zhifu.alipay.trade.QueryRequest;
import dev.zhifu.alipay.trade.RefundRequest;
import dev.zhifu.alipay.trade.TradeRef;
import dev.zhifu.alipay.trade.TradeStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP on loopback: time-outs, non-2xx, truncated bodies, bad signatures, and when retries happen. */
class TransportAndRetryTest {

    private static final String QUERY_OK = "{\"code\":\"10000\",\"msg\":\"Success\",\"out_trade_no\":\"o-1\","
            + "\"trade_no\":\"2024\",\"trade_status\":\"TRADE_SUCCESS\",\"total_amount\":\"9.90\"}";
    private static final String SYSTEM_ERROR = "{\"code\":\"20000\",\"msg\":\"Service Currently Unavailable\","
            + "\"sub_code\":\"ACQ.SYSTEM_ERROR\",\"sub_msg\":\"系统错误\"}";

    private LoopbackGateway gateway;
    private final List<AlipayCallListener.Event> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway(Fixtures.alipayPrivateKey());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** A generous read timeout: a loaded machine must not turn an answered call into a timeout. */
    private AlipayClient client(RetryPolicy retry) {
        return client(retry, Duration.ofSeconds(10));
    }

    private AlipayClient client(RetryPolicy retry, Duration readTimeout) {
        return new AlipayClient(AlipayConfig.builder()
                .appId(Fixtures.APP_ID)
                .gatewayUrl(gateway.url())
                .appPrivateKey(Fixtures.appPrivateKeyText())
                .alipayPublicKey(Fixtures.alipayPublicKeyText())
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(readTimeout)
                .retryPolicy(retry)
                .listener(events::add)
                .build());
    }

    private static RetryPolicy fastRetries() {
        return new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));
    }

    @Test
    void aSignedAnswerOverRealHttp() {
        gateway.then(gateway.signed("alipay.trade.query", QUERY_OK));
        QueryRequest.Response r = client(RetryPolicy.none()).execute(QueryRequest.byOutTradeNo("o-1"));
        assertThat(r.tradeStatus()).isEqualTo(TradeStatus.TRADE_SUCCESS);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AlipayCallListener.Outcome.SUCCESS);
            assertThat(e.method()).isEqualTo("alipay.trade.query");
            assertThat(e.code()).isEqualTo("10000");
            assertThat(e.traceId()).as("Alipay's trace_id header").isEqualTo("0b8e5a1d17172144000001234e");
        });
    }

    @Test
    void aRepeatableCallIsRetriedAfterA502AndASystemError() {
        gateway.then(LoopbackGateway.status(502, "Bad Gateway"))
                .then(gateway.signed("alipay.trade.query", SYSTEM_ERROR))
                .then(gateway.signed("alipay.trade.query", QUERY_OK));

        assertThat(client(fastRetries())
                        .execute(QueryRequest.byOutTradeNo("o-1"))
                        .tradeStatus())
                .isEqualTo(TradeStatus.TRADE_SUCCESS);
        assertThat(gateway.requests).hasValue(3);
        assertThat(events)
                .extracting(AlipayCallListener.Event::outcome)
                .containsExactly(
                        AlipayCallListener.Outcome.TRANSPORT_ERROR,
                        AlipayCallListener.Outcome.RESULT_UNKNOWN,
                        AlipayCallListener.Outcome.SUCCESS);
        assertThat(events).extracting(AlipayCallListener.Event::willRetry).containsExactly(true, true, false);
    }

    @Test
    void retriesAreBoundedAndTheLastFailureIsReported() {
        for (int i = 0; i < 3; i++) {
            gateway.then(LoopbackGateway.status(503, "busy"));
        }
        assertThatThrownBy(() -> client(fastRetries()).execute(QueryRequest.byOutTradeNo("o-1")))
                .isInstanceOfSatisfying(AlipayTransportException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.isResultUnknown()).isTrue();
                });
        assertThat(gateway.requests).hasValue(3);
    }

    @Test
    void aBarcodePaymentIsNeverRepeated() {
        gateway.then(LoopbackGateway.status(502, "Bad Gateway")).then(gateway.signed("alipay.trade.pay", QUERY_OK));
        assertThatThrownBy(() -> client(fastRetries())
                        .execute(BarcodePayRequest.of("o-2", new BigDecimal("1.00"), "coffee", "280000000000000000")))
                .isInstanceOfSatisfying(
                        AlipayTransportException.class,
                        e -> assertThat(e.isResultUnknown()).isTrue());
        assertThat(gateway.requests).hasValue(1);
    }

    @Test
    void waitingForTheBuyerIsAnUnknownResultNotAFailure() {
        gateway.then(gateway.signed(
                "alipay.trade.pay",
                "{\"code\":\"10003\",\"msg\":\"order success pay inprocess\","
                        + "\"out_trade_no\":\"o-3\",\"trade_no\":\"2024\"}"));
        assertThatThrownBy(() -> client(fastRetries())
                        .execute(BarcodePayRequest.of("o-3", new BigDecimal("1.00"), "coffee", "280000000000000000")))
                .isInstanceOfSatisfying(AlipayGatewayException.class, e -> {
                    assertThat(e.isResultUnknown()).isTrue();
                    assertThat(e.code()).isEqualTo("10003");
                });
    }

    @Test
    void aRefundIsRetriedOnlyWithItsRequestNumber() {
        gateway.then(LoopbackGateway.status(502, "x")).then(LoopbackGateway.status(502, "x"));
        RefundRequest anonymous = RefundRequest.of(TradeRef.outTradeNo("o-4"), new BigDecimal("1.00"), null);
        assertThatThrownBy(() -> client(fastRetries()).execute(anonymous)).isInstanceOf(AlipayTransportException.class);
        assertThat(gateway.requests).hasValue(1);

        gateway.then(LoopbackGateway.status(502, "x"))
                .then(gateway.signed(
                        "alipay.trade.refund",
                        "{\"code\":\"10000\",\"msg\":\"Success\",\"fund_change\":\"Y\",\"refund_fee\":\"1.00\"}"));
        RefundRequest.Response r = client(fastRetries())
                .execute(RefundRequest.of(TradeRef.outTradeNo("o-4"), new BigDecimal("1.00"), "o-4-r1"));
        assertThat(r.fundChange()).isTrue();
        assertThat(r.refundFee()).isEqualByComparingTo("1.00");
    }

    @Test
    void aDefiniteBusinessFailureIsNotRetried() {
        gateway.then(gateway.signed(
                "alipay.trade.query",
                "{\"code\":\"40004\",\"msg\":\"Business Failed\","
                        + "\"sub_code\":\"ACQ.TRADE_NOT_EXIST\",\"sub_msg\":\"交易不存在\"}"));
        assertThatThrownBy(() -> client(fastRetries()).execute(QueryRequest.byOutTradeNo("o-5")))
                .isInstanceOfSatisfying(AlipayGatewayException.class, e -> {
                    assertThat(e.subCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
                    assertThat(e.isResultUnknown()).isFalse();
                });
        assertThat(gateway.requests).hasValue(1);
    }

    @Test
    void aReadTimeoutIsReportedAsPossiblyReachingAlipay() {
        gateway.then(LoopbackGateway.hang(1500));
        assertThatThrownBy(() ->
                        client(RetryPolicy.none(), Duration.ofMillis(400)).execute(QueryRequest.byOutTradeNo("o-6")))
                .isInstanceOfSatisfying(AlipayTransportException.class, e -> {
                    assertThat(e.isResultUnknown()).isTrue();
                    assertThat(e.getMessage()).contains("no answer within 400 ms");
                });
    }

    @Test
    void aRefusedConnectionIsADefiniteTransportFailure() throws Exception {
        String url = gateway.url();
        gateway.close();
        AlipayClient client = new AlipayClient(AlipayConfig.builder()
                .appId(Fixtures.APP_ID)
                .gatewayUrl(url)
                .appPrivateKey(Fixtures.appPrivateKeyText())
                .alipayPublicKey(Fixtures.alipayPublicKeyText())
                .retryPolicy(RetryPolicy.none())
                .build());
        assertThatThrownBy(() -> client.execute(QueryRequest.byOutTradeNo("o-7")))
                .isInstanceOfSatisfying(AlipayTransportException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(-1);
                    assertThat(e.isResultUnknown()).isFalse();
                });
        gateway = new LoopbackGateway(Fixtures.alipayPrivateKey());
    }

    @Test
    void aTruncatedBodyIsATransportFailure() {
        gateway.then(LoopbackGateway.truncated("{\"alipay_trade_query_response\":" + QUERY_OK + ",\"sign\":\"x\"}"));
        assertThatThrownBy(() -> client(RetryPolicy.none()).execute(QueryRequest.byOutTradeNo("o-8")))
                .isInstanceOfAny(AlipayTransportException.class, AlipayMalformedResponseException.class);
    }

    @Test
    void aBodyThatIsNotJsonIsMalformed() {
        gateway.then(LoopbackGateway.status(200, "<html>maintenance</html>"));
        assertThatThrownBy(() -> client(RetryPolicy.none()).execute(QueryRequest.byOutTradeNo("o-9")))
                .isInstanceOf(AlipayMalformedResponseException.class)
                .hasMessageContaining("maintenance");
    }

    @Test
    void anAnswerSignedWithAnotherKeyIsRefusedAndNotRetried() throws Exception {
        try (LoopbackGateway impostor = new LoopbackGateway(Fixtures.appPrivateKey())) {
            impostor.then(impostor.signed("alipay.trade.query", QUERY_OK));
            AlipayClient client = new AlipayClient(AlipayConfig.builder()
                    .appId(Fixtures.APP_ID)
                    .gatewayUrl(impostor.url())
                    .appPrivateKey(Fixtures.appPrivateKeyText())
                    .alipayPublicKey(Fixtures.alipayPublicKeyText())
                    .retryPolicy(fastRetries())
                    .build());
            assertThatThrownBy(() -> client.execute(QueryRequest.byOutTradeNo("o-10")))
                    .isInstanceOf(AlipaySignatureException.class);
            assertThat(impostor.requests).hasValue(1);
        }
    }

    @Test
    void invalidFieldsAreRefusedBeforeAnythingIsSent() {
        AlipayClient client = client(RetryPolicy.none());
        assertThatThrownBy(() -> client.execute(
                        BarcodePayRequest.of("o-11", new BigDecimal("1.001"), "coffee", "280000000000000000")))
                .isInstanceOf(AlipayRequestException.class)
                .hasMessageContaining("total_amount");
        assertThatThrownBy(() -> client.execute(
                        BarcodePayRequest.of("bad no!", new BigDecimal("1.00"), "coffee", "280000000000000000")))
                .hasMessageContaining("out_trade_no");
        assertThatThrownBy(() -> client.execute(BarcodePayRequest.of("o-12", new BigDecimal("1.00"), "coffee", "12")))
                .hasMessageContaining("auth_code");
        assertThat(gateway.requests).hasValue(0);
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));
        assertThat(policy.backoff(1, 1.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(3, 1.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.backoff(6, 1.0)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.backoff(3, 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoff(3, 0.0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void listenerEventsCarryNoSecrets() {
        gateway.then(gateway.signed("alipay.trade.query", QUERY_OK));
        client(RetryPolicy.none()).execute(QueryRequest.byOutTradeNo("o-1"));
        String rendered = events.toString();
        assertThat(rendered).doesNotContain("sign=").doesNotContain("MII").doesNotContain("o-1");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheCall() {
        gateway.then(gateway.signed("alipay.trade.query", QUERY_OK));
        AlipayClient client = new AlipayClient(AlipayConfig.builder()
                .appId(Fixtures.APP_ID)
                .gatewayUrl(gateway.url())
                .appPrivateKey(Fixtures.appPrivateKeyText())
                .alipayPublicKey(Fixtures.alipayPublicKeyText())
                .listener(e -> {
                    throw new IllegalStateException("broken metrics");
                })
                .build());
        assertThat(client.execute(QueryRequest.byOutTradeNo("o-1")).tradeStatus())
                .isNotNull();
    }
}
