package dev.zhifu.payments.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class NotifyGuardTest {

    private static NotifyGuard guard(List<String> allowed, int burst) {
        return new NotifyGuard(new NotifyProperties(
                allowed,
                DataSize.ofKilobytes(64),
                Duration.ofHours(25),
                Duration.ofMinutes(5),
                1,
                burst,
                null,
                Duration.ofDays(7),
                100,
                10_000));
    }

    @Test
    void withoutAnAllowListEveryAddressMayPost() {
        assertThat(guard(List.of(), 3).allowed("203.0.113.9")).isTrue();
    }

    @Test
    void cidrRangesOfBothFamiliesAndPlainAddressesAreMatched() {
        NotifyGuard g = guard(List.of("110.75.0.0/16", "2001:db8::/32", "127.0.0.1"), 3);
        assertThat(g.allowed("110.75.143.12")).isTrue();
        assertThat(g.allowed("110.76.0.1")).isFalse();
        assertThat(g.allowed("2001:db8:1::5")).isTrue();
        assertThat(g.allowed("2001:db9::5")).isFalse();
        assertThat(g.allowed("127.0.0.1")).isTrue();
        assertThat(g.allowed("127.0.0.2")).isFalse();
        assertThat(g.allowed("::ffff:110.75.1.1")).as("IPv4-mapped").isTrue();
        assertThat(g.allowed("localhost")).as("names are never resolved").isFalse();
        assertThat(g.allowed(null)).isFalse();
    }

    @Test
    void aBadEntryStopsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> guard(List.of("10.0.0.0/33"), 3)).hasMessageContaining("payments.notify.allowed-ips");
        assertThatThrownBy(() -> guard(List.of("pay.alipay.com"), 3))
                .hasMessageContaining("payments.notify.allowed-ips");
    }

    @Test
    void onlyRefusedPostsDrainTheBucketOfTheirAddress() {
        NotifyGuard g = guard(List.of(), 2);
        assertThat(g.throttled("198.51.100.1")).isFalse();
        g.refused("198.51.100.1");
        assertThat(g.throttled("198.51.100.1")).isFalse();
        g.refused("198.51.100.1");
        assertThat(g.throttled("198.51.100.1")).isTrue();
        assertThat(g.throttled("198.51.100.2")).isFalse();
    }
}
