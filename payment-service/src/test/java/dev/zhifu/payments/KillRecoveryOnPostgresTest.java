package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.DatabaseAvailable;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.TestDatabase;
import dev.zhifu.payments.testing.UsesDatabase;
import dev.zhifu.payments.testing.WebhookReceiver;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code kill -9} of an instance (a real process) in the middle of a notification storm (each notification sent
 * twice at once) and of webhook dispatch (a slow receiver). After a restart: every paid payment is PAID, every
 * event is delivered at least once, and nothing was applied twice (one {@code payment.succeeded} per payment).
 * Leases the dead process held expire ({@code payments.sync.lease}); Alipay's re-sent notifications and the sync
 * job do the rest.
 */
@ExtendWith(DatabaseAvailable.class)
@KillRecoveryOnPostgresTest.Postgres
class KillRecoveryOnPostgresTest {

    /** Alipay's re-send schedule 120 times faster: 2 s, 5 s, 5 s, 30 s, … */
    @RegisterExtension
    static final AlipaySandboxExtension ALIPAY = new AlipaySandboxExtension(b -> b.timeScale(120));

    @TempDir
    Path dir;

    @Test
    void killedMidStormAndMidDispatchLosesNothingAndAppliesNothingTwice() throws Exception {
        AlipaySandbox alipay = ALIPAY.sandbox();
        String schema = "t_" + Ids.random(10);
        Map<String, Object> db =
                TestDatabase.POSTGRES.create(schema, dir.resolve("db").toString());
        int port = ProductionInstance.freePort();
        Process child = null;
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.delay(Duration.ofMillis(150));
            List<String> args = ProductionInstance.args(
                    port,
                    alipay,
                    ProductionInstance.appKeyFile(dir, ProductionInstance.appKey(alipay)),
                    db,
                    dir.resolve("data"),
                    receiver.url(),
                    "--payments.sync.interval=300ms",
                    "--payments.webhook-poll-interval=100ms",
                    "--payments.sync.lease=4s",
                    "--payments.sync.first-interval=2s");
            child = ProductionInstance.startProcess(
                    args, dir.resolve("child.log").toFile());
            Api api = new Api("http://127.0.0.1:" + port, ProductionInstance.API_KEY);
            ProductionInstance.awaitUp(api, child);

            int n = 30;
            List<String> orders = ProductionInstance.createQrPayments(api, n, "k-", "2.00");
            alipay.control().addFault("{\"type\":\"duplicate_notifications\",\"count\":" + n + "}");
            JdbcClient jdbc = null;
            for (int i = 0; i < n; i++) {
                alipay.control().pay(orders.get(i));
                if (i == n / 2) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no lease released
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
            }

            try (ConfigurableApplicationContext restarted = ProductionInstance.start(args)) {
                jdbc = restarted.getBean(JdbcClient.class);
                JdbcClient q = jdbc;
                ClusterSuite.await(
                        () -> q.sql("SELECT COUNT(*) FROM payments WHERE status = 'PAID'")
                                        .query(Integer.class)
                                        .single()
                                == n,
                        () -> "not every paid payment became PAID");
                ClusterSuite.await(
                        () -> q.sql("SELECT COUNT(*) FROM payment_events WHERE delivery_status <> 'DELIVERED'")
                                        .query(Integer.class)
                                        .single()
                                == 0,
                        () -> "not every event was delivered: "
                                + q.sql(
                                                "SELECT id, delivery_status, attempts, last_error, lease_owner, lease_until, next_attempt_at "
                                                        + "FROM payment_events WHERE delivery_status <> 'DELIVERED'")
                                        .query()
                                        .listOfRows());

                assertThat(q.sql("SELECT COUNT(*) FROM payment_events")
                                .query(Integer.class)
                                .single())
                        .as("one payment.succeeded per payment, none applied twice")
                        .isEqualTo(n);
                assertThat(q.sql(
                                        "SELECT COUNT(DISTINCT payment_id) FROM payment_events WHERE type = 'payment.succeeded'")
                                .query(Integer.class)
                                .single())
                        .isEqualTo(n);
                assertThat(q.sql("SELECT COUNT(*) FROM payment_anomalies")
                                .query(Integer.class)
                                .single())
                        .isZero();
                List<String> eventIds = q.sql("SELECT id FROM payment_events")
                        .query(String.class)
                        .list();
                assertThat(receiver.timesPosted().keySet())
                        .as("every event delivered at least once")
                        .containsAll(eventIds);
                assertThat(receiver.badSignatures()).isZero();
            }
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            alipay.control().clearFaults();
            TestDatabase.POSTGRES.drop(schema);
        }
    }

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @UsesDatabase(TestDatabase.POSTGRES)
    @interface Postgres {}
}
