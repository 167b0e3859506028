package dev.zhifu.payments.refunds;

import static dev.zhifu.payments.support.Times.db;

import dev.zhifu.payments.jobs.BackgroundWork;
import dev.zhifu.payments.jobs.Leases;
import dev.zhifu.payments.jobs.SyncProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refunds whose result is unknown (a time-out, {@code ACQ.SYSTEM_ERROR}, an instance that died mid-call) are
 * queried until Alipay says, with pauses growing with their age up to {@code payments.sync.max-interval}. Rows
 * are taken with leases, so several instances share the work and each refund is handled by one at a time.
 */
@Component
public class RefundSyncJob {

    private static final Logger log = LoggerFactory.getLogger(RefundSyncJob.class);
    private static final int MAX_ROUNDS = 20;

    private final RefundRepository refunds;
    private final RefundService service;
    private final Leases leases;
    private final BackgroundWork work;
    private final SyncProperties settings;
    private final Clock clock;

    public RefundSyncJob(RefundRepository refunds, RefundService service, Leases leases, BackgroundWork work,
                         SyncProperties settings, Clock clock) {
        this.refunds = refunds;
        this.service = service;
        this.leases = leases;
        this.work = work;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${payments.sync.interval:5s}", initialDelayString = "${payments.sync.interval:5s}")
    public void scheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("Refund sync failed: {}", e.getMessage());
        }
    }

    /** Works through the refunds due now; answers how many were looked at. */
    public int runOnce() {
        if (!work.enter()) {
            return 0;
        }
        try {
            int done = 0;
            for (int round = 0; round < MAX_ROUNDS && work.accepting(); round++) {
                Instant now = clock.instant();
                List<String> ids = leases.claim("refunds", "status = 'PENDING' AND next_sync_at <= :now",
                        Map.of("now", db(now)), "next_sync_at", now, settings.lease(), settings.batch());
                if (ids.isEmpty()) {
                    break;
                }
                for (String id : ids) {
                    try {
                        Refund r = refunds.find(id).orElse(null);
                        if (r != null && r.status() == RefundStatus.PENDING && work.accepting()) {
                            Refund after = service.resolve(r);
                            done++;
                            if (after.status() == RefundStatus.PENDING) {
                                Instant at = clock.instant();
                                refunds.scheduleSync(id, at.plus(settings.retryAfter(Duration.between(r.createdAt(), at))));
                            }
                        }
                    } catch (RuntimeException e) {
                        log.warn("Sync of refund {} failed: {}", id, e.toString());
                        refunds.scheduleSync(id, clock.instant().plus(settings.firstInterval()));
                    } finally {
                        leases.release("refunds", id);
                    }
                }
            }
            return done;
        } finally {
            work.exit();
        }
    }
}
