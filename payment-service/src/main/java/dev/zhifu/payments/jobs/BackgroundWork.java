package dev.zhifu.payments.jobs;

import java.util.concurrent.atomic.AtomicInteger;
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
 */
@Component
@EnableConfigurationProperties(SyncProperties.class)
public class BackgroundWork implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundWork.class);

    private final Leases leases;
    private final SyncProperties settings;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running;
    private volatile boolean stopping;

    public BackgroundWork(Leases leases, SyncProperties settings) {
        this.leases = leases;
        this.settings = settings;
    }

    /** Whether a job may take work now. */
    public boolean accepting() {
        return !stopping;
    }

    /** Marks one job round as running; false when stopping (then do nothing). Pair with {@link #exit()}. */
    public boolean enter() {
        inFlight.incrementAndGet();
        if (stopping) {
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

    @Override
    public void start() {
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
