package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayClient;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import com.wechat.pay.java.service.refund.model.Status;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.time.ManualTime;
import dev.zhifu.sandbox.wechat.notify.WechatNotifier;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications on a manual clock: every send happens inside {@link ManualTime#advance}, so the schedule is exact.
 * The official SDK's {@link NotificationParser} verifies and decrypts what the receiver got.
 */
class WechatNotificationTest {

    private ManualTime time;
    private AlipaySandbox sandbox;
    private WechatNotifyReceiver receiver;
    private HttpClient http;

    private void start(double timeScale) throws Exception {
        // the clock starts at the real time: the SDK refuses answers more than five minutes off
        time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        sandbox = AlipaySandbox.builder()
                .clock(time)
                .scheduler(time)
                .timeScale(timeScale)
                .build()
                .start();
        receiver = new WechatNotifyReceiver();
        http = WechatSdkClients.httpClient(sandbox, WechatSdkClients.publicKeyConfig(sandbox));
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    private String paidOrder(int fen) {
        String no = "NT" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        PrepayRequest request = new PrepayRequest();
        request.setAppid(sandbox.wechatPay().appid());
        request.setMchid(sandbox.wechatPay().mchid());
        request.setDescription("通知测试");
        request.setOutTradeNo(no);
        request.setNotifyUrl(receiver.url());
        Amount amount = new Amount();
        amount.setTotal(fen);
        request.setAmount(amount);
        new NativePayService.Builder().httpClient(http).build().prepay(request);
        sandbox.control().pay(no);
        return no;
    }

    private NotificationParser parser() {
        return new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(sandbox.wechatPayPublicKey())
                .publicKeyId(sandbox.wechatPay().publicKeyId())
                .apiV3Key(sandbox.wechatPay().apiV3Key())
                .build());
    }

    private JsonNode notifications(String no) {
        return sandbox.control().notifications(no);
    }

    @Test
    void paymentNotificationIsVerifiedAndDecryptedByTheSdk() throws Exception {
        start(1);
        String no = paidOrder(888);

        time.runDue();

        assertThat(receiver.received()).hasSize(1);
        WechatNotifyReceiver.Received r = receiver.received().get(0);
        Transaction t = parser().parse(r.param(), Transaction.class);
        assertThat(t.getOutTradeNo()).isEqualTo(no);
        assertThat(t.getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
        assertThat(t.getAmount().getTotal()).isEqualTo(888);
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("event_type").asText()).isEqualTo("TRANSACTION.SUCCESS");
        assertThat(body.at("/resource/associated_data").asText()).isEqualTo("transaction");
        JsonNode listed = notifications(no).get(0);
        assertThat(listed.get("id").asText()).isEqualTo(body.get("id").asText());
        assertThat(listed.get("event_type").asText()).isEqualTo("TRANSACTION.SUCCESS");
        assertThat(listed.get("acknowledged").asBoolean()).isTrue();
        assertThat(listed.get("attempts")).hasSize(1);
    }

    @Test
    void refundNotificationIsVerifiedAndDecryptedByTheSdk() throws Exception {
        start(1);
        String no = paidOrder(300);
        CreateRequest create = new CreateRequest();
        create.setOutTradeNo(no);
        create.setOutRefundNo("R" + no);
        create.setNotifyUrl(receiver.url());
        AmountReq amount = new AmountReq();
        amount.setRefund(300L);
        amount.setTotal(300L);
        amount.setCurrency("CNY");
        create.setAmount(amount);
        new RefundService.Builder().httpClient(http).build().create(create);

        time.runDue(); // the payment's notification, the refund completing, then its notification

        assertThat(receiver.received()).hasSize(2);
        RefundNotification refund = parser().parse(receiver.received().get(1).param(), RefundNotification.class);
        assertThat(refund.getOutRefundNo()).isEqualTo("R" + no);
        assertThat(refund.getRefundStatus()).isEqualTo(Status.SUCCESS);
        assertThat(refund.getAmount().getRefund()).isEqualTo(300L);
        assertThat(notifications(no).get(1).get("event_type").asText()).isEqualTo("REFUND.SUCCESS");
    }

    @Test
    void noContentAcknowledgesToo() throws Exception {
        start(1);
        receiver.answer(204);
        String no = paidOrder(1);

        time.runDue();
        time.advance(Duration.ofMinutes(5));

        assertThat(receiver.received()).hasSize(1);
        assertThat(notifications(no).get(0).get("acknowledged").asBoolean()).isTrue();
    }

    @Test
    void resentOnWechatPaysScheduleWithTheSameIdUntilAcknowledged() throws Exception {
        start(1);
        receiver.answer(500, 500, 500, 500);
        String no = paidOrder(1);
        Instant paidAt = time.instant();

        time.advance(Duration.ofHours(1));

        List<Duration> sentAfter = new ArrayList<>();
        for (JsonNode attempt : notifications(no).get(0).get("attempts")) {
            sentAfter.add(
                    Duration.between(paidAt, Instant.parse(attempt.get("at").asText())));
        }
        // 0, then 15 s, 15 s, 30 s, 3 min later; the fifth send is answered 200 and nothing follows
        assertThat(sentAfter)
                .containsExactly(
                        Duration.ZERO,
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(240));
        assertThat(receiver.received())
                .extracting(r -> idOf(r.body()))
                .containsOnly(idOf(receiver.received().get(0).body()));
        assertThat(notifications(no).get(0).get("acknowledged").asBoolean()).isTrue();
    }

    @Test
    void givesUpAfterSixteenSendsOverAboutOneDay() throws Exception {
        start(1);
        for (int i = 0; i < 40; i++) {
            receiver.answer(503);
        }
        String no = paidOrder(1);

        time.advance(Duration.ofDays(2));

        assertThat(notifications(no).get(0).get("attempts")).hasSize(WechatNotifier.RETRY_GAPS.size() + 1);
        assertThat(notifications(no).get(0).get("acknowledged").asBoolean()).isFalse();
    }

    @Test
    void timeScaleDividesTheSchedule() throws Exception {
        start(15);
        receiver.answer(500, 500);
        String no = paidOrder(1);
        Instant paidAt = time.instant();

        time.advance(Duration.ofSeconds(3));

        List<Duration> sentAfter = new ArrayList<>();
        for (JsonNode attempt : notifications(no).get(0).get("attempts")) {
            sentAfter.add(
                    Duration.between(paidAt, Instant.parse(attempt.get("at").asText())));
        }
        assertThat(sentAfter).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void droppedSendIsRetriedOnTheSchedule() throws Exception {
        start(1);
        sandbox.control().addFault("{\"type\":\"drop_notifications\",\"count\":1}");
        String no = paidOrder(1);

        time.advance(Duration.ofSeconds(15));

        JsonNode attempts = notifications(no).get(0).get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("http_status").asInt()).isZero();
        assertThat(attempts.get(1).get("http_status").asInt()).isEqualTo(200);
        assertThat(receiver.received()).hasSize(1);
    }

    private void refundAll(String no, long fen) {
        CreateRequest create = new CreateRequest();
        create.setOutTradeNo(no);
        create.setOutRefundNo("R" + no);
        create.setNotifyUrl(receiver.url());
        AmountReq amount = new AmountReq();
        amount.setRefund(fen);
        amount.setTotal(fen);
        amount.setCurrency("CNY");
        create.setAmount(amount);
        new RefundService.Builder().httpClient(http).build().create(create);
    }

    private List<String> receivedEvents() {
        return receiver.received().stream()
                .map(r -> {
                    try {
                        return new ObjectMapper()
                                .readTree(r.body())
                                .get("event_type")
                                .asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    @Test
    void reorderFaultDeliversTheRefundBeforeThePayment() throws Exception {
        start(1);
        sandbox.control().addFault("{\"type\":\"reorder_notifications\",\"count\":2}");
        String no = paidOrder(500);

        time.runDue();
        assertThat(receiver.received()).as("held until the group is complete").isEmpty();
        assertThat(notifications(no).get(0).get("attempts")).isEmpty();

        refundAll(no, 500);
        time.runDue();

        assertThat(receivedEvents()).containsExactly("REFUND.SUCCESS", "TRANSACTION.SUCCESS");
        assertThat(sandbox.control().addFault("[]").get("data"))
                .as("the fault is used up")
                .isEmpty();
        String next = paidOrder(1);
        time.runDue();
        assertThat(notifications(next).get(0).get("acknowledged").asBoolean())
                .as("sent at once again")
                .isTrue();
    }

    @Test
    void clearingTheFaultsSendsWhatTheReorderFaultHeld() throws Exception {
        start(1);
        sandbox.control().addFault("{\"type\":\"reorder_notifications\",\"count\":3}");
        String no = paidOrder(200);
        time.advance(Duration.ofMinutes(1));
        assertThat(receiver.received()).isEmpty();

        sandbox.control().clearFaults();
        time.runDue();

        assertThat(receivedEvents()).containsExactly("TRANSACTION.SUCCESS");
        assertThat(notifications(no).get(0).get("acknowledged").asBoolean()).isTrue();
    }

    @Test
    void oneReorderGroupHoldsAlipayAndWechatPayNotificationsAlike() throws Exception {
        start(1);
        sandbox.control().addFault("{\"type\":\"reorder_notifications\",\"count\":2}");
        String alipayNo = "AL" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
        create.setNotifyUrl(receiver.url());
        create.setBizContent("{\"out_trade_no\":\"" + alipayNo + "\",\"total_amount\":\"1.00\",\"subject\":\"两边\"}");
        AlipayClient alipay = new DefaultAlipayClient(
                sandbox.gatewayUrl(),
                sandbox.appId(),
                sandbox.appPrivateKeyBase64(),
                "json",
                "UTF-8",
                sandbox.alipayPublicKeyBase64(),
                "RSA2");
        assertThat(alipay.execute(create).isSuccess()).isTrue();
        sandbox.control().pay(alipayNo);
        time.runDue();
        assertThat(receiver.received()).as("Alipay's notification is held").isEmpty();

        paidOrder(100);
        time.runDue();

        assertThat(receiver.received())
                .extracting(WechatNotifyReceiver.Received::body)
                .satisfiesExactly(
                        newest -> assertThat(newest).contains("\"event_type\":\"TRANSACTION.SUCCESS\""),
                        oldest -> assertThat(oldest).contains("trade_status=TRADE_SUCCESS", alipayNo));
    }

    private static String idOf(String body) {
        try {
            return new ObjectMapper().readTree(body).get("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
