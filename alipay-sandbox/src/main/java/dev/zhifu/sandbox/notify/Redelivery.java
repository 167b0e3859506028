package dev.zhifu.sandbox.notify;

import dev.zhifu.sandbox.time.Scheduler;
import java.time.Duration;
import java.util.List;

/**
 * Sends a notification until the merchant acknowledges it, waiting the given gaps (divided by the time scale)
 * between sends: the one retry loop behind Alipay's and WeChat Pay's notifications, which differ only in their
 * gaps and in what counts as an acknowledgement.
 */
public final class Redelivery {

    /** One notification's sending: {@link #attempt()} sends once and answers whether it was acknowledged. */
    public interface Delivery {
        boolean acknowledged();

        boolean attempt();
    }

    private final Scheduler scheduler;
    private final List<Duration> gaps;
    private final double timeScale;

    public Redelivery(Scheduler scheduler, List<Duration> gaps, double timeScale) {
        this.scheduler = scheduler;
        this.gaps = List.copyOf(gaps);
        this.timeScale = timeScale;
    }

    /**
     * Sends now (from a scheduled task) and schedules the next send unless acknowledged; {@code twice} delivers the
     * first send a second time at once (the duplicate fault).
     */
    public void send(Delivery delivery, boolean twice) {
        send(delivery, 1, twice);
    }

    private void send(Delivery delivery, int sendNumber, boolean twice) {
        if (delivery.acknowledged()) {
            return;
        }
        boolean ok = delivery.attempt();
        if (twice) {
            ok |= delivery.attempt();
        }
        if (!ok && sendNumber <= gaps.size()) {
            Duration gap = gaps.get(sendNumber - 1);
            scheduler.schedule(
                    Duration.ofNanos((long) (gap.toNanos() / timeScale)), () -> send(delivery, sendNumber + 1, false));
        }
    }
}
