package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.response.AlipayTradeQueryResponse;
import dev.zhifu.sandbox.control.SandboxControlClient;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /sandbox/faults}: gateway errors, 502s, time-outs and a wrong signing key, as the SDK sees them. */
@ExtendWith(AlipaySandboxExtension.class)
class FaultsTest {

    private final AlipaySandbox sandbox;
    private final SandboxControlClient control;
    private final AlipayClient client;

    FaultsTest(AlipaySandbox sandbox, SandboxControlClient control) {
        this.sandbox = sandbox;
        this.control = control;
        this.client = Sdk.publicKeyClient(sandbox, "UTF-8");
    }

    @AfterEach
    void clear() {
        control.clearFaults();
    }

    private AlipayTradeQueryResponse query(AlipayClient c, String no) throws AlipayApiException {
        AlipayTradeQueryRequest q = new AlipayTradeQueryRequest();
        q.setBizContent("{\"out_trade_no\":\"" + no + "\"}");
        return c.execute(q);
    }

    private String created() throws AlipayApiException {
        String no = Sdk.orderNo("FT");
        AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
        create.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"1.00\",\"subject\":\"f\"}");
        assertThat(client.execute(create).isSuccess()).isTrue();
        return no;
    }

    @Test
    void systemErrorForTheNextCallsOfAChosenMethodOnly() throws Exception {
        String no = created();
        control.addFault(
                "{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.query\"],\"answer\":\"system_error\",\"count\":2}");
        assertThat(query(client, no).getSubCode()).isEqualTo("ACQ.SYSTEM_ERROR");
        assertThat(query(client, no).getCode()).isEqualTo("20000");
        assertThat(query(client, no).isSuccess()).isTrue();
    }

    @Test
    void anAppliedSystemErrorCarriesOutTheCallTheMerchantNeverHearsOf() throws Exception {
        String no = created();
        control.addFault("{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.close\"],"
                + "\"answer\":\"system_error\",\"apply\":true}");
        com.alipay.api.request.AlipayTradeCloseRequest close = new com.alipay.api.request.AlipayTradeCloseRequest();
        close.setBizContent("{\"out_trade_no\":\"" + no + "\"}");
        assertThat(client.execute(close).getSubCode()).isEqualTo("ACQ.SYSTEM_ERROR");
        assertThat(query(client, no).getTradeStatus()).isEqualTo("TRADE_CLOSED");
    }

    @Test
    void anUnappliedSystemErrorChangesNothing() throws Exception {
        String no = created();
        control.addFault(
                "{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.close\"],\"answer\":\"system_error\"}");
        com.alipay.api.request.AlipayTradeCloseRequest close = new com.alipay.api.request.AlipayTradeCloseRequest();
        close.setBizContent("{\"out_trade_no\":\"" + no + "\"}");
        assertThat(client.execute(close).getSubCode()).isEqualTo("ACQ.SYSTEM_ERROR");
        assertThat(query(client, no).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
    }

    @Test
    void http502MakesTheSdkThrow() throws Exception {
        String no = created();
        control.addFault("{\"type\":\"gateway_error\",\"answer\":\"http_502\"}");
        assertThatThrownBy(() -> query(client, no)).isInstanceOf(AlipayApiException.class);
        assertThat(query(client, no).isSuccess()).isTrue();
    }

    @Test
    void timeoutHangsPastTheClientsReadTimeout() throws Exception {
        String no = created();
        AlipayClient impatient = impatient(300);
        control.addFault(
                "{\"type\":\"gateway_error\",\"answer\":\"timeout\",\"hang_ms\":1500,\"methods\":[\"alipay.trade.query\"]}");
        assertThatThrownBy(() -> query(impatient, no)).isInstanceOf(AlipayApiException.class);
    }

    @Test
    void aTimeoutCarriesOutTheCallUnlessToldNotTo() throws Exception {
        AlipayClient impatient = impatient(200);

        String kept = created();
        control.addFault("{\"type\":\"gateway_error\",\"answer\":\"timeout\",\"hang_ms\":600,\"apply\":false,"
                + "\"methods\":[\"alipay.trade.close\"]}");
        assertThatThrownBy(() -> impatient.execute(close(kept))).isInstanceOf(AlipayApiException.class);
        assertThat(query(client, kept).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");

        String closed = created();
        control.addFault("{\"type\":\"gateway_error\",\"answer\":\"timeout\",\"hang_ms\":600,"
                + "\"methods\":[\"alipay.trade.close\"]}");
        assertThatThrownBy(() -> impatient.execute(close(closed))).isInstanceOf(AlipayApiException.class);
        assertThat(query(client, closed).getTradeStatus()).isEqualTo("TRADE_CLOSED");
    }

    /** An SDK client that gives up reading after {@code readTimeoutMs}. */
    private AlipayClient impatient(int readTimeoutMs) throws AlipayApiException {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(sandbox.gatewayUrl());
        config.setAppId(sandbox.appId());
        config.setPrivateKey(sandbox.appPrivateKeyBase64());
        config.setAlipayPublicKey(sandbox.alipayPublicKeyBase64());
        config.setReadTimeout(readTimeoutMs);
        return new DefaultAlipayClient(config);
    }

    private static com.alipay.api.request.AlipayTradeCloseRequest close(String no) {
        com.alipay.api.request.AlipayTradeCloseRequest close = new com.alipay.api.request.AlipayTradeCloseRequest();
        close.setBizContent("{\"out_trade_no\":\"" + no + "\"}");
        return close;
    }

    @Test
    void wrongSigningKeyFailsTheSdksVerification() throws Exception {
        String no = created();
        control.addFault("{\"type\":\"wrong_sign_key\",\"count\":1}");
        assertThatThrownBy(() -> query(client, no))
                .isInstanceOf(AlipayApiException.class)
                .hasMessageContaining("sign check fail");
        assertThat(query(client, no).isSuccess()).isTrue();
    }

    @Test
    void badFaultDescriptionsAreRefusedWithAReason() {
        assertThatThrownBy(() -> control.addFault("{\"type\":\"meteor\"}"))
                .hasMessageContaining("400")
                .hasMessageContaining("meteor");
        assertThatThrownBy(() -> control.addFault("[1]")).hasMessageContaining("400");
        assertThat(control.addFault(
                                "[{\"type\":\"drop_notifications\",\"count\":1},{\"type\":\"delay_notifications\",\"delay_ms\":10}]")
                        .get("data"))
                .hasSize(2);
    }
}
