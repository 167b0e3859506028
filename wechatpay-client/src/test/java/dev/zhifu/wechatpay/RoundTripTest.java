package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.bill.TradeBill;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import dev.zhifu.wechatpay.payments.AppPayParameters;
import dev.zhifu.wechatpay.payments.BillType;
import dev.zhifu.wechatpay.payments.BillUrl;
import dev.zhifu.wechatpay.payments.FundAccount;
import dev.zhifu.wechatpay.payments.JsapiPayParameters;
import dev.zhifu.wechatpay.payments.Order;
import dev.zhifu.wechatpay.payments.Refund;
import dev.zhifu.wechatpay.payments.RefundRequest;
import dev.zhifu.wechatpay.payments.Transaction;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every API against the loopback gateway, in WeChat Pay public key mode: signed requests, verified answers. */
class RoundTripTest {

    private static final String NOTIFY = "https://merchant.example/notify/wechatpay";
    private static final Sha256WithRsa RSA = new Sha256WithRsa(RsaProvider.jdk());

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
    void nativePrepaySendsFenAndReturnsTheCodeUrl() {
        String codeUrl = client.nativePrepay(new Order("order-native-1", "QR 支付", new BigDecimal("12.34"), NOTIFY));

        assertThat(codeUrl).isEqualTo("weixin://wxpay/bizpayurl?pr=order-native-1");
        LoopbackGateway.Received request = gateway.received.get(0);
        assertThat(request.pathAndQuery()).isEqualTo("/v3/pay/transactions/native");
        assertThat(request.body())
                .isEqualTo("{\"appid\":\"wx0000000000000001\",\"mchid\":\"1900000001\",\"description\":\"QR 支付\","
                        + "\"out_trade_no\":\"order-native-1\",\"notify_url\":\"" + NOTIFY
                        + "\",\"amount\":{\"total\":1234,\"currency\":\"CNY\"}}");
        assertThat(request.headers().get("Wechatpay-serial")).containsExactly(WechatPayTestKeys.PUBLIC_KEY_ID);
    }

    @Test
    void anExpiryIsSentWithSecondsAndOffsetEvenWhenTheSecondsAreZero() {
        java.time.OffsetDateTime expiry = java.time.OffsetDateTime.parse("2026-12-07T18:30:00+08:00");

        client.nativePrepay(new Order("order-expiry-1", "E", new BigDecimal("1"), NOTIFY, "a=1", expiry));

        assertThat(gateway.received.get(0).body())
                .contains("\"time_expire\":\"2026-12-07T18:30:00+08:00\",\"attach\":\"a=1\"");
    }

    @Test
    void jsapiPrepayGivesParametersSignedForTheJavaScriptApi() {
        JsapiPayParameters pay =
                client.jsapiPrepay(new Order("order-jsapi-1", "JSAPI", new BigDecimal("0.01"), NOTIFY), "oOpenId1");

        assertThat(pay.prepayId()).isEqualTo("wxorder-jsapi-1");
        assertThat(pay.asMap()).containsKeys("appId", "timeStamp", "nonceStr", "package", "signType", "paySign");
        assertThat(pay.signType()).isEqualTo("RSA");
        String message =
                pay.appId() + "\n" + pay.timeStamp() + "\n" + pay.nonceStr() + "\n" + pay.packageValue() + "\n";
        assertThat(RSA.verify(Fixtures.MERCHANT_PUBLIC, message, pay.paySign())).isTrue();
        assertThat(gateway.received.get(0).body()).contains("\"payer\":{\"openid\":\"oOpenId1\"}");
    }

    @Test
    void h5PrepaySendsTheSceneAndReturnsTheH5Url() {
        String h5Url = client.h5Prepay(new Order("order-h5-0001", "H5", new BigDecimal("1"), NOTIFY), "203.0.113.7");

        assertThat(h5Url).startsWith("https://wx.tenpay.com/").endsWith("prepay_id=wxorder-h5-0001");
        assertThat(gateway.received.get(0).body())
                .endsWith(",\"scene_info\":{\"payer_client_ip\":\"203.0.113.7\",\"h5_info\":{\"type\":\"Wap\"}}}");
    }

    @Test
    void appPrepayGivesParametersSignedForTheAppSdk() {
        AppPayParameters pay = client.appPrepay(new Order("order-app-0001", "App", new BigDecimal("2.50"), NOTIFY));

        assertThat(pay.partnerid()).isEqualTo(WechatPayTestKeys.MCHID);
        assertThat(pay.packageValue()).isEqualTo("Sign=WXPay");
        assertThat(pay.prepayid()).isEqualTo("wxorder-app-0001");
        String message = pay.appid() + "\n" + pay.timestamp() + "\n" + pay.noncestr() + "\n" + pay.prepayid() + "\n";
        assertThat(RSA.verify(Fixtures.MERCHANT_PUBLIC, message, pay.sign())).isTrue();
    }

