package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.notify.TradeNotification;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alipay's GMT+8 wall-clock times in notifications, fractional seconds included; nonsense refused. */
class NotificationTimesTest {

    private final NotificationSigner alipay = new NotificationSigner(Fixtures.alipayPrivateKey());
    private final NotificationVerifier verifier =
            new AlipayClient(Fixtures.vectorConfig().build()).notifications();

    @Test
    void readsSecondsAndFractionalSeconds() {
        TradeNotification n = verifier.verify(alipay.sign(Map.of(
                "out_trade_no",
                "o-1",
                "gmt_payment",
                "2024-06-01 12:01:05",
                "gmt_refund",
                "2024-06-02 08:00:00.123",
                "notify_time",
                "2024-06-02 08:00:01")));
        assertThat(n.gmtPayment()).isEqualTo(LocalDateTime.of(2024, 6, 1, 12, 1, 5));
        assertThat(n.gmtRefund()).isEqualTo(LocalDateTime.of(2024, 6, 2, 8, 0, 0));
        assertThat(n.notifyTime()).isEqualTo(LocalDateTime.of(2024, 6, 2, 8, 0, 1));
    }

    @Test
    void anImpossibleTimeIsRefusedNotGuessed() {
        Map<String, String> signed = alipay.sign(Map.of("out_trade_no", "o-1", "gmt_payment", "2024-13-45 12:00:00"));
        assertThatThrownBy(() -> verifier.verify(signed))
                .isInstanceOf(AlipaySignatureException.class)
                .hasMessageContaining("cannot be read");
        Map<String, String> letters = alipay.sign(Map.of("out_trade_no", "o-1", "gmt_payment", "2024-0a-01 12:00:00"));
        assertThatThrownBy(() -> verifier.verify(letters)).isInstanceOf(AlipaySignatureException.class);
    }
}
