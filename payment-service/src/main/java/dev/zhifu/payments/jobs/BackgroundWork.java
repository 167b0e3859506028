package dev.zhifu.payments.jobs;

import dev.zhifu.payments.storage.DatabaseFailures;
import dev.zhifu.payments.storage.DatabaseHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Graceful shutdown of the background jobs: once stopping, no job takes new work; items in progress get
 * {@code payments.sync.shutdown-grace} to finish (each is a conditional update in one transaction, so nothing is
 * ever half-applied), then every lease this instance still holds is released so another instance takes the rows
 * at once instead of waiting for the leases to expire.
 * <p>
 * While the database is unreachable no job takes work (README, "When the database fails"). A lease taken before
 * the outage stays this instance's until it expires ({@code payments.sync.lease}); a lease that could not be
 * given back during the outage is taken again once it has expired, by one instance, so a row is neither lost
 * nor worked on twice at once.
 */
@Component
@EnableConfigurationProperties(SyncProperties.class)
public class BackgroundWork implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundWork.class);
    /** Rounds of one run at most, so a run ends even if items keep coming due. */
    private static final int MAX_ROUNDS = 20;
    /** The longest a budgeted run waits for room in the budget, so that it ends and the scheduler moves on. */
    private static final Duration PACED_RUN = Duration.ofSeconds(30);

    private final Leases leases;
    private final SyncProperties settings;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running;
    private volatile boolean stopping;

    private final DatabaseHealth database;

    public BackgroundWork(Leases leases, SyncProperties settings, Clock clock, DatabaseHealth database) {
        this.database = database;
        this.leases = leases;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * One run of a job: round after round, takes the job's due rows with leases ({@link Leases#claim}), hands
     * each id to {@code each} and releases it, until none is due or the service stops. A failing item goes to
     * {@code failed} (which reschedules it) and does not stop the others.
     *
     * @return how many items were handled
     */
    public int drain(LeasedJob job, Consumer<String> each, BiConsumer<String, RuntimeException> failed) {
        return drain(job, each, failed, null);
    }

    /**
     * As {@link #drain(LeasedJob, Consumer, BiConsumer)}, for a job whose items call Alipay: each item runs within
     * {@code budget}, a round takes no more rows than the budget has room for, and when it has none the run waits
     * for room (at most {@link #PACED_RUN} in all, then the next run carries on). Rows come in the job's order
     * (the longest overdue first) and a row not reached keeps its place, so a backlog larger than the budget is
     * worked through in turn, not starved.
     */
    public int drain(
            LeasedJob job, Consumer<String> each, BiConsumer<String, RuntimeException> failed, CallBudget budget) {
        if (!enter()) {
            return 0;
        }
        try {
            int done = 0;
            long until = System.nanoTime() + PACED_RUN.toNanos();
            for (int round = 0; round < MAX_ROUNDS && accepting(); round++) {
                int take = settings.batch();
                if (budget != null) {
                    take = Math.min(take, awaitRoom(budget, until));
                    if (take == 0) {
                        break;
                    }
                }
                Instant now = clock.instant();
                List<String> ids = leases.claim(job, now, settings.lease(), take);
                if (ids.isEmpty()) {
                    break;
                }
                for (String id : ids) {
                    try {
                        // else released untouched and still due: for another instance, or for the next round
                        if (accepting() && (budget == null || budget.room() > 0)) {
                            if (budget == null) {
                                each.accept(id);
                            } else {
                                budget.runBudgeted(() -> each.accept(id));
                            }
                            done++;
                        }
                    } catch (RuntimeException e) {
                        if (DatabaseFailures.unavailable(e)) {
                            // not the item's fault, and the rest would fail alike: the run ends here
                            database.suspect();
                            throw e;
                        }
                        failed.accept(id, e);
                    } finally {
                        leases.release(job, id);
                    }
                }
            }
            return done;
        } finally {
            exit();
        }
    }

    /** The budget's room, waiting for some while the service runs and before {@code until}; 0 when none came. */
    private int awaitRoom(CallBudget budget, long until) {
        int room;
        while ((room = budget.room()) == 0 && accepting()) {
            long wait = Math.min(budget.nanosUntilRoom(), until - System.nanoTime());
            if (wait <= 0) {
                return 0;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)) + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return accepting() ? room : 0;
    }

    /**
     * Whether a job may take work now: not while stopping, nor while the database is unreachable (a run would only
     * wait for it and fail; jobs pause and take their work up again once it answers, DatabaseHealth).
     */
    public boolean accepting() {
        return !stopping && database.reachable();
    }

    /**
     * Marks one job round as running; false when stopping or the database is unreachable (then do nothing). Pair
     * with {@link #exit()}.
     */
    public boolean enter() {
        inFlight.incrementAndGet();
        if (!accepting()) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    public void exit() {
        synchronized (inFlight) {
            inFlight.decrementAndGet();
            inFlight.notifyAll();
        }
    }

    /** Also after a stop: a stopped context may be started again (Spring's test framework pauses idle ones). */
    @Override
    public void start() {
        stopping = false;
        running = true;
    }

    @Override
    public void stop() {
        stopping = true;
        long until = System.nanoTime() + settings.shutdownGrace().toNanos();
        synchronized (inFlight) {
            while (inFlight.get() > 0 && System.nanoTime() < until) {
                try {
                    inFlight.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            int released = leases.releaseAll();
            log.info("Background work stopped ({} still running, {} leases released)", inFlight.get(), released);
        } catch (RuntimeException e) {
            log.warn("Leases not released at shutdown (they expire by themselves): {}", e.getMessage());
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server drains and long before the data source closes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
