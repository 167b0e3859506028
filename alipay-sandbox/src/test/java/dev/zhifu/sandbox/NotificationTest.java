package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayClient;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayTradePayRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.zhifu.sandbox.control.SandboxControlClient;
import dev.zhifu.sandbox.notify.NotificationCenter;
import dev.zhifu.sandbox.time.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications on a manual clock: every send happens inside {@link ManualTime#advance}, so the retry schedule
 * is checked in virtual time, deterministically.
 */
class NotificationTest {

    private ManualTime time;
    private AlipaySandbox sandbox;
    private SandboxControlClient control;
    private NotifyReceiver receiver;
    private AlipayClient client;

    @BeforeEach
    void start() throws Exception {
        time = new ManualTime(Instant.parse("2024-06-01T04:00:00Z"));
        sandbox = AlipaySandbox.builder().clock(time).scheduler(time).build().start();
        control = sandbox.control();
        receiver = new NotifyReceiver();
        client = Sdk.publicKeyClient(sandbox, "UTF-8");
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    private String pay(String charset, String amount) throws Exception {
        String no = Sdk.orderNo("NT");
        AlipayTradePayRequest request = new AlipayTradePayRequest();
        request.setNotifyUrl(receiver.url());
        request.setBizContent(
                "{\"out_trade_no\":\"" + no + "\",\"scene\":\"bar_code\",\"auth_code\":\"281234567890123456\","
                        + "\"subject\":\"通知 测试&=\",\"total_amount\":\"" + amount + "\"}");
        assertThat(Sdk.publicKeyClient(sandbox, charset).execute(request).isSuccess())
                .isTrue();
        return no;
    }

    private void refund(String no, String amount, String requestNo) throws Exception {
        AlipayTradeRefundRequest request = new AlipayTradeRefundRequest();
        request.setBizContent("{\"out_trade_no\":\"" + no + "\",\"refund_amount\":\"" + amount
                + "\",\"out_request_no\":\"" + requestNo + "\"}");
        assertThat(client.execute(request).isSuccess()).isTrue();
    }

    private boolean verifies(NotifyReceiver.Received r) throws Exception {
        return AlipaySignature.rsaCheckV1(
                new HashMap<>(r.params()), sandbox.alipayPublicKeyBase64(), r.charset(), "RSA2");
    }

    @Test
    void paymentNotificationVerifiesWithTheSdkInUtf8AndGbk() throws Exception {
        for (String charset : List.of("UTF-8", "GBK")) {
            String no = pay(charset, "88.88");
            time.runDue();
            List<NotifyReceiver.Received> got = receiver.receivedFor(no);
            assertThat(got).hasSize(1);
            Map<String, String> p = got.get(0).params();
            assertThat(p)
                    .containsEntry("trade_status", "TRADE_SUCCESS")
                    .containsEntry("total_amount", "88.88")
                    .containsEntry("notify_type", "trade_status_sync")
                    .containsEntry("subject", "通知 测试&=")
                    .containsEntry("charset", charset.toLowerCase())
                    .containsEntry("app_id", sandbox.appId())
                    .containsEntry("seller_id", sandbox.sellerId());
            assertThat(got.get(0).contentType()).startsWith("application/x-www-form-urlencoded");
            assertThat(got.get(0).upgrade())
                    .as("a plain HTTP/1.1 post, as Alipay's")
                    .isNull();
            assertThat(verifies(got.get(0))).isTrue();
            JsonNode listed = control.notifications(no);
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("acknowledged").asBoolean()).isTrue();
            assertThat(listed.get(0).get("notify_id").asText()).isEqualTo(p.get("notify_id"));
            assertThat(listed.get(0).get("attempts").get(0).get("http_status").asInt())
                    .isEqualTo(200);
            assertThat(listed.get(0).get("attempts").get(0).get("body").asText())
                    .isEqualTo("success");
        }
    }

    @Test
    void resentOnAlipaysScheduleUntilTheBodyIsExactlySuccess() throws Exception {
        receiver.answer("fail", "SUCCESS", "success ", "<html>success</html>");
        String no = pay("UTF-8", "1.00");
        time.advance(Duration.ofDays(2));
        JsonNode n = control.notifications(no).get(0);
        assertThat(n.get("acknowledged").asBoolean()).isTrue();
        JsonNode attempts = n.get("attempts");
        assertThat(attempts).hasSize(5);
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            gaps.add(Duration.between(
                    Instant.parse(attempts.get(i - 1).get("at").asText()),
                    Instant.parse(attempts.get(i).get("at").asText())));
        }
        assertThat(gaps).isEqualTo(NotificationCenter.RETRY_GAPS.subList(0, 4));
        assertThat(receiver.receivedFor(no))
                .extracting(r -> r.params().get("notify_id"))
                .containsOnly(n.get("notify_id").asText());
    }

    @Test
    void givesUpAfterEightSends() throws Exception {
        receiver.answer("fail", "fail", "fail", "fail", "fail", "fail", "fail", "fail", "fail");
        String no = pay("UTF-8", "1.00");
        time.advance(Duration.ofDays(3));
        JsonNode n = control.notifications(no).get(0);
        assertThat(n.get("acknowledged").asBoolean()).isFalse();
        assertThat(n.get("attempts")).hasSize(8);
    }

    @Test
    void timeScaleDividesTheSchedule() throws Exception {
        try (NotifyReceiver slow = new NotifyReceiver();
                AlipaySandbox fast =
                        AlipaySandbox.builder().timeScale(200_000).build().start()) {
            slow.answer("no", "no", "no");
            String no = Sdk.orderNo("TS");
            AlipayTradePayRequest request = new AlipayTradePayRequest();
            request.setNotifyUrl(slow.url());
            request.setBizContent(
                    "{\"out_trade_no\":\"" + no + "\",\"scene\":\"bar_code\",\"auth_code\":\"281234567890123456\","
                            + "\"subject\":\"s\",\"total_amount\":\"1.00\"}");
            Sdk.publicKeyClient(fast, "UTF-8").execute(request);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode n = fast.control().notifications(no).get(0);
            // the 4th send is answered "success"; the sandbox records it just after the receiver sees it
            while (!n.get("acknowledged").asBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                n = fast.control().notifications(no).get(0);
            }
            assertThat(n.get("acknowledged").asBoolean()).isTrue();
            assertThat(n.get("attempts")).hasSize(4);
            assertThat(slow.receivedFor(no)).hasSize(4);
        }
    }

    @Test
    void partialRefundKeepsTradeSuccessFullRefundCloses() throws Exception {
        String no = pay("UTF-8", "10.00");
        refund(no, "4.00", "P1");
        refund(no, "6.00", "P2");
        time.runDue();
        List<NotifyReceiver.Received> got = receiver.receivedFor(no);
        assertThat(got).hasSize(3);
        Map<String, String> partial = got.get(1).params();
        assertThat(partial)
                .containsEntry("trade_status", "TRADE_SUCCESS")
                .containsEntry("refund_fee", "4.00")
                .containsEntry("out_biz_no", "P1")
                .containsKey("gmt_refund");
        Map<String, String> full = got.get(2).params();
        assertThat(full)
                .containsEntry("trade_status", "TRADE_CLOSED")
                .containsEntry("refund_fee", "10.00")
                .containsEntry("out_biz_no", "P2")
                .containsKey("gmt_close");
        for (NotifyReceiver.Received r : got) {
            assertThat(verifies(r)).isTrue();
        }
    }

    @Test
    void closeAndExpiryAreNotified() throws Exception {
        String no = Sdk.orderNo("EX");
        com.alipay.api.request.AlipayTradeCreateRequest create = new com.alipay.api.request.AlipayTradeCreateRequest();
        create.setNotifyUrl(receiver.url());
        create.setBizContent("{\"out_trade_no\":\"" + no
                + "\",\"total_amount\":\"1.00\",\"subject\":\"e\",\"timeout_express\":\"5m\"}");
        assertThat(client.execute(create).isSuccess()).isTrue();
        time.advance(Duration.ofMinutes(6));
        assertThat(control.trade(no).get("trade_status").asText()).isEqualTo("TRADE_CLOSED");
        time.runDue();
        assertThat(receiver.receivedFor(no))
                .singleElement()
                .satisfies(r -> assertThat(r.params())
                        .containsEntry("trade_status", "TRADE_CLOSED")
                        .containsKey("gmt_close"));
    }

    @Test
    void duplicateFaultDeliversTheSameNotificationTwice() throws Exception {
        control.addFault("{\"type\":\"duplicate_notifications\",\"count\":1}");
        String no = pay("UTF-8", "2.00");
        time.runDue();
        List<NotifyReceiver.Received> got = receiver.receivedFor(no);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).params()).isEqualTo(got.get(1).params());
        assertThat(control.notifications(no).get(0).get("attempts")).hasSize(2);
    }

    @Test
    void dropFaultLosesTheFirstSendAndTheRetryDelivers() throws Exception {
        control.addFault("{\"type\":\"drop_notifications\",\"count\":1}");
        String no = pay("UTF-8", "2.00");
        time.runDue();
        assertThat(receiver.receivedFor(no)).isEmpty();
        time.advance(Duration.ofMinutes(4));
        assertThat(receiver.receivedFor(no)).hasSize(1);
        JsonNode attempts = control.notifications(no).get(0).get("attempts");
        assertThat(attempts.get(0).get("http_status").asInt()).isZero();
        assertThat(attempts.get(1).get("http_status").asInt()).isEqualTo(200);
    }

    @Test
    void reorderFaultDeliversTheRefundBeforeThePayment() throws Exception {
        control.addFault("{\"type\":\"reorder_notifications\",\"count\":2}");
        String no = pay("UTF-8", "5.00");
        time.runDue();
        assertThat(receiver.receivedFor(no)).isEmpty(); // held until the group is complete
        refund(no, "5.00", "R1");
        time.runDue();
        assertThat(receiver.receivedFor(no))
                .extracting(r -> r.params().get("trade_status"))
                .containsExactly("TRADE_CLOSED", "TRADE_SUCCESS");
    }

    @Test
    void delayFaultHoldsTheFirstSend() throws Exception {
        control.addFault("{\"type\":\"delay_notifications\",\"delay_ms\":60000}");
        String no = pay("UTF-8", "5.00");
        time.runDue();
        assertThat(receiver.receivedFor(no)).isEmpty();
        time.advance(Duration.ofMinutes(1));
        assertThat(receiver.receivedFor(no)).hasSize(1);
    }

    @Test
    void userPayingBarcodeSettlesLaterAndNotifies() throws Exception {
        String no = Sdk.orderNo("UP");
        AlipayTradePayRequest request = new AlipayTradePayRequest();
        request.setNotifyUrl(receiver.url());
        request.setBizContent(
                "{\"out_trade_no\":\"" + no + "\",\"scene\":\"bar_code\",\"auth_code\":\"261234567890123456\","
                        + "\"subject\":\"wait\",\"total_amount\":\"3.00\"}");
        assertThat(client.execute(request).getCode()).isEqualTo("10003");
        assertThat(control.trade(no).get("trade_status").asText()).isEqualTo("WAIT_BUYER_PAY");
        time.advance(Duration.ofSeconds(5));
        assertThat(control.trade(no).get("trade_status").asText()).isEqualTo("TRADE_SUCCESS");
        assertThat(receiver.receivedFor(no)).hasSize(1);
    }
}