    @Test
    void queriesByEitherNumberGiveTheOrderInYuan() {
        client.nativePrepay(new Order("order-query-1", "Q", new BigDecimal("99.90"), NOTIFY));

        Transaction byOutTradeNo = client.queryByOutTradeNo("order-query-1");
        Transaction byId = client.queryByTransactionId(byOutTradeNo.transactionId());

        assertThat(byOutTradeNo.total()).isEqualByComparingTo("99.90");
        assertThat(byOutTradeNo.tradeState()).isEqualTo("NOTPAY");
        assertThat(byId).isEqualTo(byOutTradeNo);
        assertThat(gateway.received.get(1).pathAndQuery())
                .isEqualTo("/v3/pay/transactions/out-trade-no/order-query-1?mchid=1900000001");
        assertThat(gateway.received.get(2).pathAndQuery()).endsWith("?mchid=1900000001");
    }

    @Test
    void closeTakesTheSignedNoContentAnswer() {
        client.nativePrepay(new Order("order-close-1", "C", new BigDecimal("1.00"), NOTIFY));

        client.close("order-close-1");

        assertThat(gateway.received.get(1).body()).isEqualTo("{\"mchid\":\"1900000001\"}");
        assertThat(client.queryByOutTradeNo("order-close-1").tradeState()).isEqualTo("CLOSED");
    }

    @Test
    void anErrorAnswerIsTypedWithWechatsCodeAndADefiniteOutcome() {
        assertThatThrownBy(() -> client.close("order-absent"))
                .isInstanceOfSatisfying(WechatPayApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("ORDER_NOT_EXIST");
                    assertThat(e.errorMessage()).isEqualTo("订单不存在");
                    assertThat(e.isOutcomeUnknown()).isFalse();
                });
    }

    @Test
    void refundAndItsQuery() {
        Refund created = client.refund(new RefundRequest(
                "refund-0001", null, "order-refund-1", new BigDecimal("0.50"), new BigDecimal("1.00"), "退货", null));
        Refund queried = client.queryRefund("refund-0001");

        assertThat(created.status()).isEqualTo("PROCESSING");
        assertThat(created.refund()).isEqualByComparingTo("0.50");
        assertThat(created.total()).isEqualByComparingTo("1.00");
        assertThat(queried.isSuccessful()).isTrue();
        assertThat(gateway.received.get(0).body())
                .isEqualTo("{\"out_trade_no\":\"order-refund-1\",\"out_refund_no\":\"refund-0001\",\"reason\":\"退货\","
                        + "\"amount\":{\"refund\":50,\"total\":100,\"currency\":\"CNY\"}}");
    }

    @Test
    void tradeBillIsDownloadedDecompressedAndChecked() {
        BillUrl url = client.tradeBillUrl(LocalDate.of(2026, 12, 6), BillType.ALL, true);

        String bill = client.downloadBill(url, true);

        assertThat(gateway.received.get(0).pathAndQuery())
                .isEqualTo("/v3/bill/tradebill?bill_date=2026-12-06&bill_type=ALL&tar_type=GZIP");
        assertThat(bill).isEqualTo(LoopbackGateway.BILL);
        assertThat(TradeBill.parse(bill).rows())
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("商户订单号", "order-0001"));
    }

    @Test
    void fundFlowBillUncompressed() {
        BillUrl url = client.fundFlowBillUrl(LocalDate.of(2026, 12, 6), FundAccount.BASIC, false);

        assertThat(client.downloadBill(url, false)).isEqualTo(LoopbackGateway.BILL);
        assertThat(gateway.received.get(0).pathAndQuery())
                .isEqualTo("/v3/bill/fundflowbill?bill_date=2026-12-06&account_type=BASIC");
    }

    @Test
    void aBillWhoseDigestDiffersIsRefused() {
        BillUrl url = client.tradeBillUrl(LocalDate.of(2026, 12, 6), BillType.ALL, false);
        BillUrl forged = new BillUrl("SHA1", LoopbackGateway.sha1("another bill"), url.downloadUrl());

        assertThatThrownBy(() -> client.downloadBill(forged, false))
                .isInstanceOf(WechatPayMalformedException.class)
                .hasMessageContaining("hash_value");
    }

    @Test
    void aDownloadUrlOnAnotherHostIsNeverSentTheMerchantsSignature() {
        BillUrl elsewhere = new BillUrl("SHA1", "00", "https://attacker.example/v3/billdownload/file?token=x");

        assertThatThrownBy(() -> client.downloadBill(elsewhere, false))
                .isInstanceOf(WechatPayMalformedException.class)
                .hasMessageContaining("refusing");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void theGenericCallSignsAndVerifiesAnyPath() {
        client.call(
                "POST",
                "/v3/pay/transactions/native",
                "{\"appid\":\"wx0000000000000001\",\"mchid\":\"1900000001\",\"description\":\"G\","
                        + "\"out_trade_no\":\"order-generic\",\"notify_url\":\"" + NOTIFY
                        + "\",\"amount\":{\"total\":7}}");

        WechatPayAnswer answer =
                client.call("GET", "/v3/pay/transactions/out-trade-no/order-generic?mchid=1900000001", null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"out_trade_no\":\"order-generic\"", "\"total\":7");
    }

    @Test
    void theGatewayRefusesARequestWhoseSignatureIsNotTheMerchants() {
        assertThat(LoopbackGateway.authorized(
                        "GET",
                        "/v3/x",
                        "",
                        "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\","
                                + "nonce_str=\"n\",timestamp=\"1\",serial_no=\"" + WechatPayTestKeys.MERCHANT_SERIAL
                                + "\",signature=\"AAAA\""))
                .isFalse();
    }
}
