package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.CertSn;
import dev.zhifu.sandbox.control.SandboxControlClient;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Certificate mode (docs/alipay-protocol.md#s7): the SDK configured with the sandbox's app, Alipay and root certificates. */
@ExtendWith(AlipaySandboxExtension.class)
class CertModeTest {

    private final AlipaySandbox sandbox;
    private final SandboxControlClient control;

    CertModeTest(AlipaySandbox sandbox, SandboxControlClient control) {
        this.sandbox = sandbox;
        this.control = control;
    }

    private static AlipayTradeQueryResponse query(AlipayClient client, String no) throws Exception {
        AlipayTradeQueryRequest q = new AlipayTradeQueryRequest();
        q.setBizContent("{\"out_trade_no\":\"" + no + "\"}");
        return client.certificateExecute(q);
    }

    private static String create(AlipayClient client, String amount) throws Exception {
        String no = Sdk.orderNo("CM");
        AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
        create.setBizContent(
                "{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"" + amount + "\",\"subject\":\"证书模式\"}");
        AlipayTradeCreateResponse created = client.certificateExecute(create);
        assertThat(created.isSuccess()).isTrue();
        return no;
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "GBK"})
    void sdkVerifiesAnswersSignedUnderTheSandboxCertificate(String charset) throws Exception {
        AlipayClient client = Sdk.certClient(sandbox, charset);
        String no = create(client, "20.00");
        control.pay(no);
        AlipayTradeQueryResponse paid = query(client, no);
        assertThat(paid.isSuccess()).isTrue();
        assertThat(paid.getTradeStatus()).isEqualTo("TRADE_SUCCESS");
        AlipayTradeRefundRequest refund = new AlipayTradeRefundRequest();
        refund.setBizContent("{\"out_trade_no\":\"" + no + "\",\"refund_amount\":\"5.00\",\"out_request_no\":\"C1\"}");
        AlipayTradeRefundResponse refunded = client.certificateExecute(refund);
        assertThat(refunded.getRefundFee()).isEqualTo("5.00");
        assertThat(query(client, "CM_NOT_THERE").getSubCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
    }

    @Test
    void answersNameTheCurrentAlipayCertificate() throws Exception {
        String body = new String(Sdk.get(sandbox.gatewayUrl() + "?method=alipay.trade.query&app_id=" + sandbox.appId()
                        + "&app_cert_sn=x")
                .body());
        assertThat(body).contains("\"alipay_cert_sn\":\"" + sandbox.alipayCertSn() + "\"");
        assertThat(sandbox.alipayCertSn()).isEqualTo(CertSn.ofFirst(sandbox.alipayCertPem(), "alipay cert"));
    }

    @Test
    void rotatedCertificateIsDownloadedAndTrustedBySdk() throws Exception {
        AlipayClient client = Sdk.certClient(sandbox, "UTF-8");
        String no = create(client, "1.00");
        String before = sandbox.alipayCertSn();
        String after = control.addFault("{\"type\":\"rotate_alipay_cert\"}")
                .get("alipay_cert_sn")
                .asText();
        assertThat(after).isNotEqualTo(before).isEqualTo(sandbox.alipayCertSn());
        // the SDK meets an unknown alipay_cert_sn, calls alipay.open.app.alipaycert.download and checks the chain
        AlipayTradeQueryResponse r = query(client, no);
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
    }

    @Test
    void appCertificateOfAnotherKeyIsRefused() throws Exception {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(sandbox.gatewayUrl());
        config.setAppId(sandbox.appId());
        config.setPrivateKey(AlipayKeys.toBase64(AlipayKeys.generateRsa2048().getPrivate()));
        config.setAppCertContent(sandbox.appCertPem());
        config.setAlipayPublicCertContent(sandbox.alipayCertPem());
        config.setRootCertContent(sandbox.alipayRootCertPem());
        AlipayTradeQueryResponse r = query(new DefaultAlipayClient(config), "ANY");
        assertThat(r.getSubCode()).isEqualTo("isv.invalid-signature");
    }
}
