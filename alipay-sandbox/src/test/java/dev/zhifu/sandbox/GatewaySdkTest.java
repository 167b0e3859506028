package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeAppPayRequest;
import com.alipay.api.request.AlipayTradeCancelRequest;
import com.alipay.api.request.AlipayTradeCloseRequest;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeFastpayRefundQueryRequest;
import com.alipay.api.request.AlipayTradePagePayRequest;
import com.alipay.api.request.AlipayTradePayRequest;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.request.AlipayTradeWapPayRequest;
import com.alipay.api.response.AlipayTradeAppPayResponse;
import com.alipay.api.response.AlipayTradeCancelResponse;
import com.alipay.api.response.AlipayTradeCloseResponse;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.alipay.api.response.AlipayTradeFastpayRefundQueryResponse;
import com.alipay.api.response.AlipayTradePayResponse;
import com.alipay.api.response.AlipayTradePrecreateResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.control.SandboxControlClient;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official SDK 4.38.192.ALL as the client, public-key mode, verifying every answer itself. */
@ExtendWith(AlipaySandboxExtension.class)
class GatewaySdkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlipaySandbox sandbox;
    private final SandboxControlClient control;

    GatewaySdkTest(AlipaySandbox sandbox, SandboxControlClient control) {
        this.sandbox = sandbox;
        this.control = control;
    }

    private AlipayTradePrecreateResponse precreate(
            AlipayClient client, String outTradeNo, String amount, String subject) throws AlipayApiException {
        AlipayTradePrecreateRequest request = new AlipayTradePrecreateRequest();
        request.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\",\"total_amount\":\"" + amount
                + "\",\"subject\":\"" + subject + "\"}");
        return client.execute(request);
    }

    private AlipayTradeQueryResponse query(AlipayClient client, String outTradeNo) throws AlipayApiException {
        AlipayTradeQueryRequest request = new AlipayTradeQueryRequest();
        request.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\"}");
        return client.execute(request);
    }

    private AlipayTradePayResponse barcodePay(AlipayClient client, String outTradeNo, String authCode, String amount)
            throws AlipayApiException {
        AlipayTradePayRequest request = new AlipayTradePayRequest();
        request.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\",\"scene\":\"bar_code\",\"auth_code\":\""
                + authCode + "\",\"subject\":\"条码支付\",\"total_amount\":\"" + amount + "\"}");
        return client.execute(request);
    }

    private AlipayTradeRefundResponse refund(AlipayClient client, String outTradeNo, String amount, String requestNo)
            throws AlipayApiException {
        AlipayTradeRefundRequest request = new AlipayTradeRefundRequest();
        request.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\",\"refund_amount\":\"" + amount + "\""
                + (requestNo == null ? "" : ",\"out_request_no\":\"" + requestNo + "\"") + "}");
        return client.execute(request);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "utf-8", "GBK"})
    void precreateTradeExistsOnlyAfterTheBuyerScans(String charset) throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, charset);
        String no = Sdk.orderNo("QR");
        AlipayTradePrecreateResponse created = precreate(client, no, "88.88", "当面付 扫码 " + charset);
        assertThat(created.isSuccess()).isTrue();
        assertThat(created.getQrCode()).startsWith(sandbox.controlUrl() + "/qr/");

        AlipayTradeQueryResponse before = query(client, no);
        assertThat(before.getCode()).isEqualTo("40004");
        assertThat(before.getSubCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");

        control.scan(no);
        AlipayTradeQueryResponse scanned = query(client, no);
        assertThat(scanned.isSuccess()).isTrue();
        assertThat(scanned.getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");

        JsonNode paid = control.pay(no);
        assertThat(paid.get("trade_status").asText()).isEqualTo("TRADE_SUCCESS");
        AlipayTradeQueryResponse after = query(client, no);
        assertThat(after.getTradeStatus()).isEqualTo("TRADE_SUCCESS");
        assertThat(after.getTotalAmount()).isEqualTo("88.88");
        assertThat(after.getTradeNo()).isEqualTo(paid.get("trade_no").asText());
        assertThat(after.getBuyerLogonId()).isNotBlank();
    }

    @Test
    void sameOutTradeNoWithOtherAmountIsContextInconsistent() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        String no = Sdk.orderNo("RE");
        AlipayTradePrecreateResponse first = precreate(client, no, "10.00", "order");
        AlipayTradePrecreateResponse again = precreate(client, no, "10.00", "order");
        assertThat(again.getQrCode()).isEqualTo(first.getQrCode());
        AlipayTradePrecreateResponse other = precreate(client, no, "10.01", "order");
        assertThat(other.getSubCode()).isEqualTo("ACQ.CONTEXT_INCONSISTENT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.001", "100000000.01", "abc", "-1"})
    void amountsOutsideAlipaysRulesAreRefused(String amount) throws Exception {
        AlipayTradePrecreateResponse r =
                precreate(Sdk.publicKeyClient(sandbox, "UTF-8"), Sdk.orderNo("AM"), amount, "x");
        assertThat(r.getCode()).isEqualTo("40004");
        assertThat(r.getSubCode()).isIn("ACQ.INVALID_PARAMETER", "ACQ.TOTAL_FEE_EXCEED");
    }

    @Test
    void missingSubjectAndOverlongFieldsAreRefused() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        AlipayTradePrecreateRequest request = new AlipayTradePrecreateRequest();
        request.setBizContent("{\"out_trade_no\":\"" + Sdk.orderNo("M") + "\",\"total_amount\":\"1.00\"}");
        AlipayTradePrecreateResponse missing = client.execute(request);
        assertThat(missing.getSubCode()).isEqualTo("ACQ.INVALID_PARAMETER");
        assertThat(missing.getSubMsg()).contains("subject");
        AlipayTradePrecreateResponse tooLong = precreate(client, "X".repeat(65), "1.00", "x");
        assertThat(tooLong.getSubCode()).isEqualTo("ACQ.INVALID_PARAMETER");
    }

    @Test
    void barcodePayFollowsTheAuthCodeRules() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        String paidNo = Sdk.orderNo("BC");
        AlipayTradePayResponse paid = barcodePay(client, paidNo, "281234567890123456", "12.34");
        assertThat(paid.getCode()).isEqualTo("10000");
        assertThat(paid.getTradeNo()).hasSize(28);
        assertThat(query(client, paidNo).getTradeStatus()).isEqualTo("TRADE_SUCCESS");

        AlipayTradePayResponse invalid = barcodePay(client, Sdk.orderNo("BC"), "251234567890123456", "1.00");
        assertThat(invalid.getSubCode()).isEqualTo("ACQ.PAYMENT_AUTH_CODE_INVALID");

        String waitingNo = Sdk.orderNo("BC");
        AlipayTradePayResponse waiting = barcodePay(client, waitingNo, "261234567890123456", "1.00");
        assertThat(waiting.getCode()).isEqualTo("10003");
        assertThat(waiting.isSuccess()).isTrue();
        assertThat(query(client, waitingNo).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
        control.pay(waitingNo); // the buyer confirms on the phone
        assertThat(query(client, waitingNo).getTradeStatus()).isEqualTo("TRADE_SUCCESS");
    }

    @Test
    void tradeNoWinsOverOutTradeNoWhenBothAreGiven() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        String no = Sdk.orderNo("TW");
        AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
        create.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"2.00\",\"subject\":\"both\"}");
        String tradeNo = client.execute(create).getTradeNo();

        AlipayTradeQueryRequest both = new AlipayTradeQueryRequest();
        both.setBizContent("{\"trade_no\":\"" + tradeNo + "\",\"out_trade_no\":\"NOPE" + no + "\"}");
        AlipayTradeQueryResponse found = client.execute(both);
        assertThat(found.isSuccess()).as(found.getSubCode()).isTrue();
        assertThat(found.getOutTradeNo()).isEqualTo(no);

        AlipayTradeQueryRequest unknownTradeNo = new AlipayTradeQueryRequest();
        unknownTradeNo.setBizContent("{\"trade_no\":\"2099" + tradeNo + "\",\"out_trade_no\":\"" + no + "\"}");
        assertThat(client.execute(unknownTradeNo).getSubCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
    }

    @Test
    void createCloseAndCancel() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        String no = Sdk.orderNo("CR");
        AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
        create.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"5.00\",\"subject\":\"create\"}");
        AlipayTradeCreateResponse created = client.execute(create);
        assertThat(created.isSuccess()).isTrue();
        assertThat(created.getTradeNo()).isNotBlank();

        AlipayTradeCloseRequest close = new AlipayTradeCloseRequest();
        close.setBizContent("{\"trade_no\":\"" + created.getTradeNo() + "\"}");
        AlipayTradeCloseResponse closed = client.execute(close);
        assertThat(closed.isSuccess()).isTrue();
        assertThat(query(client, no).getTradeStatus()).isEqualTo("TRADE_CLOSED");

        String paidNo = Sdk.orderNo("CN");
        barcodePay(client, paidNo, "281234567890123456", "3.00");
        AlipayTradeCloseRequest closePaid = new AlipayTradeCloseRequest();
        closePaid.setBizContent("{\"out_trade_no\":\"" + paidNo + "\"}");
        assertThat(client.execute(closePaid).getSubCode()).isEqualTo("ACQ.TRADE_STATUS_ERROR");

        AlipayTradeCancelRequest cancel = new AlipayTradeCancelRequest();
        cancel.setBizContent("{\"out_trade_no\":\"" + paidNo + "\"}");
        AlipayTradeCancelResponse cancelled = client.execute(cancel);
        assertThat(cancelled.isSuccess()).isTrue();
        assertThat(cancelled.getAction()).isEqualTo("refund");
        assertThat(query(client, paidNo).getTradeStatus()).isEqualTo("TRADE_CLOSED");

        AlipayTradeCloseRequest unknown = new AlipayTradeCloseRequest();
        unknown.setBizContent("{\"out_trade_no\":\"NOPE" + paidNo + "\"}");
        assertThat(client.execute(unknown).getSubCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
    }

    @Test
    void partialAndFullRefundsAreIdempotentPerRequestNo() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        String no = Sdk.orderNo("RF");
        barcodePay(client, no, "281234567890123456", "100.00");

        AlipayTradeRefundResponse first = refund(client, no, "30.00", "R1");
        assertThat(first.isSuccess()).isTrue();
        assertThat(first.getFundChange()).isEqualTo("Y");
        assertThat(first.getRefundFee()).isEqualTo("30.00");
        AlipayTradeRefundResponse repeat = refund(client, no, "30.00", "R1");
        assertThat(repeat.getFundChange()).isEqualTo("N");
        assertThat(repeat.getRefundFee()).isEqualTo("30.00");
        assertThat(refund(client, no, "31.00", "R1").getSubCode()).isEqualTo("ACQ.DISCORDANT_REPEAT_REQUEST");
        assertThat(refund(client, no, "70.01", "R2").getSubCode()).isEqualTo("ACQ.REASON_TRADE_REFUND_FEE_ERR");
        assertThat(query(client, no).getTradeStatus()).isEqualTo("TRADE_SUCCESS");

        AlipayTradeRefundResponse rest = refund(client, no, "70.00", "R2");
        assertThat(rest.getRefundFee()).isEqualTo("100.00");
        assertThat(query(client, no).getTradeStatus()).isEqualTo("TRADE_CLOSED");
        assertThat(control.trade(no).get("refunded_amount").asText()).isEqualTo("100.00");

        AlipayTradeFastpayRefundQueryRequest rq = new AlipayTradeFastpayRefundQueryRequest();
        rq.setBizContent(
                "{\"out_trade_no\":\"" + no + "\",\"out_request_no\":\"R1\",\"query_options\":[\"gmt_refund_pay\"]}");
        AlipayTradeFastpayRefundQueryResponse found = client.execute(rq);
        assertThat(found.getRefundStatus()).isEqualTo("REFUND_SUCCESS");
        assertThat(found.getRefundAmount()).isEqualTo("30.00");
        assertThat(found.getGmtRefundPay()).isNotNull();
        rq.setBizContent("{\"out_trade_no\":\"" + no + "\",\"out_request_no\":\"R9\"}");
        AlipayTradeFastpayRefundQueryResponse none = client.execute(rq);
        assertThat(none.isSuccess()).isTrue();
        assertThat(none.getRefundStatus()).isNull();
    }

    @Test
    void fullRefundWithoutRequestNoMustEqualTheTotal() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        String no = Sdk.orderNo("FR");
        barcodePay(client, no, "291234567890123456", "8.00");
        assertThat(refund(client, no, "1.00", null).getSubCode()).isEqualTo("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");
        assertThat(refund(client, no, "8.00", null).getFundChange()).isEqualTo("Y");
        assertThat(refund(client, no, "8.00", null).getFundChange()).isEqualTo("N");
    }

    @Test
    void requestSignedWithAnotherKeyIsRefusedWithTheStringToSign() throws Exception {
        String otherKey = AlipayKeys.toBase64(AlipayKeys.generateRsa2048().getPrivate());
        AlipayClient client = new DefaultAlipayClient(
                sandbox.gatewayUrl(),
                sandbox.appId(),
                otherKey,
                "json",
                "UTF-8",
                sandbox.alipayPublicKeyBase64(),
                "RSA2");
        AlipayTradeQueryResponse r = query(client, "ANY1");
        assertThat(r.getCode()).isEqualTo("40002");
        assertThat(r.getSubCode()).isEqualTo("isv.invalid-signature");
        assertThat(r.getSubMsg()).contains("app_id=" + sandbox.appId()).contains("method=alipay.trade.query");
    }

    @Test
    void aNotifyUrlThatIsNoHttpUrlIsRefusedAndCreatesNothing() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        for (String url : new String[] {
            "not a url", "ftp://x.example/notify", "http:///notify", "https://x.example/" + "n".repeat(240)
        }) {
            String no = Sdk.orderNo("NU");
            AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
            create.setNotifyUrl(url);
            create.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"1.00\",\"subject\":\"n\"}");
            AlipayTradeCreateResponse r = client.execute(create);
            assertThat(r.getSubCode()).as(url).isEqualTo("isv.invalid-parameter");
            assertThat(r.getCode()).isEqualTo("40002");
            assertThat(query(client, no).getSubCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
        }
        AlipayTradeCreateRequest fine = new AlipayTradeCreateRequest();
        fine.setNotifyUrl("https://shop.example/notify/alipay?x=1");
        fine.setBizContent(
                "{\"out_trade_no\":\"" + Sdk.orderNo("NU") + "\",\"total_amount\":\"1.00\",\"subject\":\"n\"}");
        assertThat(client.execute(fine).isSuccess()).isTrue();
    }

    @Test
    void unknownAppIdIsRefused() throws Exception {
        AlipayClient client = new DefaultAlipayClient(
                sandbox.gatewayUrl(),
                "2021999999999999",
                sandbox.appPrivateKeyBase64(),
                "json",
                "UTF-8",
                sandbox.alipayPublicKeyBase64(),
                "RSA2");
        AlipayTradeQueryResponse r = query(client, "ANY2");
        assertThat(r.getCode()).isEqualTo("40002");
        assertThat(r.getSubCode()).isEqualTo("isv.invalid-app-id");
    }

    @Test
    void malformedTimestampAndMissingSignatureAreGatewayErrors() throws Exception {
        String base = sandbox.gatewayUrl() + "?method=alipay.trade.query&app_id=" + sandbox.appId()
                + "&charset=UTF-8&version=1.0&sign_type=RSA2";
        JsonNode bad = JSON.readTree(
                Sdk.get(base + "&timestamp=2024-13-01+00%3A00%3A00&sign=abc").body());
        assertThat(bad.at("/alipay_trade_query_response/sub_code").asText()).isEqualTo("isv.invalid-timestamp");
        JsonNode unsigned = JSON.readTree(
                Sdk.get(base + "&timestamp=2024-06-01+00%3A00%3A00").body());
        assertThat(unsigned.at("/alipay_trade_query_response/code").asText()).isEqualTo("40001");
        assertThat(unsigned.at("/alipay_trade_query_response/sub_code").asText())
                .isEqualTo("isv.missing-signature");
        HttpResponse<byte[]> raw = Sdk.get(base);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type")).contains("text/html;charset=utf-8");
    }

    @Test
    void aesEncryptedCallsAreDecryptedAndAnsweredEncrypted() throws Exception {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(sandbox.gatewayUrl());
        config.setAppId(sandbox.appId());
        config.setPrivateKey(sandbox.appPrivateKeyBase64());
        config.setAlipayPublicKey(sandbox.alipayPublicKeyBase64());
        config.setEncryptType("AES");
        config.setEncryptKey(sandbox.aesKey());
        AlipayClient client = new DefaultAlipayClient(config);
        String no = Sdk.orderNo("AES");
        AlipayTradePrecreateRequest request = new AlipayTradePrecreateRequest();
        request.setNeedEncrypt(true);
        request.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"2.00\",\"subject\":\"加密\"}");
        AlipayTradePrecreateResponse created = client.execute(request);
        assertThat(created.isSuccess()).isTrue();
        assertThat(created.getOutTradeNo()).isEqualTo(no);
        AlipayTradeQueryRequest q = new AlipayTradeQueryRequest();
        q.setNeedEncrypt(true);
        q.setBizContent("{\"out_trade_no\":\"" + no + "\"}");
        assertThat(client.execute(q).getSubCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "GBK"})
    void pagePayPostFormAndGetUrlBothLandOnTheCashier(String charset) throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, charset);
        String no = Sdk.orderNo("PG");
        AlipayTradePagePayRequest request = new AlipayTradePagePayRequest();
        request.setReturnUrl("http://127.0.0.1:1/return?from=pc");
        request.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"66.60\",\"subject\":\"网页<b>支付</b>\","
                + "\"product_code\":\"FAST_INSTANT_TRADE_PAY\"}");
        String form = client.pageExecute(request).getBody();
        HttpResponse<byte[]> posted = submitForm(form, charset);
        assertThat(posted.statusCode()).isEqualTo(302);
        String cashier = posted.headers().firstValue("Location").orElseThrow();
        assertThat(cashier).startsWith(sandbox.controlUrl() + "/cashier/");

        String getUrl = client.pageExecute(request, "GET").getBody();
        HttpResponse<byte[]> viaGet = Sdk.get(getUrl);
        assertThat(viaGet.statusCode()).isEqualTo(302);
        assertThat(viaGet.headers().firstValue("Location")).contains(cashier);

        String page = new String(Sdk.get(cashier).body(), StandardCharsets.UTF_8);
        assertThat(page).contains("66.60").contains("网页&lt;b&gt;支付&lt;/b&gt;").doesNotContain("<b>支付");
        assertThat(Sdk.get(cashier + "/qr.png").body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

        HttpResponse<byte[]> paid = Sdk.post(cashier + "/pay", "application/x-www-form-urlencoded", "");
        String returnUrl = paid.headers().firstValue("Location").orElseThrow();
        assertThat(returnUrl).startsWith("http://127.0.0.1:1/return?from=pc&");
        Map<String, String> params = new HashMap<>(FormCodec.decode(
                returnUrl.substring(returnUrl.indexOf('?') + 1), java.nio.charset.Charset.forName(charset)));
        params.remove("from"); // the merchant's own parameter is not signed (docs/alipay-protocol.md#s10)
        assertThat(params.get("method")).isEqualTo("alipay.trade.page.pay.return");
        assertThat(com.alipay.api.internal.util.AlipaySignature.rsaCheckV1(
                        params, sandbox.alipayPublicKeyBase64(), charset, "RSA2"))
                .isTrue();
        assertThat(control.trade(no).get("trade_status").asText()).isEqualTo("TRADE_SUCCESS");
    }

    @Test
    void pagePayWithWrongProductCodeShowsAnErrorPage() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        AlipayTradePagePayRequest request = new AlipayTradePagePayRequest();
        request.setBizContent("{\"out_trade_no\":\"" + Sdk.orderNo("PE")
                + "\",\"total_amount\":\"1.00\",\"subject\":\"x\"," + "\"product_code\":\"QUICK_WAP_WAY\"}");
        HttpResponse<byte[]> r = Sdk.get(client.pageExecute(request, "GET").getBody());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("ACQ.ACCESS_FORBIDDEN");
    }

    @Test
    void wapPayGetUrlOpensTheCashier() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        String no = Sdk.orderNo("WP");
        AlipayTradeWapPayRequest request = new AlipayTradeWapPayRequest();
        request.setReturnUrl("http://127.0.0.1:1/return");
        request.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"9.90\",\"subject\":\"wap\","
                + "\"product_code\":\"QUICK_WAP_WAY\",\"quit_url\":\"http://127.0.0.1:1/quit\"}");
        HttpResponse<byte[]> r = Sdk.get(client.pageExecute(request, "GET").getBody());
        assertThat(r.statusCode()).isEqualTo(302);
        String cashier = r.headers().firstValue("Location").orElseThrow();
        String returnUrl = Sdk.post(cashier + "/pay", "text/plain", "")
                .headers()
                .firstValue("Location")
                .orElseThrow();
        assertThat(returnUrl).contains("method=alipay.trade.wap.pay.return");
    }

    @Test
    void appPayOrderStringIsVerifiedAndItsSyncResultPassesTheSdk() throws Exception {
        AlipayClient client = Sdk.publicKeyClient(sandbox, "UTF-8");
        String no = Sdk.orderNo("AP");
        AlipayTradeAppPayRequest request = new AlipayTradeAppPayRequest();
        request.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"0.01\",\"subject\":\"App 支付\","
                + "\"product_code\":\"QUICK_MSECURITY_PAY\"}");
        String orderString = client.sdkExecute(request).getBody();
        HttpResponse<byte[]> r = Sdk.post(sandbox.controlUrl() + "/app/pay", "text/plain", orderString);
        JsonNode result = JSON.readTree(r.body());
        assertThat(result.get("resultStatus").asText()).isEqualTo("9000");
        Map<String, String> map = new LinkedHashMap<>();
        result.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        AlipayTradeAppPayResponse parsed = client.parseAppSyncResult(map, AlipayTradeAppPayRequest.class);
        assertThat(parsed.isSuccess()).isTrue();
        assertThat(control.trade(no).get("trade_status").asText()).isEqualTo("TRADE_SUCCESS");

        String tampered = orderString.replace("0.01", "0.02");
        JsonNode refused = JSON.readTree(Sdk.post(sandbox.controlUrl() + "/app/pay", "text/plain", tampered)
                .body());
        assertThat(refused.get("resultStatus").asText()).isEqualTo("4000");
        assertThat(refused.get("memo").asText()).contains("isv.invalid-signature");
    }

    @Test
    void healthAndUnknownTrade() throws Exception {
        assertThat(Sdk.get(sandbox.controlUrl() + "/health").statusCode()).isEqualTo(200);
        assertThat(control.trade("NEVER_SEEN")).isNull();
        assertThatThrownBy(() -> control.pay("NEVER_SEEN")).hasMessageContaining("404");
    }

    private HttpResponse<byte[]> submitForm(String form, String charset) {
        Matcher action = Pattern.compile("action=\"([^\"]*)\"").matcher(form);
        assertThat(action.find()).isTrue();
        StringBuilder body = new StringBuilder();
        Matcher input = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")
                .matcher(form);
        while (input.find()) {
            String value = input.group(2).replace("&quot;", "\"");
            body.append(body.length() == 0 ? "" : "&")
                    .append(input.group(1))
                    .append('=')
                    .append(java.net.URLEncoder.encode(value, java.nio.charset.Charset.forName(charset)));
        }
        return Sdk.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(action.group(1)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                        body.toString().getBytes(StandardCharsets.US_ASCII)))
                .build());
    }
}
