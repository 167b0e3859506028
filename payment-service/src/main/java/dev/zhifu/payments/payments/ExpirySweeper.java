package dev.zhifu.payments.payments;

import dev.zhifu.payments.operations.JobMetrics;
import dev.zhifu.payments.web.ApiException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Closes payments past their expiry: at Alipay first (a trade paid meanwhile becomes PAID, not CLOSED), then
 * here. Several instances may sweep at once: the conditional update lets exactly one of them close each.
 */
@Component
public class ExpirySweeper {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final PaymentRepository payments;
    private final PaymentService service;
    private final PaymentLedger ledger;
    private final Clock clock;

    private final JobMetrics jobs;

    public ExpirySweeper(PaymentRepository payments, PaymentService service, PaymentLedger ledger, Clock clock,
                         JobMetrics jobs) {
        this.jobs = jobs;
        this.payments = payments;
        this.service = service;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${payments.expiry-sweep-interval:30s}", initialDelayString = "${payments.expiry-sweep-interval:30s}")
    public void scheduled() {
        try {
            jobs.run(JobMetrics.EXPIRY_SWEEP, this::sweep);
        } catch (RuntimeException e) {
            log.warn("Expiry sweep failed: {}", e.getMessage());
        }
    }

    /** @return how many payments this sweep closed */
    public int sweep() {
        int closed = 0;
        for (String id : payments.expiredPending(clock.instant(), 100)) {
            if (jobs.item(JobMetrics.EXPIRY_SWEEP, id, () -> closeExpired(id))) {
                closed++;
            }
        }
        return closed;
    }

    private boolean closeExpired(String id) {
        Payment p = payments.find(id).orElse(null);
        if (p == null || p.status() != PaymentStatus.PENDING) {
            return false;
        }
        try {
            service.closeAtAlipay(p);
        } catch (ApiException e) {
            return false; // paid meanwhile (applied), or Alipay unreachable: next sweep
        }
        return ledger.markClosed(p.id(), "expired", "not paid before expires_at") == PaymentLedger.Closed.APPLIED;
    }
}
