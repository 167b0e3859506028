package dev.zhifu.payments.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The ceiling on the Alipay calls background work makes, per instance ({@code payments.sync.max-calls-per-second}):
 * at most N calls in any one-second window, counted exactly (the start times of the last N calls, in a ring).
 * Alipay rate-limits queries, and a backlog of abandoned QR codes must not turn into a flood of them nor into CPU
 * that grows with the backlog. Work run through {@link #runBudgeted} is counted; the gateway refuses a counted call
 * when the window is full (nothing is sent, the item is tried again later). Calls made for a request (creates,
 * refunds, closes and syncs the merchant asks for, barcode polls with a buyer at the till) are the merchant's own
 * traffic and are not counted.
 */
@Component
public final class CallBudget {

    public static final String LIMIT = "payments.sync.budget.limit";
    public static final String CALLS = "payments.sync.budget.calls";
    public static final String REFUSED = "payments.sync.budget.refused";

    private static final long WINDOW = TimeUnit.SECONDS.toNanos(1);

    private final int perSecond;
    private final LongSupplier nanoTime;
    /** Start times of the last {@code perSecond} counted calls; the oldest at {@code next} once full. */
    private final long[] starts;

    private int next;
    private int filled;
    private final ThreadLocal<Boolean> counted = ThreadLocal.withInitial(() -> false);
    private final Counter calls;
    private final Counter refused;

    @Autowired
    public CallBudget(SyncProperties settings, MeterRegistry registry) {
        this(settings.maxCallsPerSecond(), registry, System::nanoTime);
    }

    CallBudget(int perSecond, MeterRegistry registry, LongSupplier nanoTime) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("payments.sync.max-calls-per-second: at least 1, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.starts = new long[perSecond];
        Gauge.builder(LIMIT, this, b -> b.perSecond)
                .description("Alipay calls per second background work may make (payments.sync.max-calls-per-second)")
                .register(registry);
        this.calls = Counter.builder(CALLS)
                .description("Alipay calls made by background work, within the budget")
                .register(registry);
        this.refused = Counter.builder(REFUSED)
                .description("Alipay calls background work did not make because the budget was used up")
                .register(registry);
    }

    public int perSecond() {
        return perSecond;
    }

    /** Whether the current thread runs counted work ({@link #runBudgeted}). */
    public boolean appliesToThisThread() {
        return counted.get();
    }

    /** Runs {@code work} with its Alipay calls counted against the budget. */
    public void runBudgeted(Runnable work) {
        boolean outer = counted.get();
        counted.set(true);
        try {
            work.run();
        } finally {
            counted.set(outer);
        }
    }

    /** Takes one call from the budget; false (and nothing taken) when N calls were made within the last second. */
    public synchronized boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        if (filled == perSecond && now - starts[next] < WINDOW) {
            refused.increment();
            return false;
        }
        starts[next] = now;
        next = (next + 1) % perSecond;
        filled = Math.min(filled + 1, perSecond);
        calls.increment();
        return true;
    }

    /** How many calls could be made right now. */
    public synchronized int room() {
        long now = nanoTime.getAsLong();
        int used = 0;
        for (int i = 0; i < filled; i++) {
            if (now - starts[i] < WINDOW) {
                used++;
            }
        }
        return perSecond - used;
    }

    /** Nanoseconds until a call could be made (0 when it could now). */
    public synchronized long nanosUntilRoom() {
        if (filled < perSecond) {
            return 0;
        }
        return Math.max(0, WINDOW - (nanoTime.getAsLong() - starts[next]));
    }
}
