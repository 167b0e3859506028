package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.jobs.LeasedJob;
import dev.zhifu.payments.jobs.Leases;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.CountingAlipayListener;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.payments.testing.TestDatabase;
import dev.zhifu.payments.testing.WebhookReceiver;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two instances of the service on one database work one backlog: payments paid at Alipay (then at WeChat Pay)
 * whose notifications were lost (so only the sync job can find them) and the webhook events that follow. Each payment is queried at
 * Alipay exactly once and each event posted exactly once, in order per payment, although both instances run
 * their jobs side by side all along.
 */
public abstract class ClusterSuite {

    @RegisterExtension
    static final AlipaySandboxExtension ALIPAY = new AlipaySandboxExtension(b -> {});

    @TempDir
    Path dir;

    protected abstract TestDatabase database();

    @Test
    void twoInstancesShareTheBacklogAndHandleEachItemOnce() {
        AlipaySandbox alipay = ALIPAY.sandbox();
        String schema = "t_" + Ids.random(10);
        Map<String, Object> db = database().create(schema, dir.resolve("db").toString());
        Path appKey = ProductionInstance.appKeyFile(dir, ProductionInstance.appKey(alipay));
        int portA = ProductionInstance.freePort();
        int portB = ProductionInstance.freePort();
        String[] jobs = {
            "--payments.sync.interval=100ms",
            "--payments.webhook-poll-interval=100ms",
            "--payments.sync.first-interval=10s"
        };
        List<String> argsA =
                new ArrayList<>(ProductionInstance.args(portA, alipay, appKey, db, dir.resolve("a"), null, jobs));
        argsA.addAll(ProductionInstance.wechatArgs(alipay, dir.resolve("wechat"), portA));
        List<String> argsB =
                new ArrayList<>(ProductionInstance.args(portB, alipay, appKey, db, dir.resolve("b"), null, jobs));
        argsB.addAll(ProductionInstance.wechatArgs(alipay, dir.resolve("wechat"), portB));
        try (WebhookReceiver receiver = new WebhookReceiver();
                ConfigurableApplicationContext a = ProductionInstance.start(withWebhook(argsA, receiver));
                ConfigurableApplicationContext b = ProductionInstance.start(withWebhook(argsB, receiver))) {
            JdbcClient jdbc = a.getBean(JdbcClient.class);
            CountingAlipayListener callsA = a.getBean(CountingAlipayListener.class);
            CountingAlipayListener callsB = b.getBean(CountingAlipayListener.class);
            Api api = new Api("http://127.0.0.1:" + portA, ProductionInstance.API_KEY);

            // the backlog: paid at Alipay, every notification lost on the way
            int n = 24;
            alipay.control().addFault("{\"type\":\"drop_notifications\",\"count\":" + n + "}");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String no = "c-" + Ids.random(12);
                Api.Response created = api.post(
                        "/api/v1/payments",
                        "{\"out_trade_no\":\"" + no + "\",\"amount\":\"" + (i + 1)
                                + ".00\",\"subject\":\"Tea\",\"method\":\"qr\"}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                ids.add(created.json().get("id").asString());
                alipay.control().pay(no);
            }
            callsA.reset();
            callsB.reset();
            // due now: both instances' sync jobs (every 100 ms) race for them from here on
            jdbc.sql("UPDATE payments SET next_sync_at = ?")
                    .param(dev.zhifu.payments.storage.Times.db(Instant.now()))
                    .update();
            await(
                    () -> jdbc.sql("SELECT COUNT(*) FROM payments WHERE status = 'PAID'")
                                    .query(Integer.class)
                                    .single()
                            == n,
                    () -> "not every paid payment was found by the sync jobs");

            assertThat(callsA.attempts("alipay.trade.query") + callsB.attempts("alipay.trade.query"))
                    .as(
                            "one query per payment across both instances (A %s, B %s)",
                            callsA.attempts("alipay.trade.query"), callsB.attempts("alipay.trade.query"))
                    .isEqualTo(n);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE type = 'payment.succeeded'")
                            .query(Integer.class)
                            .single())
                    .isEqualTo(n);

            // a third refunded in full: three events per payment, which must arrive in order
            for (int i = 0; i < n; i += 3) {
                Api.Response refund =
                        api.post("/api/v1/payments/" + ids.get(i) + "/refunds", "{\"amount\":\"" + (i + 1) + ".00\"}");
                assertThat(refund.status()).as(refund.body()).isEqualTo(201);
            }
            int events = jdbc.sql("SELECT COUNT(*) FROM payment_events")
                    .query(Integer.class)
                    .single();
            assertThat(events).isEqualTo(n + 2 * (n / 3));
            await(
                    () -> jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE delivery_status = 'DELIVERED'")
                                    .query(Integer.class)
                                    .single()
                            == events,
                    () -> "not every event was delivered");

            Map<String, Integer> times = receiver.timesPosted();
            assertThat(times).hasSize(events);
            assertThat(times.values()).as("each event posted once").allMatch(t -> t == 1);
            assertThat(receiver.badSignatures()).isZero();
            for (String id : ids) {
                List<String> expected = jdbc.sql(
                                "SELECT id FROM payment_events WHERE payment_id = ? ORDER BY payment_seq")
                        .param(id)
                        .query(String.class)
                        .list();
                List<String> arrived = receiver.posts().stream()
                        .filter(p -> p.paymentId().equals(id))
                        .map(WebhookReceiver.Post::eventId)
                        .toList();
                assertThat(arrived).as("events of %s in order", id).isEqualTo(expected);
            }

            // WeChat Pay's share of a backlog: paid there, notifications lost, found by either instance's sync once
            int w = 8;
            alipay.control().addFault("{\"type\":\"drop_notifications\",\"count\":" + w + "}");
            List<String> wechatIds = new ArrayList<>();
            for (int i = 0; i < w; i++) {
                String no = "cw-" + Ids.random(12);
                Api.Response created = api.post(
                        "/api/v1/payments",
                        "{\"out_trade_no\":\"" + no + "\",\"amount\":\"" + (i + 1)
                                + ".50\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                wechatIds.add(created.json().get("id").asString());
                alipay.control().pay(no);
            }
            jdbc.sql("UPDATE payments SET next_sync_at = ? WHERE channel = 'WECHATPAY'")
                    .param(dev.zhifu.payments.storage.Times.db(Instant.now()))
                    .update();
            await(
                    () -> jdbc.sql("SELECT COUNT(*) FROM payments WHERE status = 'PAID' AND channel = 'WECHATPAY'")
                                    .query(Integer.class)
                                    .single()
                            == w,
                    () -> "not every WeChat Pay payment was found by the sync jobs");
            for (String id : wechatIds) {
                assertThat(jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE payment_id = ? AND type = "
                                        + "'payment.succeeded'")
                                .param(id)
                                .query(Integer.class)
                                .single())
                        .as("one payment.succeeded for %s", id)
                        .isEqualTo(1);
            }

            // graceful shutdown gives back what an instance holds, so the other takes it at once
            Leases leasesA = a.getBean(Leases.class);
            String pending = api.post("/api/v1/payments", "{\"amount\":\"1.00\",\"subject\":\"Tea\",\"method\":\"qr\"}")
                    .json()
                    .get("id")
                    .asString();
            jdbc.sql("UPDATE payments SET next_sync_at = ? WHERE id = ?")
                    .params(dev.zhifu.payments.storage.Times.db(Instant.now().plus(Duration.ofHours(1))), pending)
                    .update();
            LeasedJob any = LeasedJob.of("test", "payments", "1 = 1", "id");
            assertThat(leasesA.claimOne(any, pending, Instant.now(), Duration.ofHours(1)))
                    .isTrue();
            assertThat(b.getBean(Leases.class).claimOne(any, pending, Instant.now(), Duration.ofHours(1)))
                    .as("held by A")
                    .isFalse();
            a.close();
            assertThat(jdbc(b).sql("SELECT COUNT(*) FROM payments WHERE lease_owner IS NOT NULL")
                            .query(Integer.class)
                            .single())
                    .isZero();
        } finally {
            alipay.control().clearFaults();
            database().drop(schema);
        }
    }

    private static List<String> withWebhook(List<String> args, WebhookReceiver receiver) {
        List<String> all = new ArrayList<>(args);
        all.add("--payments.webhook-url=" + receiver.url());
        all.add("--payments.webhook-secret=" + WebhookReceiver.SECRET);
        return all;
    }

    private static JdbcClient jdbc(ConfigurableApplicationContext context) {
        return context.getBean(JdbcClient.class);
    }

    static void await(Supplier<Boolean> condition, Supplier<String> failure) {
        ServiceSuite.await(condition, Duration.ofSeconds(90), failure);
    }
}
