package dev.zhifu.payments.jobs;

import dev.zhifu.payments.storage.DatabaseFailures;
import dev.zhifu.payments.storage.DatabaseHealth;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
        if (!enter()) {
            return 0;
        }
        try {
            int done = 0;
            for (int round = 0; round < MAX_ROUNDS && accepting(); round++) {
                Instant now = clock.instant();
                List<String> ids = leases.claim(job, now, settings.lease(), settings.batch());
                if (ids.isEmpty()) {
                    break;
                }
                for (String id : ids) {
                    try {
                        if (accepting()) { // else released untouched, for another instance
                            each.accept(id);
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
