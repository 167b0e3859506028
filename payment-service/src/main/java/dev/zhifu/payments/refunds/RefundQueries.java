package dev.zhifu.payments.refunds;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What the other features read of refunds (notifications, reconciliation, the admin console); changes go
 * through {@link RefundService} and {@link RefundLedger}, and the table stays behind this package.
 */
@Component
public class RefundQueries {

    private final RefundRepository refunds;

    public RefundQueries(RefundRepository refunds) {
        this.refunds = refunds;
    }

    public Optional<Refund> find(String id) {
        return refunds.find(id);
    }

    public Optional<Refund> findByOutRequestNo(String outRequestNo) {
        return refunds.findByOutRequestNo(outRequestNo);
    }

    /** The payment's refunds, in their order. */
    public List<Refund> forPayment(String paymentId) {
        return refunds.forPayment(paymentId);
    }

    /** What went back to buyers in refunds that succeeded at {@code since} or later. */
    public BigDecimal refundedSince(Instant since) {
        BigDecimal sum = refunds.succeededAmountSince(since);
        return sum == null ? BigDecimal.ZERO : sum;
    }
}
