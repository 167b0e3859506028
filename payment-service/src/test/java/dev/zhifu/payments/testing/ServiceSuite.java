package dev.zhifu.payments.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.security.ApiKeys;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.sandbox.control.SandboxControlClient;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Base of the suites that run against the whole service (demo mode: the sandbox in-process) on each database.
 * PostgreSQL and MariaDB classes are skipped when their server is not reachable, unless {@code CI=true}
 * ({@link DatabaseAvailable}).
 */
public abstract class ServiceSuite {

    public static final String SELLER_ID = "2088000000000001";
    public static final String SELLER_PROPERTY = "alipay.seller-id=" + SELLER_ID;
    public static final String APP_ID = "2021000000000001";
    private static final DateTimeFormatter ALIPAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @LocalServerPort
    protected int port;

    @Autowired
    protected DemoKeys demoKeys;

    @Autowired
    protected ApiKeys apiKeys;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected MutableClock clock;

    protected Api api;
    protected SandboxControlClient sandbox;

    @BeforeEach
    void connect() {
        api = new Api("http://localhost:" + port, apiKeys.first());
        sandbox = new SandboxControlClient(api.base() + "/sandbox");
    }

    protected static String uniqueOrderNo() {
        return "t-" + Ids.random(16);
    }

    /** Creates a payment; asserts 201. */
    protected JsonNode create(String json) {
        Api.Response r = api.post("/api/v1/payments", json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    protected JsonNode createQr(String outTradeNo, String amount) {
        return create("{\"out_trade_no\":\"" + outTradeNo + "\",\"amount\":\"" + amount
                + "\",\"subject\":\"Coffee\",\"method\":\"qr\"}");
    }

    /** A QR payment the sandbox's buyer has paid; answers its id once PAID here. */
    protected String paidQr(String outTradeNo, String amount) {
        String id = createQr(outTradeNo, amount).get("id").asString();
        sandbox.pay(outTradeNo);
        awaitStatus(id, "PAID");
        return id;
    }

    protected JsonNode payment(String id) {
        Api.Response r = api.get("/api/v1/payments/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** Refunds the whole amount (asserting 201) and waits for REFUNDED. */
    protected JsonNode refundInFull(String id, String amount) {
        Api.Response refund = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"" + amount + "\"}");
        assertThat(refund.status()).as(refund.body()).isEqualTo(201);
        return awaitStatus(id, "REFUNDED");
    }

    /** Waits (bounded, polling) until the payment has the status, then answers it. */
    protected JsonNode awaitStatus(String id, String status) {
        JsonNode[] last = new JsonNode[1];
        await(
                () -> status.equals((last[0] = payment(id)).get("status").asString()),
                Duration.ofSeconds(30),
                () -> "payment " + id + " never became " + status + "; last: " + last[0]);
        return last[0];
    }

    public static void await(Supplier<Boolean> condition, Duration max, Supplier<String> failure) {
        long until = System.nanoTime() + max.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(failure.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /**
     * Runs {@code action} while the sandbox drops every notification it sends, until the trade {@code outTradeNo}
     * has had {@code notifications} new notifications sent once each (all lost); then clears the faults. A drop with a
     * count of 1 is not enough: a retry of an earlier test's notification can use it up and let this one through.
     */
    protected void withNotificationsLost(String outTradeNo, int notifications, Runnable action) {
        int before = sandbox.notifications(outTradeNo).size();
        sandbox.clearFaults();
        sandbox.addFault("{\"type\":\"drop_notifications\",\"count\":100000}");
        try {
            action.run();
            await(
                    () -> {
                        var sent = sandbox.notifications(outTradeNo);
                        if (sent.size() < before + notifications) {
                            return false;
                        }
                        for (int i = before; i < sent.size(); i++) {
                            if (sent.get(i).get("attempts").isEmpty()) {
                                return false;
                            }
                        }
                        return true;
                    },
                    Duration.ofSeconds(10),
                    () -> "the sandbox never sent " + notifications + " notification(s) of " + outTradeNo);
        } finally {
            sandbox.clearFaults();
        }
        var sent = sandbox.notifications(outTradeNo);
        for (int i = before; i < sent.size(); i++) {
            assertThat(sent.get(i).get("attempts").get(0).get("http_status").asInt())
                    .as("the first send of %s was lost", sent.get(i))
                    .isZero();
        }
    }

    protected int eventCount(String paymentId, String type) {
        return jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE payment_id = ? AND type = ?")
                .params(paymentId, type)
                .query(Integer.class)
                .single();
    }

    /** The least a paid trade notification carries (unsigned), sent at {@code notifyTime} (GMT+8). */
    public static Map<String, String> tradeSuccess(
            String appId, String sellerId, String outTradeNo, String amount, LocalDateTime notifyTime) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("notify_time", ALIPAY_TIME.format(notifyTime));
        p.put("notify_type", "trade_status_sync");
        p.put("notify_id", "ntf" + Ids.random(20));
        p.put("charset", "utf-8");
        p.put("version", "1.0");
        p.put("app_id", appId);
        p.put("trade_no", "2026" + Ids.random(12).replaceAll("[^0-9]", "7"));
        p.put("out_trade_no", outTradeNo);
        p.put("trade_status", "TRADE_SUCCESS");
        p.put("total_amount", amount);
        p.put("seller_id", sellerId);
        p.put("gmt_payment", ALIPAY_TIME.format(notifyTime));
        return p;
    }

    /** The parameters of a trade notification as Alipay sends it for this payment (unsigned). */
    protected Map<String, String> notification(JsonNode payment, String tradeStatus) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.ofHours(8));
        Map<String, String> p = tradeSuccess(
                APP_ID,
                SELLER_ID,
                payment.get("out_trade_no").asString(),
                payment.get("amount").asString(),
                now);
        p.put("auth_app_id", APP_ID);
        p.put("trade_status", tradeStatus);
        p.put("receipt_amount", payment.get("amount").asString());
        p.put("buyer_id", "2088102177846880");
        p.put("buyer_logon_id", "158****1562");
        p.put("subject", payment.get("subject").asString());
        p.put("gmt_create", ALIPAY_TIME.format(now.minusMinutes(1)));
        return p;
    }

    /** Signs with the demo sandbox's Alipay key, as the real Alipay would sign. */
    protected byte[] signedByAlipay(Map<String, String> params) {
        return new NotificationSigner(demoKeys.alipayPrivateKey()).formBody(params);
    }

    protected Api.Response postNotification(byte[] body, Charset charset) {
        return api.anonymous(
                "POST", "/notify/alipay", "application/x-www-form-urlencoded; charset=" + charset.name(), body);
    }

    protected Api.Response postNotification(byte[] body) {
        return postNotification(body, java.nio.charset.StandardCharsets.UTF_8);
    }
}
