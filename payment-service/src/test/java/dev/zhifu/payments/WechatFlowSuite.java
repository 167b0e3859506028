package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.PaymentService;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.sandbox.wechat.WechatPaySettings;
import dev.zhifu.wechatpay.notify.NotificationSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * WeChat Pay end to end against the in-process sandbox, on each database: every method created, paid by the
 * sandbox's buyer, notified (verified, decrypted, applied once), refunded; closing; notifications refused; the one
 * QR code for either wallet (docs/payment-channels.md).
 */
public abstract class WechatFlowSuite extends ServiceSuite {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    PaymentService payments;

    @Autowired
    dev.zhifu.payments.payments.PaymentSyncJob paymentSync;

    @Test
    void nativePaymentIsPaidNotifiedAndRefundedInTwoParts() {
        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"10.00\",\"subject\":\"茶叶 Tea\","
                + "\"method\":\"wechat_native\",\"metadata\":{\"order_id\":\"1001\"}}");
        assertThat(created.get("status").asString()).isEqualTo("PENDING");
        assertThat(created.get("channel").asString()).isEqualTo("wechatpay");
        assertThat(created.get("action").get("type").asString()).isEqualTo("qr_code");
        assertThat(created.get("action").get("qr_code").asString()).startsWith(api.base() + "/sandbox/wechat/qr/");
        String id = created.get("id").asString();

