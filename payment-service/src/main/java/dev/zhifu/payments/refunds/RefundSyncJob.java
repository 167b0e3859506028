package dev.zhifu.payments.refunds;

import static dev.zhifu.payments.storage.Times.db;

import dev.zhifu.payments.jobs.BackgroundWork;
import dev.zhifu.payments.jobs.CallBudget;
import dev.zhifu.payments.jobs.LeasedJob;
import dev.zhifu.payments.jobs.SyncProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refunds whose result is unknown (a time-out, {@code ACQ.SYSTEM_ERROR}, an instance that died mid-call) are
 * queried until Alipay says, with pauses growing with their age up to {@code payments.sync.max-interval}. Rows
 * are taken with leases, so several instances share the work and each refund is handled by one at a time.
 * Run on the schedule of {@code payments.sync.interval}, after the payments ({@code PaymentSyncJob}, through
 * {@link RefundFollowUp}).
 */
@Component
public class RefundSyncJob {

    private static final Logger log = LoggerFactory.getLogger(RefundSyncJob.class);

    /**
     * Pending refunds whose next query has come, in the order of ix_refunds_status (status, next_sync_at), so that
     * H2 reads the index in order instead of sorting every due row (PaymentJobs.SYNC_DUE says what that cost).
     */
    static final LeasedJob DUE = new LeasedJob(
            "refund_sync",
            "refunds",
            "status = 'PENDING' AND next_sync_at <= :now",
            "status, next_sync_at",
            now -> Map.of("now", db(now)));

    private final RefundRepository refunds;
    private final RefundService service;
    private final BackgroundWork work;
    private final SyncProperties settings;
    private final CallBudget budget;
    private final Clock clock;

    public RefundSyncJob(
            RefundRepository refunds,
            RefundService service,
            BackgroundWork work,
            SyncProperties settings,
            CallBudget budget,
            Clock clock) {
        this.budget = budget;
        this.refunds = refunds;
        this.service = service;
        this.work = work;
        this.settings = settings;
        this.clock = clock;
    }

    /** Works through the refunds due now; answers how many were looked at. */
    public int runOnce() {
        return work.drain(
                DUE,
                this::process,
                (id, e) -> {
                    log.warn("Sync of refund {} failed: {}", id, e.toString());
                    refunds.scheduleSync(id, clock.instant().plus(settings.firstInterval()));
                },
                budget);
    }

    /** One refund, whose lease the caller holds. */
    private void process(String id) {
        Refund r = refunds.find(id).orElse(null);
        if (r == null || r.status() != RefundStatus.PENDING) {
            return;
        }
        Refund after = service.resolve(r);
        if (after.status() == RefundStatus.PENDING) {
            Instant now = clock.instant();
            refunds.scheduleSync(id, now.plus(settings.retryAfter(Duration.between(r.createdAt(), now))));
        }
    }
}
