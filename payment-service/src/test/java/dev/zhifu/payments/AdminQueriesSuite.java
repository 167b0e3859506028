package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.admin.AdminQueries;
import dev.zhifu.payments.events.EventQueries;
import dev.zhifu.payments.payments.PaymentQueries.Filter;
import dev.zhifu.payments.payments.PaymentQueries.Summary;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.ServiceSuite;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The admin console's read model (its features' SQL), on each database: filters, paging, today's figures. */
public abstract class AdminQueriesSuite extends ServiceSuite {

    @Autowired
    AdminQueries queries;

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
}
