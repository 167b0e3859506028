package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.admin.AdminQueries;
import dev.zhifu.payments.events.EventQueries;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.payments.PaymentQueries.Filter;
import dev.zhifu.payments.payments.PaymentQueries.Summary;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.ServiceSuite;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** The admin console's read model (its features' SQL), on each database: filters, paging, today's figures. */
public abstract class AdminQueriesSuite extends ServiceSuite {

    @Autowired
    AdminQueries queries;

    @Autowired
    DataSource dataSource;

    @Value("${test.database}")
    String database;

    @Test
    void paymentsAreFilteredByPrefixStatusMethodAndTimeAndPaged() {
        String prefix = "q-" + Ids.random(8);
        String paid = paidQr(prefix + "-1", "1.00");
        createQr(prefix + "-2", "2.00");
        createQr(prefix + "-3", "3.00");

        var firstPage = queries.payments(new Filter(null, null, null, null, prefix), 1, 2);
        assertThat(firstPage.total()).isEqualTo(3);
        assertThat(firstPage.pages()).isEqualTo(2);
        assertThat(firstPage.rows()).extracting(Summary::outTradeNo).containsExactly(prefix + "-3", prefix + "-2");
        var secondPage = queries.payments(new Filter(null, null, null, null, prefix), 2, 2);
        assertThat(secondPage.rows()).extracting(Summary::id).containsExactly(paid);
        assertThat(queries.payments(new Filter(null, null, null, null, prefix), 9, 2)
                        .page())
                .as("clamped")
                .isEqualTo(2);

        assertThat(queries.payments(new Filter("PAID", "QR", null, null, prefix), 1, 10)
                        .rows())
                .extracting(Summary::id)
                .containsExactly(paid);
        assertThat(queries.payments(new Filter(null, "PAGE", null, null, prefix), 1, 10)
                        .total())
                .isZero();
        Instant now = Instant.now();
        assertThat(queries.payments(
                                new Filter(null, null, now.minus(Duration.ofHours(1)), now.plusSeconds(60), prefix),
                                1,
                                10)
                        .total())
                .isEqualTo(3);
        assertThat(queries.payments(new Filter(null, null, null, now.minus(Duration.ofHours(1)), prefix), 1, 10)
                        .total())
                .isZero();
        assertThat(queries.payments(new Filter(null, null, null, null, "q_"), 1, 10)
                        .total())
                .as("_ is no wildcard")
                .isZero();
        assertThat(queries.payments(new Filter(null, null, null, null, paid), 1, 10)
                        .total())
                .as("by id")
                .isEqualTo(1);
    }

    @Test
    void theDashboardCountsTodaysPayments() {
        Instant startOfDay = Instant.now().minus(Duration.ofMinutes(1));
        AdminQueries.Dashboard before = queries.dashboard(startOfDay, Instant.now());
        paidQr(uniqueOrderNo(), "7.50");
        createQr(uniqueOrderNo(), "1.00");
        AdminQueries.Dashboard after = queries.dashboard(startOfDay, Instant.now());
        // at least: a barcode payment of an earlier test may be confirmed in between
        assertThat(new java.math.BigDecimal(after.volume()).subtract(new java.math.BigDecimal(before.volume())))
                .isGreaterThanOrEqualTo(new java.math.BigDecimal("7.50"));
        assertThat(after.paidCount() - before.paidCount()).isGreaterThanOrEqualTo(1);
        assertThat(after.createdCount() - before.createdCount()).isEqualTo(2);
        assertThat(after.pendingCount()).isGreaterThanOrEqualTo(1);
        assertThat(after.oldestPendingSince()).isNotNull();
        assertThat(after.successRatePercent()).isNotNull();
        assertThat(queries.eventsOf(paidQr(uniqueOrderNo(), "1.00")))
                .extracting(EventQueries.Delivery::type)
                .contains("payment.succeeded");
    }

    /**
     * The backlog figures (gauges and console) count the waiting rows and read the oldest one's age from an index
     * alone: before it held created_at, each read looked up every waiting row in the table, and with 50,000 pending
     * payments a metrics scrape on H2 took over 5 s under load (issue 18).
     */
    @Test
    void theBacklogFiguresReadOnlyAnIndex() throws Exception {
        assertReadsOnlyAnIndex(PaymentQueries.PENDING_BACKLOG, "ix_payments_pending_age");
        assertReadsOnlyAnIndex(EventQueries.UNDELIVERED_BACKLOG, "ix_payment_events_delivery_age");
    }

    private void assertReadsOnlyAnIndex(String sql, String index) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                String plan;
                switch (database.toLowerCase(Locale.ROOT)) {
                    case "postgres" -> {
                        // a test table is small: without these, a sequential scan is cheaper and hides the index
                        s.execute("SET LOCAL enable_seqscan = off");
                        s.execute("SET LOCAL enable_bitmapscan = off");
                        plan = lines(s.executeQuery("EXPLAIN " + sql));
                        assertThat(plan).as(plan).contains("Index Only Scan using " + index);
                    }
                    case "mariadb" -> {
                        plan = lines(s.executeQuery("EXPLAIN " + sql));
                        // "Using index", not "Using index condition" (which reads the rows the index finds)
                        assertThat(plan).as(plan).contains(index).containsPattern("Using index(?! condition)");
                    }
                    default -> {
                        // H2 does not say whether it reads the table; the index it names holds every column read
                        plan = lines(s.executeQuery("EXPLAIN " + sql));
                        assertThat(plan).as(plan).containsIgnoringCase(index);
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }

    private static String lines(ResultSet rs) throws Exception {
        StringBuilder out = new StringBuilder();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
                out.append(rs.getString(i)).append(i < columns ? " | " : "\n");
            }
        }
        return out.toString();
    }
}
