package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.payments.PaymentSyncJob;
import dev.zhifu.payments.refunds.RefundSyncJob;
import dev.zhifu.payments.storage.Times;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.CountingAlipayListener;
import dev.zhifu.payments.testing.ServiceSuite;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Sandbox faults (lost notifications, {@code ACQ.SYSTEM_ERROR}, HTTP 502, time-outs) healed by the sync jobs and
 * the client's retries; a gateway that keeps failing opens the circuit breaker and the API answers 503
 * {@code alipay_unavailable} at once without calling it.
 */
public abstract class FaultSuite extends ServiceSuite {

    @Autowired
    PaymentSyncJob paymentSync;

    @Autowired
    RefundSyncJob refundSync;

    @Autowired
    AlipayGateway gateway;

    @Autowired
    CountingAlipayListener calls;

    @AfterEach
    void clearFaults() {
        sandbox.clearFaults();
        gateway.circuitBreaker().reset();
    }

    /** A QR payment the buyer paid whose notification never arrived. */
    private String paidWithLostNotification(String amount) {
        String no = uniqueOrderNo();
        String id = createQr(no, amount).get("id").asString();
        withNotificationsLost(no, 1, () -> sandbox.pay(no));
        assertThat(payment(id).get("status").asString()).isEqualTo("PENDING");
        return id;
    }

    /** Only this payment is due, so the fault budgets are spent on it and not on others' leftovers. */
    private void onlyDue(String id) {
        jdbc.sql("UPDATE payments SET next_sync_at = ? WHERE id <> ? AND status = 'PENDING'")
                .params(Times.db(Instant.now().plusSeconds(3600)), id)
                .update();
        dueNow("payments", id);
    }

    private void dueNow(String table, String id) {
        jdbc.sql("UPDATE " + table + " SET next_sync_at = ? WHERE id = ?")
                .params(Times.db(Instant.now()), id)
                .update();
    }

