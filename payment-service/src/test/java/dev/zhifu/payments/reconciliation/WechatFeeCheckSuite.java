package dev.zhifu.payments.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.WechatBillFixtures;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * With {@code wechatpay.fee-rate} set, the WeChat Pay payment lines' 手续费 are checked against 应结订单金额 × rate,
 * to the fen, as Alipay's 服务费 are with {@code fee-rate} ({@link ServiceFeeCheckOnH2Test}); on each database.
 */
abstract class WechatFeeCheckSuite {

    @Autowired
    ReconciliationRepository repository;

    @Autowired
    Clock clock;

    private static ReconciliationProperties withWechatRate(String rate) {
        return new ReconciliationProperties(
                true,
                "-",
                ZoneId.of("Asia/Shanghai"),
                3,
                Duration.ofMinutes(1),
                Duration.ofMinutes(30),
                10,
                Duration.ofMinutes(15),
                Duration.ofMinutes(10),
                500,
                null,
                new ReconciliationProperties.Wechatpay(new BigDecimal(rate)));
    }

    private static LocalDate someDay() {
        return LocalDate.of(2020, 1, 1).plusDays((long) (Math.random() * 1000));
    }

    private String bill(LocalDate day, String run, String secondFee) {
        return WechatBillFixtures.text(
                List.of(
                        new WechatBillFixtures.Row(
                                "4200A" + run,
                                "wfee-" + run + "-1",
                                null,
                                new BigDecimal("100.00"),
                                new BigDecimal("0.60000"),
                                day.atTime(10, 0)),
                        new WechatBillFixtures.Row(
                                "4200B" + run,
                                "wfee-" + run + "-2",
                                null,
                                new BigDecimal("33.33"),
                                new BigDecimal(secondFee),
                                day.atTime(11, 0))),
                BigDecimal.ZERO);
    }

    @Test
    void wechatFeesThatDifferFromTheRateAreReportedWithBothTotals() {
        LocalDate day = someDay();
        String run = Ids.random(6);
        repository.ensureDay(day, Channel.WECHATPAY, clock.instant());

        // 0.60 on 100.00 is right at 0.6 %; 33.33 is charged nothing where 0.20 was due
        ReconciliationRepository.Totals totals = new WechatBillMatcher(
                        repository, withWechatRate("0.006"), clock, day, 1, () -> {})
                .run(bill(day, run, "0.00000"));

        assertThat(totals.serviceFeeTotal()).isEqualByComparingTo("0.60");
        Discrepancy fee = repository
                .discrepancies(day, Channel.WECHATPAY, null, "SERVICE_FEE_MISMATCH", null, 10)
                .get(0);
        assertThat(fee.channel()).isEqualTo(Channel.WECHATPAY);
        assertThat(fee.alipayAmount()).isEqualByComparingTo("0.60");
        assertThat(fee.localAmount()).isEqualByComparingTo("0.80");
        assertThat(fee.detail()).contains("手续费", "0.006");
        assertThat(repository.discrepancies(day, Channel.WECHATPAY, null, "MISSING_LOCALLY", null, 10))
                .hasSize(2);
        assertThat(repository.discrepancies(day, Channel.ALIPAY, null, null, null, 10))
                .isEmpty();
    }

    @Test
    void wechatFeesAtTheRateAndBillsWithoutARateAreNotReported() {
        LocalDate day = someDay();
        repository.ensureDay(day, Channel.WECHATPAY, clock.instant());
        new WechatBillMatcher(repository, withWechatRate("0.006"), clock, day, 1, () -> {})
                .run(bill(day, Ids.random(6), "0.19998"));
        assertThat(repository.discrepancies(day, Channel.WECHATPAY, null, "SERVICE_FEE_MISMATCH", null, 10))
                .isEmpty();

        LocalDate other = someDay().plusYears(5);
        repository.ensureDay(other, Channel.WECHATPAY, clock.instant());
        ReconciliationProperties alipayRateOnly = new ReconciliationProperties(
                true,
                "-",
                ZoneId.of("Asia/Shanghai"),
                3,
                Duration.ofMinutes(1),
                Duration.ofMinutes(30),
                10,
                Duration.ofMinutes(15),
                Duration.ofMinutes(10),
                500,
                new BigDecimal("0.006"));
        new WechatBillMatcher(repository, alipayRateOnly, clock, other, 1, () -> {})
                .run(bill(other, Ids.random(6), "0.00000"));
        assertThat(repository.discrepancies(other, Channel.WECHATPAY, null, "SERVICE_FEE_MISMATCH", null, 10))
                .isEmpty();
    }
}
