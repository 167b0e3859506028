package dev.zhifu.sandbox.time;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Real time on a small daemon thread pool. */
public final class ExecutorScheduler implements Scheduler {

    private final ScheduledExecutorService executor;

    public ExecutorScheduler(int threads) {
        AtomicInteger ids = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "alipay-sandbox-scheduler-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
        if (executor.isShutdown()) {
            return;
        }
        executor.schedule(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        System.err.println("alipay-sandbox: scheduled task failed: " + e);
                    }
                },
                Math.max(0, delay.toNanos()),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
