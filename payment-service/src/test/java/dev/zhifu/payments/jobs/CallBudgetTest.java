package dev.zhifu.payments.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The budget's window on a clock the test moves: never more than N calls within any one second. */
class CallBudgetTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000_000 * MS);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void nCallsThenNoneUntilTheOldestIsOneSecondOld() {
        CallBudget budget = new CallBudget(3, registry, now::get);
        assertThat(budget.room()).isEqualTo(3);
        assertThat(budget.tryAcquire()).isTrue();
        now.addAndGet(100 * MS);
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.room()).isZero();
        assertThat(budget.tryAcquire()).isFalse();
        assertThat(budget.nanosUntilRoom()).isEqualTo(900 * MS);

        now.addAndGet(899 * MS);
        assertThat(budget.tryAcquire()).isFalse();
        now.addAndGet(MS); // the first call is one second old
        assertThat(budget.room()).isEqualTo(1);
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isFalse();

        assertThat(registry.get(CallBudget.CALLS).counter().count()).isEqualTo(4);
        assertThat(registry.get(CallBudget.REFUSED).counter().count()).isEqualTo(3);
        assertThat(registry.get(CallBudget.LIMIT).gauge().value()).isEqualTo(3);
    }

    @Test
    void noOneSecondWindowEverHoldsMoreThanTheLimit() {
        CallBudget budget = new CallBudget(7, registry, now::get);
        Random random = new Random(18);
        List<Long> granted = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            now.addAndGet(random.nextInt(60) * MS);
            if (budget.tryAcquire()) {
                granted.add(now.get());
            }
        }
        for (int first = 0, last = 0; last < granted.size(); last++) {
            while (granted.get(last) - granted.get(first) >= 1000 * MS) {
                first++;
            }
            assertThat(last - first + 1)
                    .as("calls within one second ending at call %d", last)
                    .isLessThanOrEqualTo(7);
        }
        assertThat(granted.size()).as("the budget is used, not just respected").isGreaterThan(7 * 500);
    }

    @Test
    void onlyWorkRunWithinTheBudgetIsCounted() {
        CallBudget budget = new CallBudget(1, registry, now::get);
        assertThat(budget.appliesToThisThread()).isFalse();
        boolean[] inside = {false};
        budget.runBudgeted(() -> inside[0] = budget.appliesToThisThread());
        assertThat(inside[0]).isTrue();
        assertThat(budget.appliesToThisThread()).isFalse();
    }

    @Test
    void aBudgetOfNothingIsRefused() {
        assertThatThrownBy(() -> new CallBudget(0, registry, now::get))
                .hasMessageContaining("payments.sync.max-calls-per-second");
    }
}
