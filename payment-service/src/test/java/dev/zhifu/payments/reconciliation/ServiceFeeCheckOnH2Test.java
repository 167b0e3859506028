package dev.zhifu.payments.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.BillFixtures;
import dev.zhifu.payments.testing.OnH2;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** With {@code fee-rate} set, the payment lines' 服务费 are checked against amount × rate, to the fen. */
@OnH2
class ServiceFeeCheckOnH2Test {

    @Autowired
    ReconciliationRepository repository;

    @Autowired
    Clock clock;

    @Test
    void serviceFeesThatDifferFromTheRateAreReportedWithBothTotals(@TempDir Path dir) throws Exception {
        ReconciliationProperties withRate = new ReconciliationProperties(
                true,
                "-",
                java.time.ZoneId.of("Asia/Shanghai"),
                3,
                Duration.ofMinutes(1),
                Duration.ofMinutes(30),
                10,
                Duration.ofMinutes(15),
                Duration.ofMinutes(10),
                500,
                new BigDecimal("0.006"));
        LocalDate day = LocalDate.of(2019, 1, 1).plusDays((long) (Math.random() * 300));
        String run = Ids.random(6);
        // the bill charges no fee (服务费 0.00) on 100.00 + 33.33: at 0.6 % it would be 0.60 + 0.20
        Path zip = BillFixtures.write(
                dir,
                day,
                List.of(
                                new BillFixtures.Row(
                                        "A" + run,
                                        "fee-" + run + "-1",
                                        null,
                                        new BigDecimal("100.00"),
                                        day.atTime(10, 0)),
                                new BillFixtures.Row(
                                        "B" + run,
                                        "fee-" + run + "-2",
                                        null,
                                        new BigDecimal("33.33"),
                                        day.atTime(11, 0)))
                        .iterator(),
                BigDecimal.ZERO);
        repository.ensureDay(day, clock.instant());

        try (InputStream in = Files.newInputStream(zip)) {
            new BillMatcher(repository, withRate, clock, day, 1, () -> {}).run(in, false);
        }

        Discrepancy fee = repository
                .discrepancies(day, null, "SERVICE_FEE_MISMATCH", null, 10)
                .get(0);
        assertThat(fee.alipayAmount()).isEqualByComparingTo("0.00");
        assertThat(fee.localAmount()).isEqualByComparingTo("0.80");
        assertThat(repository.discrepancies(day, null, "MISSING_LOCALLY", null, 10))
                .hasSize(2);
    }
}
