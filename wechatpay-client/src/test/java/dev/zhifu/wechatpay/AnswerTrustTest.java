package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.fixtures.WechatPayTestKeys;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client believes of an answer and what a failure means: definite refusals apart from unknown outcomes
 * (docs/wechatpay-protocol.md#s4, #s8).
 */
class AnswerTrustTest {

    private static final String QUERY = "/v3/pay/transactions/out-trade-no/order-trust-1?mchid=1900000001";
    private static final String BODY = "{\"out_trade_no\":\"order-trust-1\"}";

    private LoopbackGateway gateway;
    private WechatPayClient client;

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway(WechatPaySide.publicKeyMode(), Clock.systemUTC());
        client = new WechatPayClient(Fixtures.publicKeyMode(gateway.url()).build());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void anAnswerSignedByAnotherKeyIsAnUnknownOutcome() {
        WechatPaySide forger = new WechatPaySide(Fixtures.MERCHANT_PRIVATE, WechatPayTestKeys.PUBLIC_KEY_ID);
        gateway.then(gateway.signedBy(forger, 200, BODY));

        assertThatThrownBy(() -> client.call("GET", QUERY, null))
                .isInstanceOfSatisfying(
                        WechatPaySignatureException.class,
                        e -> assertThat(e.isOutcomeUnknown()).isTrue());
    }

    @Test
    void anUnsignedSuccessIsRefused() {
        gateway.then(LoopbackGateway.unsigned(200, BODY));

        assertThatThrownBy(() -> client.call("GET", QUERY, null))
                .isInstanceOf(WechatPaySignatureException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void aSerialTheClientDoesNotKnowIsRefused() {
        WechatPaySide stranger = new WechatPaySide(Fixtures.WECHATPAY_PRIVATE, "PUB_KEY_ID_0000000000000999");
        gateway.then(gateway.signedBy(stranger, 200, BODY));

        assertThatThrownBy(() -> client.call("GET", QUERY, null))
                .isInstanceOf(WechatPaySignatureException.class)
                .hasMessageContaining("PUB_KEY_ID_0000000000000999");
    }

    @Test
    void anAnswerSignedSixMinutesAgoIsStale() {
        Instant past = Instant.now().minusSeconds(360);
        gateway.then((exchange, body) -> LoopbackGateway.reply(
                exchange, 200, BODY, WechatPaySide.publicKeyMode().sign(BODY, past)));

        assertThatThrownBy(() -> client.call("GET", QUERY, null)).hasMessageContaining("five minutes");
    }

    @Test
    void anUnsignedClientErrorMayBeAForgeryHidingASuccess() {
        gateway.then(LoopbackGateway.unsigned(400, "{\"code\":\"ORDERPAID\",\"message\":\"已支付\"}"));

        assertThatThrownBy(() -> client.call("GET", QUERY, null))
                .isInstanceOfSatisfying(
                        WechatPaySignatureException.class,
                        e -> assertThat(e.isOutcomeUnknown()).isTrue());
    }

    @Test
    void aSignedClientErrorIsADefiniteRefusal() {
        gateway.then(
                gateway.signedBy(WechatPaySide.publicKeyMode(), 403, "{\"code\":\"ORDERPAID\",\"message\":\"订单已支付\"}"));

        assertThatThrownBy(() -> client.call("GET", QUERY, null))
                .isInstanceOfSatisfying(WechatPayApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("ORDERPAID");
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.isOutcomeUnknown()).isFalse();
                });
    }

    @Test
    void aServerErrorIsAnUnknownOutcome() {
        gateway.then(LoopbackGateway.unsigned(500, "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统错误\"}"));

        assertThatThrownBy(() -> client.call("GET", QUERY, null))
                .isInstanceOfSatisfying(WechatPayApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("SYSTEM_ERROR");
                    assertThat(e.isOutcomeUnknown()).isTrue();
                });
    }

    @Test
    void aTimeoutIsAnUnknownOutcome() {
        WechatPayClient impatient = new WechatPayClient(Fixtures.publicKeyMode(gateway.url())
                .readTimeout(Duration.ofMillis(300))
                .build());
        gateway.then(LoopbackGateway.hang(1500));

        assertThatThrownBy(() -> impatient.call("GET", QUERY, null))
                .isInstanceOfSatisfying(
                        WechatPayTransportException.class,
                        e -> assertThat(e.isOutcomeUnknown()).isTrue());
    }

    @Test
    void aRefusedConnectionIsADefiniteFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WechatPayClient nowhere = new WechatPayClient(
                Fixtures.publicKeyMode("http://127.0.0.1:" + closedPort).build());

        assertThatThrownBy(() -> nowhere.call("GET", QUERY, null))
                .isInstanceOfSatisfying(
                        WechatPayTransportException.class,
                        e -> assertThat(e.isOutcomeUnknown()).isFalse());
    }

    @Test
    void aVerifiedAnswerThatIsNotJsonIsMalformedWithAnUnknownOutcome() {
        gateway.then(gateway.signedBy(WechatPaySide.publicKeyMode(), 200, "<html>"));

        assertThatThrownBy(() -> client.queryByOutTradeNo("order-trust-1"))
                .isInstanceOfSatisfying(
                        WechatPayMalformedException.class,
                        e -> assertThat(e.isOutcomeUnknown()).isTrue());
    }

    @Test
    void aVerifiedPrepayAnswerWithoutItsFieldIsMalformedWithAnUnknownOutcome() {
        gateway.then(gateway.signedBy(WechatPaySide.publicKeyMode(), 200, "{\"prepay_id\":\"wx1\"}"));

        assertThatThrownBy(() -> client.nativePrepay(new dev.zhifu.wechatpay.payments.Order(
                        "order-trust-2", "T", java.math.BigDecimal.ONE, "https://merchant.example/n")))
                .isInstanceOfSatisfying(WechatPayMalformedException.class, e -> {
                    assertThat(e.getMessage()).contains("code_url");
                    assertThat(e.isOutcomeUnknown()).isTrue();
                });
    }

    @Test
    void anUnknownApiIsASignedNotFound() {
        assertThatThrownBy(() -> client.call("GET", "/v3/unknown-api", null))
                .isInstanceOfSatisfying(WechatPayApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("NOT_FOUND");
                });
    }
}
