package dev.zhifu.payments.payments;

import static dev.zhifu.payments.payments.AmountGuard.Source.NOTIFICATION;
import static dev.zhifu.payments.payments.AmountGuard.Source.QUERY;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AmountGuardTest {

    private static final Payment P = new Payment(
            "pay_1",
            "order-1",
            null,
            PaymentMethod.QR,
            Channel.ALIPAY,
            PaymentStatus.PENDING,
            new BigDecimal("9.90"),
            new BigDecimal("0.00"),
            "Coffee",
            null,
            "h",
            null,
            null,
            null,
            null,
            null,
            null,
            0,
            Instant.EPOCH,
            Instant.EPOCH,
            Instant.EPOCH,
            null,
            null);

    @Test
    void theSameAmountMatchesWhateverItsScale() {
        assertThat(AmountGuard.matches(P, new BigDecimal("9.9"), NOTIFICATION)).isTrue();
        assertThat(AmountGuard.matches(P, new BigDecimal("9.90"), QUERY)).isTrue();
    }

    @Test
    void anotherAmountNeverMatches() {
        assertThat(AmountGuard.matches(P, new BigDecimal("9.91"), NOTIFICATION)).isFalse();
        assertThat(AmountGuard.matches(P, new BigDecimal("0.01"), QUERY)).isFalse();
    }

    @Test
    void aMissingAmountIsAMismatchInANotificationAndSilenceInAQuery() {
        assertThat(AmountGuard.matches(P, null, NOTIFICATION)).isFalse();
        assertThat(AmountGuard.matches(P, null, QUERY)).isTrue();
    }
}
