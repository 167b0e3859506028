package dev.zhifu.payments.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A claim (a background job's or the webhook outbox's {@code SELECT … ORDER BY … LIMIT n}) must read its index in
 * order and stop after {@code n} rows: H2 otherwise sorts every due row to hand out a few, a cost that grows with
 * the backlog (issue 18: an idle service with 54,000 pending payments kept 84 % of a core busy).
 */
public final class ClaimPlans {

    private ClaimPlans() {}

    /** Asks H2 for the plan of {@code sql}, each named parameter bound to now, and asserts it reads an index in order. */
    public static void assertReadsItsIndexInOrder(JdbcClient jdbc, String sql, String... parameters) {
        var explain = jdbc.sql("EXPLAIN " + sql);
        for (String name : parameters) {
            explain = explain.params(Map.of(name, java.sql.Timestamp.from(Instant.now())));
        }
        String plan = explain.query(String.class).single();
        assertThat(plan).as(plan).contains("/* index sorted */").doesNotContain("tableScan");
    }
}