    @Test
    void aLostNotificationIsHealedByTheSyncJob() {
        String id = paidWithLostNotification("7.10");
        dueNow("payments", id);
        paymentSync.runOnce();
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);
    }

    @Test
    void anExpiredPaymentFoundPaidAtAlipayBecomesPaidNotClosed() {
        String id = paidWithLostNotification("7.50");
        try {
            clock.advance(java.time.Duration.ofMinutes(31)); // past expires_at (30 min) and the margin
            paymentSync.runOnce();
        } finally {
            clock.reset();
        }
        JsonNode p = payment(id);
        assertThat(p.get("status").asString()).isEqualTo("PAID");
        assertThat(eventCount(id, "payment.closed")).isZero();
    }

    @Test
    void aBarcodePollLeftByAStoppedInstanceIsCarriedOnByTheSyncJob() {
        // as an instance that died mid-poll leaves them: barcode_deadline and next_sync_at stored, nobody polling
        String paid = paidWithLostNotification("7.60");
        String no = uniqueOrderNo();
        String unpaid = createQr(no, "7.70").get("id").asString();
        Instant now = Instant.now();
        jdbc.sql("UPDATE payments SET method = 'BARCODE', barcode_deadline = ?, next_sync_at = ? WHERE id = ?")
                .params(Times.db(now.plusSeconds(60)), Times.db(now), paid)
                .update();
        jdbc.sql("UPDATE payments SET method = 'BARCODE', barcode_deadline = ?, next_sync_at = ? WHERE id = ?")
                .params(Times.db(now.minusSeconds(1)), Times.db(now), unpaid)
                .update();
        paymentSync.runOnce();
        assertThat(payment(paid).get("status").asString()).isEqualTo("PAID");
        JsonNode cancelled = payment(unpaid);
        assertThat(cancelled.get("status").asString())
                .as("past its deadline: cancelled")
                .isEqualTo("CLOSED");
        assertThat(cancelled.get("failure").get("code").asString()).isEqualTo("buyer_did_not_confirm");
    }

    @Test
    void anUnscannedQrCodeIsNotAFailureAndIsAskedAboutAgainLater() {
        String no = uniqueOrderNo();
        String id = createQr(no, "7.80").get("id").asString();
        dueNow("payments", id);
        paymentSync.runOnce(); // ACQ.TRADE_NOT_EXIST
        assertThat(payment(id).get("status").asString()).isEqualTo("PENDING");
        java.time.LocalDateTime next = jdbc.sql("SELECT next_sync_at FROM payments WHERE id = ?")
                .param(id)
                .query(java.time.LocalDateTime.class)
                .single();
        java.time.LocalDateTime expires = jdbc.sql("SELECT expires_at FROM payments WHERE id = ?")
                .param(id)
                .query(java.time.LocalDateTime.class)
                .single();
        assertThat(next).isAfter(Times.db(Instant.now())).isBefore(expires.plusMinutes(1));
    }

    @Test
    void systemErrorsAnd502sOfTheQueryAreRetriedByTheClient() {
        String id = paidWithLostNotification("7.20");
        sandbox.addFault(
                "[{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.query\"],\"answer\":\"system_error\",\"count\":1},"
                        + "{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.query\"],\"answer\":\"http_502\",\"count\":1}]");
        onlyDue(id);
        paymentSync.runOnce();
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
    }

    @Test
    void aGatewayFailingLongerThanTheRetriesIsHealedByTheNextSyncRound() {
        String id = paidWithLostNotification("7.30");
        sandbox.addFault(
                "{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.query\"],\"answer\":\"system_error\",\"count\":3}");
        onlyDue(id);
        paymentSync.runOnce();
        assertThat(payment(id).get("status").asString())
                .as("still unknown after 3 failed attempts")
                .isEqualTo("PENDING");
        assertThat(jdbc.sql("SELECT next_sync_at FROM payments WHERE id = ?")
                        .param(id)
                        .query(java.time.LocalDateTime.class)
                        .single())
                .as("asked again later")
                .isNotNull();
        dueNow("payments", id);
        paymentSync.runOnce();
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
    }

    @Test
    void aQueryTimingOutIsRetried() {
        String id = paidWithLostNotification("7.40");
        // held past alipay.read-timeout (10 s in these suites)
        sandbox.addFault("{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.query\"],\"answer\":\"timeout\","
                + "\"hang_ms\":12000,\"count\":1}");
        Api.Response synced = api.post("/api/v1/payments/" + id + "/sync", null);
        assertThat(synced.status()).as(synced.body()).isEqualTo(200);
        assertThat(synced.json().get("status").asString()).isEqualTo("PAID");
    }

    @Test
    void aRefundWhoseOutcomeStaysUnknownIsSettledByTheRefundJobOnce() {
        String no = uniqueOrderNo();
        String id = paidQr(no, "8.00");
        sandbox.addFault("[{\"type\":\"gateway_error\",\"methods\":[\"alipay.trade.refund\","
                + "\"alipay.trade.fastpay.refund.query\"],\"answer\":\"system_error\",\"count\":20}]");
        Api.Response refund = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"3.00\"}");
        assertThat(refund.status()).as(refund.body()).isEqualTo(201);
        assertThat(refund.json().get("status").asString()).isEqualTo("PENDING");
        String refundId = refund.json().get("id").asString();

        refundSync.runOnce(); // not due yet: nothing happens
        sandbox.clearFaults();
        dueNow("refunds", refundId);
        refundSync.runOnce();
        JsonNode refunds = api.get("/api/v1/payments/" + id + "/refunds").json().get("data");
        assertThat(refunds.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("3.00");
        assertThat(sandbox.trade(no).get("refunded_amount").asText()).isEqualTo("3.00");
        dueNow("refunds", refundId);
        refundSync.runOnce();
        assertThat(payment(id).get("refunded_amount").asString())
                .as("applied once")
                .isEqualTo("3.00");
    }

    @Test
    void aFailingGatewayOpensTheCircuitAndTheApiAnswers503AtOnce() {
        String no = uniqueOrderNo();
        String id = createQr(no, "9.00").get("id").asString();
        sandbox.addFault("{\"type\":\"gateway_error\",\"answer\":\"http_502\",\"count\":1000}");
        for (int i = 0; i < 12; i++) {
            Api.Response r = api.post("/api/v1/payments/" + id + "/sync", null);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("code").asString()).isEqualTo("alipay_unavailable");
        }
        assertThat(gateway.circuitBreaker().getState().name()).isEqualTo("OPEN");

        int before = calls.total();
        Api.Response refused =
                api.post("/api/v1/payments", "{\"amount\":\"1.00\",\"subject\":\"Tea\",\"method\":\"qr\"}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("alipay_unavailable");
        assertThat(calls.total())
                .as("the gateway is not called while the circuit is open")
                .isEqualTo(before);

        sandbox.clearFaults();
        gateway.circuitBreaker().transitionToHalfOpenState(); // as after alipay.calls.circuit-breaker.open-for
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/api/v1/payments/" + id + "/sync", null).status())
                    .isEqualTo(200);
        }
        assertThat(gateway.circuitBreaker().getState().name()).isEqualTo("CLOSED");
    }
}
