package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ServiceSuite;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /notify/alipay}: each kind of notification gets the right answer and no wrong state. The payments are
 * QR codes nobody scans, so the sandbox sends nothing itself; the tests sign as Alipay with the demo's key.
 */
public abstract class NotificationSuite extends ServiceSuite {

    private JsonNode pendingPayment() {
        return createQr(uniqueOrderNo(), "18.80");
    }

    private String outcomes(String outTradeNo) {
        return jdbc.sql("SELECT outcome FROM received_notifications WHERE out_trade_no = ? ORDER BY received_at")
                .param(outTradeNo)
                .query(String.class)
                .list()
                .toString();
    }

    @Test
    void genuineNotificationMarksThePaymentPaid() {
        JsonNode p = pendingPayment();
        Api.Response r = postNotification(signedByAlipay(notification(p, "TRADE_SUCCESS")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/plain");
        assertThat(r.body()).isEqualTo("success");
        JsonNode paid = payment(p.get("id").asString());
        assertThat(paid.get("status").asString()).isEqualTo("PAID");
        assertThat(eventCount(p.get("id").asString(), "payment.succeeded")).isEqualTo(1);
        assertThat(outcomes(p.get("out_trade_no").asString())).isEqualTo("[APPLIED]");
    }

    @Test
    void notificationSignedWithAnotherKeyIsRefused() {
        JsonNode p = pendingPayment();
        byte[] forged = new NotificationSigner(AlipayKeys.generateRsa2048().getPrivate())
                .formBody(notification(p, "TRADE_SUCCESS"));
        assertRefusedAndPending(p, postNotification(forged), "bad_signature");
    }

    @Test
    void notificationWithoutSignatureIsRefused() {
        JsonNode p = pendingPayment();
        byte[] unsigned = NotificationSigner.encode(notification(p, "TRADE_SUCCESS"), StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.US_ASCII);
        assertRefusedAndPending(p, postNotification(unsigned), "bad_signature");
    }

    @Test
    void amountChangedAfterSigningIsRefused() {
        JsonNode p = pendingPayment();
        String body = new String(signedByAlipay(notification(p, "TRADE_SUCCESS")), StandardCharsets.US_ASCII);
        byte[] tampered =
                body.replace("total_amount=18.80", "total_amount=0.01").getBytes(StandardCharsets.US_ASCII);
        assertRefusedAndPending(p, postNotification(tampered), "bad_signature");
    }

    @Test
    void signedNotificationWithAnotherAmountIsRefused() {
        JsonNode p = pendingPayment();
        Map<String, String> params = notification(p, "TRADE_SUCCESS");
        params.put("total_amount", "0.01");
        assertRefusedAndPending(p, postNotification(signedByAlipay(params)), "amount_mismatch");
    }

    @Test
    void notificationForAnotherAppIsRefused() {
        JsonNode p = pendingPayment();
        Map<String, String> params = notification(p, "TRADE_SUCCESS");
        params.put("app_id", "2021000000009999");
        assertRefusedAndPending(p, postNotification(signedByAlipay(params)), "app_id_mismatch");
    }

    @Test
    void notificationForAnotherSellerIsRefused() {
        JsonNode p = pendingPayment();
        Map<String, String> params = notification(p, "TRADE_SUCCESS");
        params.put("seller_id", "2088999999999999");
        assertRefusedAndPending(p, postNotification(signedByAlipay(params)), "seller_id_mismatch");
    }

    @Test
    void notificationForAnUnknownTradeIsRefused() {
        JsonNode p = pendingPayment();
        Map<String, String> params = notification(p, "TRADE_SUCCESS");
        params.put("out_trade_no", "never-created-" + uniqueOrderNo());
        Api.Response r = postNotification(signedByAlipay(params));
        assertThat(r.body()).isEqualTo("failure");
        assertThat(jdbc.sql("SELECT reason FROM received_notifications WHERE out_trade_no = ?")
                        .param(params.get("out_trade_no"))
                        .query(String.class)
                        .single())
                .startsWith("unknown_trade");
    }

    @Test
    void replayedNotificationIsAnsweredSuccessAndAppliedOnce() {
        JsonNode p = pendingPayment();
        byte[] body = signedByAlipay(notification(p, "TRADE_SUCCESS"));
        assertThat(postNotification(body).body()).isEqualTo("success");
        assertThat(postNotification(body).body()).isEqualTo("success");
        assertThat(postNotification(body).body()).isEqualTo("success");
        String id = p.get("id").asString();
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);
        assertThat(outcomes(p.get("out_trade_no").asString())).isEqualTo("[APPLIED, DUPLICATE, DUPLICATE]");
    }

    @Test
    void fiftyCopiesAtOnceMakeOneStatusChangeAndOneEvent() throws Exception {
        JsonNode p = pendingPayment();
        String id = p.get("id").asString();
        byte[] body = signedByAlipay(notification(p, "TRADE_SUCCESS"));
        int copies = 50;
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return postNotification(body).body();
                }));
            }
            start.countDown();
            List<String> bodies = new ArrayList<>();
            for (Future<String> answer : answers) {
                bodies.add(answer.get());
            }
            // every copy is answered success, since the effect is stored (by one of them)
            assertThat(bodies).containsOnly("success");
        } finally {
            pool.shutdownNow();
        }
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE payment_id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        List<String> outcomes = jdbc.sql("SELECT outcome FROM received_notifications WHERE out_trade_no = ?")
                .param(p.get("out_trade_no").asString())
                .query(String.class)
                .list();
        assertThat(outcomes).hasSize(copies);
        assertThat(outcomes.stream().filter("APPLIED"::equals).count()).isEqualTo(1);
    }

    @Test
    void gbkEncodedNotificationIsDecodedInItsOwnCharset() {
        JsonNode p = create("{\"out_trade_no\":\"" + uniqueOrderNo()
                + "\",\"amount\":\"66.00\",\"subject\":\"咖啡豆 一公斤\"," + "\"method\":\"qr\"}");
        Map<String, String> params = notification(p, "TRADE_SUCCESS");
        params.put("charset", "gbk");
        params.put("body", "阿拉比卡 · 深烘");
        Charset gbk = Charset.forName("GBK");
        byte[] body = signedByAlipay(params);
        assertThat(new String(body, StandardCharsets.US_ASCII)).contains("%BF%A7"); // 咖 in GBK, not UTF-8's %E5%92%96
        assertThat(postNotification(body, gbk).body()).isEqualTo("success");
        assertThat(payment(p.get("id").asString()).get("status").asString()).isEqualTo("PAID");
    }

    @Test
    void paymentArrivingAfterWeClosedIsRecordedOnceAsAnAnomaly() {
        JsonNode p = pendingPayment();
        String id = p.get("id").asString();
        assertThat(api.post("/api/v1/payments/" + id + "/close", null).status()).isEqualTo(200);

        Map<String, String> params = notification(p, "TRADE_SUCCESS");
        assertThat(postNotification(signedByAlipay(params)).body()).isEqualTo("success");
        params.put("notify_id", params.get("notify_id") + "x"); // a re-sent copy
        assertThat(postNotification(signedByAlipay(params)).body()).isEqualTo("success");

        JsonNode after = payment(id);
        assertThat(after.get("status").asString()).isEqualTo("CLOSED");
        assertThat(after.get("anomalies")).hasSize(1);
        assertThat(after.get("anomalies").get(0).get("kind").asString()).isEqualTo("paid_after_close");
        assertThat(after.get("anomalies").get(0).get("amount").asString()).isEqualTo("18.80");
        assertThat(eventCount(id, "payment.succeeded")).isZero();
    }

    @Test
    void paidAfterCloseThenRefundedInFullAtAlipayResolvesTheAnomaly() {
        JsonNode p = pendingPayment();
        String id = p.get("id").asString();
        assertThat(api.post("/api/v1/payments/" + id + "/close", null).status()).isEqualTo(200);
        Map<String, String> paid = notification(p, "TRADE_SUCCESS");
        assertThat(postNotification(signedByAlipay(paid)).body()).isEqualTo("success");
        assertThat(payment(id).get("anomalies").get(0).get("resolved_at").isNull())
                .isTrue();

        Map<String, String> refunded = notification(p, "TRADE_CLOSED"); // e.g. the cancel that returned the money
        refunded.put("trade_no", paid.get("trade_no"));
        refunded.put("refund_fee", "18.80");
        refunded.put("gmt_refund", "2026-01-01 12:00:00");
        assertThat(postNotification(signedByAlipay(refunded)).body()).isEqualTo("success");
        JsonNode after = payment(id);
        assertThat(after.get("status").asString()).isEqualTo("CLOSED");
        assertThat(after.get("refunded_amount").asString()).isEqualTo("0.00");
        assertThat(after.get("anomalies")).hasSize(1);
        assertThat(after.get("anomalies").get(0).get("resolved_at").isNull()).isFalse();
    }

    @Test
    void closedNotificationClosesAPendingPayment() {
        JsonNode p = pendingPayment();
        assertThat(postNotification(signedByAlipay(notification(p, "TRADE_CLOSED")))
                        .body())
                .isEqualTo("success");
        assertThat(payment(p.get("id").asString()).get("status").asString()).isEqualTo("CLOSED");
    }

    @Test
    void statusNeverMovesBackwards() {
        JsonNode p = pendingPayment();
        String id = p.get("id").asString();
        assertThat(postNotification(signedByAlipay(notification(p, "TRADE_SUCCESS")))
                        .body())
                .isEqualTo("success");
        // a late TRADE_CLOSED without refund_fee, then a WAIT_BUYER_PAY: neither moves PAID back
        assertThat(postNotification(signedByAlipay(notification(p, "TRADE_CLOSED")))
                        .body())
                .isEqualTo("success");
        assertThat(postNotification(signedByAlipay(notification(p, "WAIT_BUYER_PAY")))
                        .body())
                .isEqualTo("success");
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
        assertThat(eventCount(id, "payment.closed")).isZero();
    }

    @Test
    void refundMadeAtAlipayIsRecordedFromItsNotification() {
        JsonNode p = pendingPayment();
        String id = p.get("id").asString();
        Map<String, String> paid = notification(p, "TRADE_SUCCESS");
        assertThat(postNotification(signedByAlipay(paid)).body()).isEqualTo("success");

        Map<String, String> partial = notification(p, "TRADE_SUCCESS");
        partial.put("trade_no", paid.get("trade_no"));
        partial.put("refund_fee", "8.80");
        partial.put("gmt_refund", "2026-01-01 12:00:00.123");
        partial.put("out_biz_no", "console-refund-1");
        byte[] body = signedByAlipay(partial);
        assertThat(postNotification(body).body()).isEqualTo("success");
        assertThat(postNotification(body).body()).isEqualTo("success"); // a copy
        JsonNode afterPartial = payment(id);
        assertThat(afterPartial.get("status").asString()).isEqualTo("PAID");
        assertThat(afterPartial.get("refunded_amount").asString()).isEqualTo("8.80");

        Map<String, String> full = notification(p, "TRADE_CLOSED");
        full.put("trade_no", paid.get("trade_no"));
        full.put("refund_fee", "18.80");
        full.put("gmt_refund", "2026-01-01 12:05:00");
        full.put("out_biz_no", "console-refund-2");
        assertThat(postNotification(signedByAlipay(full)).body()).isEqualTo("success");
        JsonNode refunded = payment(id);
        assertThat(refunded.get("status").asString()).isEqualTo("REFUNDED");
        assertThat(refunded.get("refunded_amount").asString()).isEqualTo("18.80");
        assertThat(api.get("/api/v1/payments/" + id + "/refunds").json().get("data"))
                .hasSize(2);
    }

    private void assertRefusedAndPending(JsonNode p, Api.Response r, String reason) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("failure");
        String id = p.get("id").asString();
        assertThat(payment(id).get("status").asString()).isEqualTo("PENDING");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE payment_id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isZero();
        List<String> reasons = jdbc.sql(
                        "SELECT reason FROM received_notifications WHERE out_trade_no = ? AND outcome = 'REFUSED'")
                .param(p.get("out_trade_no").asString())
                .query(String.class)
                .list();
        if (reason.equals("bad_signature")) {
            // not proven to be Alipay's: no trace of it on the payment, only bounded evidence of the refusal
            assertThat(reasons).isEmpty();
            assertThat(jdbc.sql("SELECT reason FROM refused_notifications ORDER BY received_at DESC, id DESC")
                            .query(String.class)
                            .list()
                            .get(0))
                    .startsWith(reason);
            return;
        }
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0)).startsWith(reason);
    }
}
