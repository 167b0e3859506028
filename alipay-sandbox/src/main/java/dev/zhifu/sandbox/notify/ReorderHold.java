package dev.zhifu.sandbox.notify;

import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.sandbox.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code reorder_notifications} fault for both gateways: new notifications, Alipay's and WeChat Pay's alike, are
 * held until the fault's {@code count} is reached, then first sent newest first. One hold serves both, so a group
 * that mixes the two gateways is released whole, and {@code DELETE /sandbox/faults} releases everything held
 * (docs/sandbox.md#faults).
 */
public final class ReorderHold {

    private final FaultPlan faults;
    private final Scheduler scheduler;
    private final List<Runnable> held = new ArrayList<>();

    public ReorderHold(FaultPlan faults, Scheduler scheduler) {
        this.faults = faults;
        this.scheduler = scheduler;
    }

    /**
     * Holds a new notification's first send (for a notification the plan gave the reorder fault). When it completes
     * the group, the whole group is sent, newest first; when the fault was used up meanwhile, it is sent at once.
     */
    public void hold(Runnable firstSend) {
        List<Runnable> release;
        synchronized (this) {
            int group = faults.takeReorderSlot();
            if (group == 0) {
                release = List.of(firstSend);
            } else {
                held.add(firstSend);
                if (group < 0) {
                    return;
                }
                release = new ArrayList<>(held);
                held.clear();
                Collections.reverse(release);
            }
        }
        scheduler.schedule(Duration.ZERO, () -> release.forEach(Runnable::run));
    }

    /** Sends everything held now, oldest first; used when the faults are cleared. */
    public void releaseAll() {
        List<Runnable> release;
        synchronized (this) {
            release = new ArrayList<>(held);
            held.clear();
        }
        if (!release.isEmpty()) {
            scheduler.schedule(Duration.ZERO, () -> release.forEach(Runnable::run));
        }
    }

    /** How many first sends are held. */
    public synchronized int size() {
        return held.size();
    }
}