        sandbox.pay(no);
        JsonNode paid = awaitStatus(id, "PAID");
        assertThat(paid.get("channel").asString()).isEqualTo("wechatpay");
        assertThat(paid.get("trade_no").asString())
                .isEqualTo(sandbox.trade(no).get("transaction_id").asText());
        assertThat(paid.get("metadata").get("order_id").asString()).isEqualTo("1001");
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);
        await(
                () -> sandbox.notifications(no).get(0).get("acknowledged").asBoolean(),
                java.time.Duration.ofSeconds(30),
                () -> "the sandbox never saw its notification acknowledged: " + sandbox.notifications(no));
        assertThat(jdbc.sql(
                                "SELECT COUNT(*) FROM received_notifications WHERE out_trade_no = ? AND channel = 'WECHATPAY'"
                                        + " AND outcome = 'APPLIED'")
                        .param(no)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);

        Api.Response part =
                api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"3.00\",\"reason\":\"碎了一个\"}");
        assertThat(part.status()).as(part.body()).isEqualTo(201);
        awaitRefunded(id, "3.00");
        Api.Response rest = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"7.00\"}");
        assertThat(rest.status()).as(rest.body()).isEqualTo(201);
        JsonNode refunded = awaitStatus(id, "REFUNDED");
        assertThat(refunded.get("refunded_amount").asString()).isEqualTo("10.00");
        assertThat(sandbox.trade(no).get("refunded_total").asInt()).isEqualTo(1000); // fen
        assertThat(eventCount(id, "refund.succeeded")).isEqualTo(2);
        assertThat(eventCount(id, "payment.refunded")).isEqualTo(1);

        Api.Response more = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"0.01\"}");
        assertThat(more.status()).as(more.body()).isIn(409, 422);
    }

    @Test
    void jsapiPaymentAnswersTheSignedParametersAndNeedsAnOpenid() {
        Api.Response missing =
                api.post("/api/v1/payments", "{\"amount\":\"1.00\",\"subject\":\"Tea\",\"method\":\"wechat_jsapi\"}");
        assertThat(missing.status()).isEqualTo(400); // invalid_request, each field named
        assertThat(missing.body()).contains("openid");

        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"2.50\",\"subject\":\"Tea\","
                + "\"method\":\"wechat_jsapi\",\"openid\":\"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o\"}");
        JsonNode action = created.get("action");
        assertThat(action.get("type").asString()).isEqualTo("jsapi");
        JsonNode parameters = action.get("parameters");
        for (String name : new String[] {"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}) {
            assertThat(parameters.get(name).asString()).as(name).isNotBlank();
        }
        assertThat(parameters.get("package").asString()).startsWith("prepay_id=");
        assertThat(parameters.get("signType").asString()).isEqualTo("RSA");

        sandbox.pay(no);
        JsonNode paid = awaitStatus(created.get("id").asString(), "PAID");
        assertThat(paid.get("channel").asString()).isEqualTo("wechatpay");
    }

    @Test
    void h5PaymentRedirectsToTheCashierAndBackToTheReturnUrl() {
        Api.Response noIp =
                api.post("/api/v1/payments", "{\"amount\":\"1.00\",\"subject\":\"Tea\",\"method\":\"wechat_h5\"}");
        assertThat(noIp.status()).isEqualTo(400); // invalid_request, each field named
        assertThat(noIp.body()).contains("client_ip");
        Api.Response badIp = api.post(
                "/api/v1/payments",
                "{\"amount\":\"1.00\",\"subject\":\"Tea\",\"method\":\"wechat_h5\",\"client_ip\":\"example.com\"}");
        assertThat(badIp.status()).isEqualTo(400); // invalid_request, each field named

        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"66.00\",\"subject\":\"Shoes\","
                + "\"method\":\"wechat_h5\",\"client_ip\":\"203.0.113.7\","
                + "\"return_url\":\"https://shop.example.com/done?x=1\"}");
        String url = created.get("action").get("url").asString();
        assertThat(url).startsWith(api.base() + "/sandbox/wechat/h5?prepay_id=");
        assertThat(url).endsWith("&redirect_url=https%3A%2F%2Fshop.example.com%2Fdone%3Fx%3D1");
        Api.Response cashier = api.open(url);
        assertThat(cashier.status()).as(cashier.body()).isEqualTo(200);

        sandbox.pay(no);
        awaitStatus(created.get("id").asString(), "PAID");
    }

    @Test
    void appPaymentAnswersTheAppSdkParameters() {
        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"30.00\",\"subject\":\"Membership\","
                + "\"method\":\"wechat_app\"}");
        JsonNode action = created.get("action");
        assertThat(action.get("type").asString()).isEqualTo("app");
        assertThat(action.has("order_string")).isFalse();
        for (String name :
                new String[] {"appid", "partnerid", "prepayid", "package", "noncestr", "timestamp", "sign"}) {
            assertThat(action.get("parameters").get(name).asString()).as(name).isNotBlank();
        }
        assertThat(action.get("parameters").get("package").asString()).isEqualTo("Sign=WXPay");
        sandbox.pay(no);
        String id = created.get("id").asString();
        awaitStatus(id, "PAID");
        refundInFull(id, "30.00");
    }

    @Test
    void anUnpaidOrderIsClosedAtWechatPayToo() {
        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no
                + "\",\"amount\":\"5.00\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}");
        String id = created.get("id").asString();
        Api.Response closed = api.post("/api/v1/payments/" + id + "/close", "");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.json().get("status").asString()).isEqualTo("CLOSED");
        assertThat(sandbox.trade(no).get("trade_state").asText()).isEqualTo("CLOSED");
        assertThat(eventCount(id, "payment.closed")).isEqualTo(1);
    }

    @Test
    void syncFindsAPaymentWhoseNotificationWasLost() {
        sandbox.addFault("{\"type\":\"drop_notifications\",\"count\":1}");
        try {
            String no = uniqueOrderNo();
            String id = create("{\"out_trade_no\":\"" + no
                            + "\",\"amount\":\"4.00\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}")
                    .get("id")
                    .asString();
            sandbox.pay(no);
            Api.Response synced = api.post("/api/v1/payments/" + id + "/sync", "");
            assertThat(synced.status()).as(synced.body()).isEqualTo(200);
            assertThat(synced.json().get("status").asString()).isEqualTo("PAID");
            assertThat(synced.json().get("channel").asString()).isEqualTo("wechatpay");
        } finally {
            sandbox.clearFaults();
        }
    }

    @Test
    void outTradeNoFollowsWechatPaysRule() {
        Api.Response tooLong = api.post(
                "/api/v1/payments",
                "{\"out_trade_no\":\"" + "a".repeat(33)
                        + "\",\"amount\":\"1.00\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}");
        assertThat(tooLong.status()).isEqualTo(400); // invalid_request, each field named
        assertThat(tooLong.body()).contains("out_trade_no");
    }

    @Test
    void forgedAndMismatchedNotificationsAreRefusedAndChangeNothing() {
        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no
                + "\",\"amount\":\"9.00\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}");
        String id = created.get("id").asString();

        // signed by a key that is not WeChat Pay's
        NotificationSigner stranger = new NotificationSigner(
                AlipayKeys.toPem(AlipayKeys.generateRsa2048().getPrivate()),
                WechatPaySettings.DEFAULT_PUBLIC_KEY_ID,
                demoKeys.wechatApiV3Key());
        HttpResponse<String> forged = post(stranger.sign(
                "EV-1", "TRANSACTION.SUCCESS", "transaction", transaction(no, 900, "SUCCESS"), Instant.now()));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("\"code\":\"FAIL\"");

        // WeChat Pay's own key, but the amount is not the payment's
        NotificationSigner wechat = new NotificationSigner(
                AlipayKeys.toPem(demoKeys.wechatPlatformPrivateKey()),
                WechatPaySettings.DEFAULT_PUBLIC_KEY_ID,
                demoKeys.wechatApiV3Key());
        HttpResponse<String> wrongAmount = post(wechat.sign(
                "EV-2", "TRANSACTION.SUCCESS", "transaction", transaction(no, 1, "SUCCESS"), Instant.now()));
        assertThat(wrongAmount.statusCode()).isEqualTo(400);
        assertThat(wrongAmount.body()).contains("amount_mismatch");

        HttpResponse<String> unknown = post(wechat.sign(
                "EV-3",
                "TRANSACTION.SUCCESS",
                "transaction",
                transaction("nosuch-" + no, 900, "SUCCESS"),
                Instant.now()));
        assertThat(unknown.statusCode()).isEqualTo(400);

        HttpResponse<String> stale = post(wechat.sign(
                "EV-4",
                "TRANSACTION.SUCCESS",
                "transaction",
                transaction(no, 900, "SUCCESS"),
                Instant.now().minusSeconds(600)));
        assertThat(stale.statusCode()).isEqualTo(401);

        assertThat(payment(id).get("status").asString()).isEqualTo("PENDING");
        assertThat(eventCount(id, "payment.succeeded")).isZero();

        // the genuine one, twice: applied once
        HttpResponse<String> genuine = post(wechat.sign(
                "EV-5", "TRANSACTION.SUCCESS", "transaction", transaction(no, 900, "SUCCESS"), Instant.now()));
        assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(204);
        HttpResponse<String> again = post(wechat.sign(
                "EV-5", "TRANSACTION.SUCCESS", "transaction", transaction(no, 900, "SUCCESS"), Instant.now()));
        assertThat(again.statusCode()).isEqualTo(204);
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);
    }

    @Test
    void anyQrIsPaidByTheWalletThatOpensItAndTheOtherWalletNeverCounts() {
        String no = uniqueOrderNo();
        JsonNode created = create(
                "{\"out_trade_no\":\"" + no + "\",\"amount\":\"12.00\",\"subject\":\"Lunch\",\"method\":\"any_qr\"}");
        String id = created.get("id").asString();
        assertThat(created.get("channel").isNull()).isTrue();
        assertThat(created.get("action").get("qr_code").asString()).isEqualTo(api.base() + "/pay/" + id);

        PaymentService.WalletStart wechat = payments.openAnyQr(id, Channel.WECHATPAY);
        assertThat(wechat.type()).isEqualTo("qr_code");
        PaymentService.WalletStart alipay = payments.openAnyQr(id, Channel.ALIPAY);
        assertThat(alipay.type()).isEqualTo("redirect");
        api.open(alipay.value()); // the Alipay app opens its cashier: Alipay's trade exists too

        sandbox.pay(no); // the WeChat order (the control API answers WeChat Pay's first)
        JsonNode paid = awaitStatus(id, "PAID");
        assertThat(paid.get("channel").asString()).isEqualTo("wechatpay");
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);
        assertThat(payment(id).get("anomalies")).isEmpty();
    }

    @Test
    void anExpiredOrderIsClosedAtWechatPayThenHere() {
        String no = uniqueOrderNo();
        String id = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"3.00\",\"subject\":\"Cake\","
                        + "\"method\":\"wechat_native\",\"expire_minutes\":1}")
                .get("id")
                .asString();
        sandbox.scan(no);
        try {
            clock.advance(java.time.Duration.ofMinutes(2));
            paymentSync.runOnce();
        } finally {
            clock.reset();
        }
        assertThat(payment(id).get("status").asString()).isEqualTo("CLOSED");
        assertThat(sandbox.trade(no).get("trade_state").asText()).isEqualTo("CLOSED");
    }

    @Test
    void aRefundWhoseAnswerIsLostIsSettledByQueryAndMadeOnce() {
        String no = uniqueOrderNo();
        String id = create("{\"out_trade_no\":\"" + no
                        + "\",\"amount\":\"8.00\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}")
                .get("id")
                .asString();
        sandbox.pay(no);
        awaitStatus(id, "PAID");
        // WeChat Pay makes the refund but its answer never arrives: a 500 SYSTEM_ERROR after the fact
        sandbox.addFault("{\"type\":\"gateway_error\",\"methods\":[\"wechatpay.refund\"],\"answer\":\"system_error\","
                + "\"apply\":true,\"count\":1}");
        try {
            Api.Response refund = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"8.00\"}");
            assertThat(refund.status()).as(refund.body()).isEqualTo(201);
        } finally {
            sandbox.clearFaults();
        }
        JsonNode refunded = awaitStatus(id, "REFUNDED");
        assertThat(refunded.get("refunded_amount").asString()).isEqualTo("8.00");
        assertThat(sandbox.trade(no).get("refunds")).hasSize(1);
        assertThat(eventCount(id, "refund.succeeded")).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyPrepaysOnce() {
        String body = "{\"amount\":\"1.50\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}";
        Api.Response first = api.post("/api/v1/payments", body, "wx-idem-" + uniqueOrderNo());
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String key = "wx-idem-" + uniqueOrderNo();
        Api.Response a = api.post("/api/v1/payments", body, key);
        Api.Response b = api.post("/api/v1/payments", body, key);
        assertThat(b.status()).isEqualTo(a.status());
        assertThat(b.json().get("id").asString()).isEqualTo(a.json().get("id").asString());
        assertThat(b.json().get("action").get("qr_code").asString())
                .isEqualTo(a.json().get("action").get("qr_code").asString());
    }

    private void awaitRefunded(String id, String amount) {
        await(
                () -> amount.equals(payment(id).get("refunded_amount").asString()),
                java.time.Duration.ofSeconds(30),
                () -> "refunded_amount never became " + amount + ": " + payment(id));
    }

    private static String transaction(String outTradeNo, long fen, String state) {
        return "{\"appid\":\"" + WechatPaySettings.DEFAULT_APPID + "\",\"mchid\":\"" + WechatPaySettings.DEFAULT_MCHID
                + "\",\"out_trade_no\":\"" + outTradeNo + "\",\"transaction_id\":\"4200000000" + (fen + 100000)
                + "\",\"trade_type\":\"NATIVE\",\"trade_state\":\"" + state + "\",\"trade_state_desc\":\"ok\","
                + "\"success_time\":\"2026-12-07T10:00:00+08:00\",\"payer\":{\"openid\":\"o-test\"},"
                + "\"amount\":{\"total\":" + fen + ",\"payer_total\":" + fen + ",\"currency\":\"CNY\","
                + "\"payer_currency\":\"CNY\"}}";
    }

    private HttpResponse<String> post(NotificationSigner.SignedNotification n) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/notify/wechatpay"))
                .POST(HttpRequest.BodyPublishers.ofString(n.body(), StandardCharsets.UTF_8))
                .header("Content-Type", "application/json");
        n.headers().forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
