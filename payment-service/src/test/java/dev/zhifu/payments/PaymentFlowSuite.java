package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.payments.PaymentSyncJob;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ServiceSuite;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * End to end against the in-process sandbox, one scenario per test: create, the sandbox's buyer pays, the
 * notification arrives, PAID, refunds, REFUNDED; close; expiry.
 */
public abstract class PaymentFlowSuite extends ServiceSuite {

    @Autowired
    PaymentSyncJob paymentSync;

    @Test
    void qrPaymentIsPaidByTheBuyerThenRefundedInTwoParts() {
        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"10.00\",\"subject\":\"Coffee beans\","
                + "\"method\":\"qr\",\"metadata\":{\"order_id\":\"1001\",\"note\":\"a=b&c\"}}");
        assertThat(created.get("status").asString()).isEqualTo("PENDING");
        assertThat(created.get("action").get("type").asString()).isEqualTo("qr_code");
        assertThat(created.get("action").get("qr_code").asString()).isNotBlank();
        String id = created.get("id").asString();

        sandbox.pay(no);
        JsonNode paid = awaitStatus(id, "PAID");
        assertThat(paid.get("trade_no").asString()).isNotBlank();
        assertThat(paid.get("paid_at").isNull()).isFalse();
        assertThat(paid.get("metadata").get("note").asString()).isEqualTo("a=b&c");
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);

        Api.Response part =
                api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"3.00\",\"reason\":\"one broken\"}");
        assertThat(part.status()).as(part.body()).isEqualTo(201);
        assertThat(part.json().get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode afterPart = payment(id);
        assertThat(afterPart.get("status").asString()).isEqualTo("PAID");
        assertThat(afterPart.get("refunded_amount").asString()).isEqualTo("3.00");

        Api.Response rest = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"7.00\"}");
        assertThat(rest.status()).as(rest.body()).isEqualTo(201);
        JsonNode refunded = awaitStatus(id, "REFUNDED");
        assertThat(refunded.get("refunded_amount").asString()).isEqualTo("10.00");
        assertThat(sandbox.trade(no).get("refunded_amount").asText()).isEqualTo("10.00");

        JsonNode refunds = api.get("/api/v1/payments/" + id + "/refunds").json().get("data");
        assertThat(refunds).hasSize(2);
        assertThat(refunds.get(0).get("out_request_no").asString())
                .isNotEqualTo(refunds.get(1).get("out_request_no").asString());
        assertThat(eventCount(id, "refund.succeeded")).isEqualTo(2);
        assertThat(eventCount(id, "payment.refunded")).isEqualTo(1);
    }

    @Test
    void pagePaymentIsPaidOnTheCashierPage() {
        browserPayment("page");
    }

    @Test
    void wapPaymentIsPaidOnTheCashierPage() {
        browserPayment("wap");
    }

    private void browserPayment(String method) {
        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"88.00\",\"subject\":\"Headphones\","
                + "\"method\":\"" + method + "\",\"return_url\":\"https://shop.example.com/done\"}");
        JsonNode action = created.get("action");
        assertThat(action.get("type").asString()).isEqualTo("redirect");
        assertThat(action.get("url").asString()).startsWith(api.base() + "/sandbox/gateway.do?");

        Api.Response cashier = api.open(action.get("url").asString()); // the buyer's browser opens the cashier
        assertThat(cashier.status()).as(cashier.body()).isLessThan(400);
        sandbox.pay(no);
        String id = created.get("id").asString();
        awaitStatus(id, "PAID");

        refundInFull(id, "88.00");
    }

    @Test
    void appPaymentIsPaidWithTheOrderString() {
        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"30.00\",\"subject\":\"Membership\","
                + "\"method\":\"app\"}");
        String orderString = created.get("action").get("order_string").asString();
        assertThat(orderString).contains("method=alipay.trade.app.pay").contains("sign=");

        // what the Alipay app does with the order string, simulated by the sandbox
        Api.Response app = api.anonymous(
                "POST",
                "/sandbox/app/pay",
                "application/x-www-form-urlencoded",
                ("order_string=" + URLEncoder.encode(orderString, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.US_ASCII));
        assertThat(app.status()).as(app.body()).isEqualTo(200);
        String id = created.get("id").asString();
        awaitStatus(id, "PAID");

        refundInFull(id, "30.00");
    }

    @Test
    void barcodePaymentIsPaidAtOnce() {
        JsonNode created = create("{\"amount\":\"5.00\",\"subject\":\"Tea\",\"method\":\"barcode\","
                + "\"auth_code\":\"281234567890123456\"}");
        assertThat(created.get("status").asString()).isEqualTo("PAID");
        assertThat(created.get("action").isNull()).isTrue();
        String id = created.get("id").asString();
        refundInFull(id, "5.00");
    }

    @Test
    void barcodePaymentWaitingForTheBuyerIsPendingUntilTheQuerySaysPaid() {
        // 26…: the sandbox answers 10003 (the buyer confirms on the phone a moment later)
        JsonNode created = create("{\"amount\":\"6.00\",\"subject\":\"Tea\",\"method\":\"barcode\","
                + "\"auth_code\":\"261234567890123456\"}");
        assertThat(created.get("status").asString()).isEqualTo("PENDING");
        JsonNode paid = awaitStatus(created.get("id").asString(), "PAID");
        assertThat(paid.get("trade_no").asString()).isNotBlank();
        assertThat(eventCount(paid.get("id").asString(), "payment.succeeded")).isEqualTo(1);
    }

    @Test
    void barcodePaymentWhoseOutcomeNeverBecomesKnownIsCancelledAtTheDeadline() {
        // alipay.trade.pay answers ACQ.SYSTEM_ERROR and creates nothing: queries say TRADE_NOT_EXIST until the deadline
        sandbox.addFault("{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.pay\"],\"answer\":\"system_error\","
                + "\"apply\":false,\"count\":1}");
        try {
            JsonNode created = create("{\"amount\":\"6.60\",\"subject\":\"Tea\",\"method\":\"barcode\","
                    + "\"auth_code\":\"281234567890123456\"}");
            assertThat(created.get("status").asString()).isEqualTo("PENDING");
            JsonNode closed = awaitStatus(created.get("id").asString(), "CLOSED");
            assertThat(closed.get("failure").get("code").asString()).isEqualTo("buyer_did_not_confirm");
        } finally {
            sandbox.clearFaults();
        }
    }

    @Test
    void refundWithAnUnknownOutcomeStaysPendingUntilSyncSettlesItExactlyOnce() {
        String no = uniqueOrderNo();
        String id = paidQr(no, "8.00");
        // every attempt (the client retries a refund: it carries its out_request_no) is answered ACQ.SYSTEM_ERROR
        sandbox.addFault(
                "{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.refund\"],\"answer\":\"system_error\","
                        + "\"count\":3}");
        Api.Response refund;
        try {
            refund = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"2.00\"}");
        } finally {
            sandbox.clearFaults();
        }
        assertThat(refund.status()).as(refund.body()).isEqualTo(201);
        assertThat(refund.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("0.00");

        // sync re-sends the same out_request_no; a second sync finds nothing left to do
        assertThat(api.post("/api/v1/payments/" + id + "/sync", null).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/payments/" + id + "/sync", null).status()).isEqualTo(200);
        JsonNode refunds = api.get("/api/v1/payments/" + id + "/refunds").json().get("data");
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("2.00");
        assertThat(sandbox.trade(no).get("refunded_amount").asText()).isEqualTo("2.00");
        assertThat(eventCount(id, "refund.succeeded")).isEqualTo(1);
    }

    @Test
    void barcodePaymentWithARefusedCodeIsClosedWithAlipaysReason() {
        Api.Response r = api.post(
                "/api/v1/payments",
                "{\"amount\":\"6.00\",\"subject\":\"Tea\",\"method\":\"barcode\","
                        + "\"auth_code\":\"271234567890123456\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().get("code").asString()).isEqualTo("alipay_rejected");
        assertThat(r.json().get("alipay_sub_code").asString()).isEqualTo("ACQ.BUYER_BALANCE_NOT_ENOUGH");
        assertThat(r.json().get("payment").get("status").asString()).isEqualTo("CLOSED");
    }

    @Test
    void closingAnUnpaidPaymentClosesItAtAlipayToo() {
        String no = uniqueOrderNo();
        JsonNode created = createQr(no, "12.00");
        sandbox.scan(no); // the trade now exists at Alipay, waiting for the buyer
        Api.Response closed = api.post("/api/v1/payments/" + created.get("id").asString() + "/close", null);
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.json().get("status").asString()).isEqualTo("CLOSED");
        assertThat(sandbox.trade(no).get("trade_status").asText()).isEqualTo("TRADE_CLOSED");
        assertThat(eventCount(created.get("id").asString(), "payment.closed")).isEqualTo(1);

        Api.Response again = api.post("/api/v1/payments/" + created.get("id").asString() + "/close", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(eventCount(created.get("id").asString(), "payment.closed")).isEqualTo(1);
    }

    @Test
    void closingAPaymentAlipayNeverCreatedCountsAsClosed() {
        JsonNode created = createQr(uniqueOrderNo(), "12.00"); // QR never scanned: ACQ.TRADE_NOT_EXIST
        Api.Response closed = api.post("/api/v1/payments/" + created.get("id").asString() + "/close", null);
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.json().get("status").asString()).isEqualTo("CLOSED");
    }

    @Test
    void closingAPaidPaymentIsAConflict() {
        String no = uniqueOrderNo();
        String id = paidQr(no, "12.00");
        Api.Response r = api.post("/api/v1/payments/" + id + "/close", null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asString()).isEqualTo("payment_already_paid");
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
    }

    @Test
    void expiredPaymentIsClosedAtAlipayThenHere() {
        String no = uniqueOrderNo();
        JsonNode created = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"3.00\",\"subject\":\"Cake\","
                + "\"method\":\"qr\",\"expire_minutes\":1}");
        sandbox.scan(no);
        try {
            clock.advance(Duration.ofMinutes(2));
            paymentSync.runOnce();
        } finally {
            clock.reset();
        }
        JsonNode closed = payment(created.get("id").asString());
        assertThat(closed.get("status").asString()).isEqualTo("CLOSED");
        assertThat(closed.get("closed_at").isNull()).isFalse();
        assertThat(sandbox.trade(no).get("trade_status").asText()).isEqualTo("TRADE_CLOSED");
    }

    @Test
    void anExpiredPaymentThatLostItsSyncTimeIsStillClosed() {
        String no = uniqueOrderNo();
        String id = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"3.10\",\"subject\":\"Tea\","
                        + "\"method\":\"qr\",\"expire_minutes\":1}")
                .get("id")
                .asString();
        jdbc.sql("UPDATE payments SET next_sync_at = NULL WHERE id = ?")
                .param(id)
                .update();
        try {
            clock.advance(Duration.ofMinutes(2));
            assertThat(paymentSync.runOnce()).isGreaterThanOrEqualTo(1);
        } finally {
            clock.reset();
        }
        assertThat(payment(id).get("status").asString()).isEqualTo("CLOSED");
        assertThat(sandbox.trade(no).get("trade_status").asText()).isEqualTo("TRADE_CLOSED");
    }

    @Test
    void aRefundAlipayRefusesFailsAndIsAnnouncedOnce() {
        // paid here (a notification signed with the sandbox's key) while the QR code was never scanned at Alipay:
        // Alipay refuses the refund for good
        JsonNode created = createQr(uniqueOrderNo(), "4.00");
        String id = created.get("id").asString();
        assertThat(postNotification(signedByAlipay(notification(created, "TRADE_SUCCESS")))
                        .body())
                .isEqualTo("success");
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");

        Api.Response refund = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"1.00\"}");
        assertThat(refund.status()).as(refund.body()).isEqualTo(201);
        assertThat(refund.json().get("status").asString()).isEqualTo("FAILED");
        assertThat(refund.json().get("failure").get("code").asString()).startsWith("ACQ.");
        assertThat(eventCount(id, "refund.failed")).isEqualTo(1);
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("0.00");
    }

    @Test
    void refundingMoreThanWhatIsLeftIsRefusedAndChangesNothing() {
        String no = uniqueOrderNo();
        String id = paidQr(no, "4.00");
        assertThat(api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"3.00\"}")
                        .status())
                .isEqualTo(201);

        Api.Response tooMuch = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"1.01\"}");
        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.contentType()).startsWith("application/problem+json");
        assertThat(tooMuch.json().get("code").asString()).isEqualTo("refund_exceeds_remaining");
        assertThat(tooMuch.json().get("refundable_amount").asString()).isEqualTo("1.00");
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("3.00");
        assertThat(api.get("/api/v1/payments/" + id + "/refunds").json().get("data"))
                .hasSize(1);
    }

    @Test
    void refundingAFullyRefundedPaymentIsMoreThanWhatIsLeft() {
        String no = uniqueOrderNo();
        String id = paidQr(no, "2.00");
        assertThat(api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"2.00\"}")
                        .status())
                .isEqualTo(201);
        assertThat(payment(id).get("status").asString()).isEqualTo("REFUNDED");

        Api.Response more = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"0.01\"}");
        assertThat(more.status()).as(more.body()).isEqualTo(422);
        assertThat(more.contentType()).startsWith("application/problem+json");
        assertThat(more.json().get("code").asString()).isEqualTo("refund_exceeds_remaining");
        assertThat(more.json().get("refundable_amount").asString()).isEqualTo("0.00");
        assertThat(api.get("/api/v1/payments/" + id + "/refunds").json().get("data"))
                .hasSize(1);

        Api.Response close = api.post("/api/v1/payments/" + id + "/close", null);
        assertThat(close.status()).isEqualTo(409);
        assertThat(close.json().get("code").asString()).isEqualTo("payment_already_paid");
        assertThat(close.json().get("detail").asString())
                .contains("fully refunded")
                .doesNotContain("refund it instead");
    }

    @Test
    void refundingAnUnpaidPaymentIsAConflict() {
        String id = createQr(uniqueOrderNo(), "4.00").get("id").asString();
        Api.Response r = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"1.00\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asString()).isEqualTo("payment_not_refundable");
    }

    @Test
    void syncAppliesAPaymentWhoseNotificationHasNotArrived() {
        String no = uniqueOrderNo();
        String id = createQr(no, "2.50").get("id").asString();
        sandbox.addFault("{\"type\":\"drop_notifications\"}");
        try {
            sandbox.pay(no);
            Api.Response synced = api.post("/api/v1/payments/" + id + "/sync", null);
            assertThat(synced.status()).as(synced.body()).isEqualTo(200);
            assertThat(synced.json().get("status").asString()).isEqualTo("PAID");
        } finally {
            sandbox.clearFaults();
        }
    }

    @Test
    void paymentIsFoundByOutTradeNo() {
        String no = uniqueOrderNo();
        String id = createQr(no, "1.00").get("id").asString();
        Api.Response r = api.get("/api/v1/payments?out_trade_no=" + no);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("data")).hasSize(1);
        assertThat(r.json().get("data").get(0).get("id").asString()).isEqualTo(id);
        assertThat(api.get("/api/v1/payments?out_trade_no=nope-" + no).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/payments/pay_unknown").json().get("code").asString())
                .isEqualTo("payment_not_found");
    }

    @Test
    void returnPageShowsTheStoredStateAfterVerifyingAlipaysParameters() {
        String no = uniqueOrderNo();
        JsonNode created = create(
                "{\"out_trade_no\":\"" + no + "\",\"amount\":\"9.00\",\"subject\":\"Book\",\"method\":\"page\"}");
        api.open(created.get("action").get("url").asString());
        sandbox.pay(no);
        awaitStatus(created.get("id").asString(), "PAID");

        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("charset", "utf-8");
        params.put("out_trade_no", no);
        params.put("method", "alipay.trade.page.pay.return");
        params.put("total_amount", "9.00");
        params.put("trade_no", "2026000000000001");
        params.put("auth_app_id", APP_ID);
        params.put("version", "1.0");
        params.put("app_id", APP_ID);
        params.put("seller_id", SELLER_ID);
        params.put("timestamp", "2026-01-01 12:00:00");
        String query = new String(signedByAlipay(params), StandardCharsets.US_ASCII);
        Api.Response page = api.anonymous("GET", "/return/alipay?" + query, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("data-status=\"PAID\"");

        Api.Response forged = api.anonymous(
                "GET", "/return/alipay?" + query.replace("total_amount=9.00", "total_amount=0.01"), null, null);
        assertThat(forged.status()).isEqualTo(400);
    }

    @Test
    void demoShopSendsTheBuyerToTheCashierAndShowsTheOrder() {
        dev.zhifu.payments.testing.PageClient buyer = new dev.zhifu.payments.testing.PageClient(api.base());
        java.net.http.HttpResponse<String> checkout = buyer.get("/demo/checkout?product=custom");
        assertThat(checkout.statusCode()).isEqualTo(200);
        assertThat(checkout.body()).contains("action=\"/demo/checkout\"");
        String token = dev.zhifu.payments.testing.PageClient.csrfOf(checkout);

        java.net.http.HttpResponse<String> page = buyer.post(
                "/demo/checkout",
                java.util.Map.of(
                        "_csrf", token, "product", "custom", "subject", "Coffee", "amount", "9.90", "method", "page"));
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location").orElseThrow()).startsWith(api.base() + "/sandbox/gateway.do?");

        java.net.http.HttpResponse<String> qr = buyer.post(
                "/demo/checkout",
                java.util.Map.of(
                        "_csrf", token, "product", "custom", "subject", "Coffee", "amount", "9.90", "method", "qr"));
        assertThat(qr.statusCode()).isEqualTo(303);
        java.net.http.HttpResponse<String> order =
                buyer.get(qr.headers().firstValue("Location").orElseThrow());
        assertThat(order.body()).contains("data-status=\"PENDING\"").contains("/sandbox/qr/");
    }

    @Test
    void concurrentRefundsNeverAddUpToMoreThanWasPaid() throws Exception {
        String no = uniqueOrderNo();
        String id = paidQr(no, "10.00");
        int attempts = 6; // 6 x 3.00 asked, 10.00 paid: exactly three fit
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Api.Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"3.00\"}");
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Api.Response> answer : answers) {
                statuses.add(answer.get().status());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(3);
        assertThat(statuses.stream().filter(s -> s == 422).count()).isEqualTo(3);
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("9.00");
        assertThat(sandbox.trade(no).get("refunded_amount").asText()).isEqualTo("9.00");
    }
}
