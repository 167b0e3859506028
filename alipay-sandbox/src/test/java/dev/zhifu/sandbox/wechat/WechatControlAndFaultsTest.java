package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import dev.zhifu.sandbox.AlipaySandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control API and fault injection, for WeChat Pay orders as for Alipay trades. */
class WechatControlAndFaultsTest {

    private AlipaySandbox sandbox;
    private HttpClient http;

    @BeforeEach
    void start() {
        sandbox = AlipaySandbox.builder().build().start();
        http = WechatSdkClients.httpClient(sandbox, WechatSdkClients.publicKeyConfig(sandbox));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private String order(String no) {
        return order(no, null);
    }

    private String order(String no, String timeExpire) {
        PrepayRequest request = new PrepayRequest();
        request.setTimeExpire(timeExpire);
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(sandbox.wechatPay().mchid());
        request.setDescription("控制接口");
        request.setOutTradeNo(no);
        request.setNotifyUrl("http://127.0.0.1:9/notify");
        Amount amount = new Amount();
        amount.setTotal(99);
        request.setAmount(amount);
        return new NativePayService.Builder()
                .httpClient(http)
                .build()
                .prepay(request)
                .getCodeUrl();
    }

    @Test
    void anOrderPastItsTimeExpireCannotBePaidAndShowsClosed() {
        String past = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(8))
                .minusMinutes(1)
                .withNano(0)
                .toString();
        order("EXPIRED_1", past);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> sandbox.control().pay("EXPIRED_1"))
                .hasMessageContaining("ORDER_CLOSED");
        assertThat(sandbox.control().trade("EXPIRED_1").get("trade_state").asText())
                .isEqualTo("CLOSED");

        String future = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(8))
                .plusMinutes(10)
                .withNano(0)
                .toString();
        order("EXPIRES_LATER_1", future);
        assertThat(sandbox.control().pay("EXPIRES_LATER_1").get("trade_state").asText())
                .isEqualTo("SUCCESS");
    }

    @Test
    void tradeShowsChannelAndTradeStateThroughScanAndPay() {
        order("CONTROL_1");

        JsonNode before = sandbox.control().trade("CONTROL_1");
        JsonNode scanned = sandbox.control().scan("CONTROL_1");
        JsonNode paid = sandbox.control().pay("CONTROL_1");

        assertThat(before.get("channel").asText()).isEqualTo("wechatpay");
        assertThat(before.get("trade_state").asText()).isEqualTo("NOTPAY");
        assertThat(scanned.get("scanned").asBoolean()).isTrue();
        assertThat(scanned.get("trade_state").asText()).isEqualTo("NOTPAY");
        assertThat(paid.get("trade_state").asText()).isEqualTo("SUCCESS");
        assertThat(paid.get("transaction_id").asText()).startsWith("4200");
    }

    @Test
    void gatewayErrorFaultAnswersSystemError() {
        sandbox.control().addFault("{\"type\":\"gateway_error\",\"methods\":[\"wechatpay.pay.native\"]}");

        assertThatThrownBy(() -> order("FAULT_1")).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.getHttpStatusCode()).isEqualTo(500);
            assertThat(e.getErrorCode()).isEqualTo("SYSTEM_ERROR");
        });
        assertThat(order("FAULT_1")).contains("/sandbox/wechat/qr/"); // the fault was used up
    }

    @Test
    void wrongSignKeyFaultMakesTheSdkRejectTheAnswer() {
        sandbox.control().addFault("{\"type\":\"wrong_sign_key\",\"count\":1}");

        assertThatThrownBy(() -> order("FAULT_2")).isInstanceOf(ValidationException.class);
    }

    @Test
    void keysListTheWechatPaySide() throws Exception {
        var browser = java.net.http.HttpClient.newHttpClient();
        String body = browser.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.controlUrl() + "/keys"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        JsonNode keys = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);

        assertThat(keys.get("wechat_mchid").asText()).isEqualTo("1900000001");
        assertThat(keys.get("wechat_apiv3_key").asText())
                .isEqualTo(sandbox.wechatPay().apiV3Key());
        assertThat(keys.get("wechat_public_key_id").asText()).isEqualTo("PUB_KEY_ID_0000000000000001");
        assertThat(keys.get("wechat_certificate_serial").asText()).isEqualTo(sandbox.wechatPayCertificateSerial());
        assertThat(keys.get("wechat_merchant_private_key").asText()).isNotBlank();
    }
}
