package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.zhifu.payments.events.EventOutbox;
import dev.zhifu.payments.jobs.LeasedJob;
import dev.zhifu.payments.jobs.Leases;
import dev.zhifu.payments.testing.ClaimPlans;
import dev.zhifu.payments.testing.OnH2;
import dev.zhifu.payments.testing.ServiceSuite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On H2 a claim holds only the rows it takes (issue 18): H2 2.4's {@code FOR UPDATE} locked and wrote every row
 * its WHERE clause matched, so with a backlog each claim of a few rows rewrote all of it and kept an idle
 * service busy. Seen from outside, the other due rows were locked until the claim committed: here another
 * connection updates them while a claim's transaction is still open.
 */
@OnH2
class ClaimsOnH2Test extends ServiceSuite {

    @Autowired
    EventOutbox outbox;

    @Autowired
    Leases leases;

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aWebhookClaimLeavesTheOtherDueEventsFree() {
        List<String> events = List.of(
                        paidQr(uniqueOrderNo(), "1.01"),
                        paidQr(uniqueOrderNo(), "1.02"),
                        paidQr(uniqueOrderNo(), "1.03"))
                .stream()
                .map(payment -> jdbc.sql("SELECT id FROM payment_events WHERE payment_id = ?")
                        .param(payment)
                        .query(String.class)
                        .single())
                .toList();
        // due now, whatever this context's webhook settings made of them
        for (String id : events) {
            jdbc.sql("UPDATE payment_events SET delivery_status = 'PENDING', next_attempt_at = ?, lease_until = NULL "
                            + "WHERE id = ?")
                    .params(java.sql.Timestamp.from(Instant.now().minusSeconds(60)), id)
                    .update();
        }
        tx.executeWithoutResult(status -> {
            List<EventOutbox.Claimed> taken = outbox.claimDue(leases.owner(), Instant.now(), Duration.ofMinutes(1), 1);
            assertThat(taken).hasSize(1);
            List<String> others =
                    events.stream().filter(id -> !id.equals(taken.get(0).id())).toList();
            assertThat(updatedElsewhere("payment_events", others)).isEqualTo(others.size());
            status.setRollbackOnly();
        });
    }

    @Test
    void aJobClaimLeavesTheOtherDuePaymentsFree() {
        List<String> payments = List.of(
                createQr(uniqueOrderNo(), "2.01").get("id").asString(),
                createQr(uniqueOrderNo(), "2.02").get("id").asString(),
                createQr(uniqueOrderNo(), "2.03").get("id").asString());
        LeasedJob mine =
                LeasedJob.of("claims_test", "payments", "id IN ('" + String.join("','", payments) + "')", "id");
        tx.executeWithoutResult(status -> {
            List<String> taken = leases.claim(mine, Instant.now(), Duration.ofMinutes(1), 1);
            assertThat(taken).hasSize(1);
            List<String> others =
                    payments.stream().filter(id -> !id.equals(taken.get(0))).toList();
            assertThat(updatedElsewhere("payments", others)).isEqualTo(others.size());
            status.setRollbackOnly();
        });
    }

    @Test
    void theWebhookClaimReadsItsIndexInOrder() {
        ClaimPlans.assertReadsItsIndexInOrder(jdbc, outbox.claimSql(20), "now");
    }

    /** Updates the rows from another connection that waits at most half a second for a lock; answers how many. */
    private int updatedElsewhere(String table, List<String> ids) {
        return CompletableFuture.supplyAsync(() -> {
                    try (Connection c = dataSource.getConnection();
                            Statement s = c.createStatement()) {
                        s.execute("SET LOCK_TIMEOUT 500");
                        int updated = 0;
                        for (String id : ids) {
                            try (PreparedStatement u = c.prepareStatement(
                                    "UPDATE " + table + " SET lease_owner = lease_owner WHERE id = ?")) {
                                u.setString(1, id);
                                updated += u.executeUpdate();
                            }
                        }
                        // the lock timeout stays with the session: this connection must not go back to the pool
                        dataSource.unwrap(HikariDataSource.class).evictConnection(c);
                        return updated;
                    } catch (java.sql.SQLException e) {
                        throw new AssertionError("another connection could not update " + table + ": " + e, e);
                    }
                })
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
    }
}
