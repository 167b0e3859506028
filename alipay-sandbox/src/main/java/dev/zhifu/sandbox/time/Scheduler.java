package dev.zhifu.sandbox.time;

import java.time.Duration;

/** Runs work later: notification retries, a barcode payment that settles after a while, expiry sweeps. */
public interface Scheduler extends AutoCloseable {

    /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible). */
    void schedule(Duration delay, Runnable task);

    @Override
    void close();
}
