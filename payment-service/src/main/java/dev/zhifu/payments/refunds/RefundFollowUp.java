package dev.zhifu.payments.refunds;

import dev.zhifu.payments.payments.PaymentFollowUp;
import org.springframework.stereotype.Component;

/** Refunds settle with their payment's sync: on demand the payment's pending ones, on schedule the refund job. */
@Component
class RefundFollowUp implements PaymentFollowUp {

    private final RefundRepository refunds;
    private final RefundService service;
    private final RefundSyncJob job;

    RefundFollowUp(RefundRepository refunds, RefundService service, RefundSyncJob job) {
        this.refunds = refunds;
        this.service = service;
        this.job = job;
    }

    @Override
    public String name() {
        return "Refund";
    }

    @Override
    public void afterSyncNow(String paymentId) {
        for (Refund r : refunds.forPayment(paymentId)) {
            if (r.status() == RefundStatus.PENDING) {
                service.send(r); // same out_request_no: Alipay refunds at most once
            }
        }
    }

    @Override
    public void afterScheduledSync() {
        job.runOnce();
    }
}
