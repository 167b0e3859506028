package dev.zhifu.sandbox.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.PriorityQueue;

/**
 * A clock and scheduler that only move when a test says so: {@link #advance(Duration)} runs every task that
 * falls due, in time order, on the calling thread. Makes retry schedules and expiry deterministic.
 */
public final class ManualTime extends Clock implements Scheduler {

    private record Due(Instant at, long seq, Runnable task) {}

    private final PriorityQueue<Due> queue =
            new PriorityQueue<>((a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private Instant now;
    private long seq;

    public ManualTime(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("ManualTime is zone-less; format with an explicit zone");
    }

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        queue.add(new Due(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task));
    }

    /** Tasks due now or earlier that have not run yet. */
    public synchronized int pending() {
        return queue.size();
    }

    /** Moves time forward, running due tasks (and the tasks they schedule) in order. */
    public void advance(Duration step) {
        Instant target;
        synchronized (this) {
            target = now.plus(step);
        }
        while (true) {
            Due next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
            }
            next.task.run();
        }
    }

    /** Runs what is due without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    @Override
    public synchronized void close() {
        queue.clear();
    }
}
