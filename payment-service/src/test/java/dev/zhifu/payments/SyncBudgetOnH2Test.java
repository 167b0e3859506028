package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.payments.PaymentSyncJob;
import dev.zhifu.payments.testing.CountingAlipayListener;
import dev.zhifu.payments.testing.DatabaseInitializer;
import dev.zhifu.payments.testing.Scrape;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.payments.testing.TestClockConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * Order sync within its budget (issue 18): an abandoned QR code costs a handful of queries, not one every 15 s;
 * a backlog larger than the budget is worked through in turn, every call counted; a buyer back on the return page
 * brings the next query forward, once.
 */
@SpringBootTest(
        classes = {PaymentServiceApplication.class, TestClockConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "test.database=h2",
            ServiceSuite.SELLER_PROPERTY,
            "payments.sync.interval=1h",
            "payments.sync.max-calls-per-second=4",
            "alipay.read-timeout=10s"
        })
@ContextConfiguration(initializers = DatabaseInitializer.class)
class SyncBudgetOnH2Test extends ServiceSuite {

    private static final String QUERY = "alipay.trade.query";
    private static final String CLOSE = "alipay.trade.close";

    @Autowired
    PaymentSyncJob sync;

    @Autowired
    CountingAlipayListener calls;

    @BeforeEach
    void settleOthers() {
        // payments of an earlier test must not be due in this one
        jdbc.sql("UPDATE payments SET status = 'CLOSED', next_sync_at = NULL WHERE status = 'PENDING'")
                .update();
        calls.reset();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private Scrape scrape() {
        return new Scrape(api.get("/actuator/prometheus").body());
    }

    @Test
    void anAbandonedQrCodeIsQueriedFiveTimesThenClosedOnce() {
        clock.stop(); // the schedule is exact: nothing but advance() moves time
        String id = createQr(uniqueOrderNo(), "1.00").get("id").asString(); // expires in 30 minutes
        calls.reset();
        for (int step = 0; step <= 32 * 4; step++) {
            sync.runOnce();
            clock.advance(Duration.ofSeconds(15));
        }
        // at 15 s, 45 s, 2¼, 6¾ and 20¼ minutes (each pause twice the age), then closed after expiry plus margin
        assertThat(calls.attempts(QUERY)).isEqualTo(5);
        assertThat(calls.attempts(CLOSE)).isEqualTo(1);
        assertThat(payment(id).get("status").asString()).isEqualTo("CLOSED");
    }

    @Test
    void aBacklogLargerThanTheBudgetIsQueriedInTurnEveryCallCounted() {
        Scrape before = scrape();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(createQr(uniqueOrderNo(), "2.0" + (i % 10)).get("id").asString());
        }
        calls.reset();
        clock.advance(Duration.ofSeconds(20));
        Instant now = clock.instant();

        int handled = sync.runOnce(); // 12 due, 4 calls a second: the run waits for room rather than stopping

        assertThat(handled).isEqualTo(12);
        assertThat(calls.attempts(QUERY)).isEqualTo(12);
        Scrape after = scrape();
        assertThat(after.value("payments_sync_budget_calls_total") - before.value("payments_sync_budget_calls_total"))
                .isEqualTo(12);
        assertThat(after.value("payments_sync_budget_limit")).isEqualTo(4);
        assertThat(after.value("payments_sync_due")).isZero();
        for (String id : ids) { // each asked once, then due again at twice its age
            assertThat(nextSyncAt(id)).isAfter(now.plusSeconds(30));
        }
    }

    @Test
    void callsForTheMerchantAreNotCountedAgainstTheBudget() {
        Scrape before = scrape();
        String id = createQr(uniqueOrderNo(), "3.00").get("id").asString();
        assertThat(api.post("/api/v1/payments/" + id + "/sync", null).status()).isEqualTo(200);
        assertThat(scrape().value("payments_sync_budget_calls_total"))
                .isEqualTo(before.value("payments_sync_budget_calls_total"));
    }

    @Test
    void theBuyerBackOnTheReturnPageBringsTheNextQueryForwardOnce() {
        String no = uniqueOrderNo();
        String id = create("{\"out_trade_no\":\"" + no
                        + "\",\"amount\":\"9.00\",\"subject\":\"Book\",\"method\":\"page\"}")
                .get("id")
                .asString();
        Instant later = clock.instant().plus(Duration.ofMinutes(10));
        jdbc.sql("UPDATE payments SET next_sync_at = ? WHERE id = ?")
                .params(LocalDateTime.ofInstant(later, ZoneOffset.UTC), id)
                .update();

        assertThat(returnPage(no)).contains("data-status=\"PENDING\"");
        Instant pulled = nextSyncAt(id);
        assertThat(pulled).isBefore(clock.instant().plusSeconds(1));

        sync.runOnce(); // asked now: not paid yet, next turn at twice its age, within the first interval
        jdbc.sql("UPDATE payments SET next_sync_at = ? WHERE id = ?")
                .params(LocalDateTime.ofInstant(clock.instant().plusSeconds(10), ZoneOffset.UTC), id)
                .update();
        Instant soon = nextSyncAt(id);
        returnPage(no); // the page reloading itself is no reason to ask again
        assertThat(nextSyncAt(id)).isEqualTo(soon);
    }

    private String returnPage(String outTradeNo) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("charset", "utf-8");
        params.put("out_trade_no", outTradeNo);
        params.put("method", "alipay.trade.page.pay.return");
        params.put("total_amount", "9.00");
        params.put("trade_no", "2026000000000002");
        params.put("auth_app_id", APP_ID);
        params.put("version", "1.0");
        params.put("app_id", APP_ID);
        params.put("seller_id", SELLER_ID);
        params.put("timestamp", "2026-01-01 12:00:00");
        String query = new String(signedByAlipay(params), StandardCharsets.US_ASCII);
        return api.anonymous("GET", "/return/alipay?" + query, null, null).body();
    }

    private Instant nextSyncAt(String id) {
        return jdbc.sql("SELECT next_sync_at FROM payments WHERE id = ?")
                .param(id)
                .query(LocalDateTime.class)
                .single()
                .toInstant(ZoneOffset.UTC);
    }
}
