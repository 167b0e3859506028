package dev.zhifu.payments.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void anIdIsThePrefixAndTwentyFourBase32Characters() {
        assertThat(Ids.next("pay")).matches("pay_[0-9a-hjkmnp-tv-z]{24}");
    }

    @Test
    void idsSortAsTheirCreationTimes() {
        Instant t = Instant.parse("2026-12-08T04:00:00Z");
        String earlier = Ids.next("pay", Clock.fixed(t, ZoneOffset.UTC));
        String later = Ids.next("pay", Clock.fixed(t.plusMillis(1), ZoneOffset.UTC));
        String muchLater = Ids.next("pay", Clock.fixed(Instant.parse("2999-01-01T00:00:00Z"), ZoneOffset.UTC));
        assertThat(earlier).isLessThan(later);
        assertThat(later).isLessThan(muchLater);
        // the same millisecond shares the time part only
        String same = Ids.next("pay", Clock.fixed(t, ZoneOffset.UTC));
        assertThat(same.substring(0, 4 + Ids.TIME_CHARS)).isEqualTo(earlier.substring(0, 4 + Ids.TIME_CHARS));
        assertThat(same).isNotEqualTo(earlier);
    }

    @Test
    void idsOfOneMillisecondDoNotCollide() {
        Clock frozen = Clock.fixed(Instant.parse("2026-12-08T04:00:00Z"), ZoneOffset.UTC);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(Ids.next("evt", frozen))).isTrue();
        }
    }
}
