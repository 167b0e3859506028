package dev.zhifu.payments.refunds;

import dev.zhifu.payments.events.EventOutbox;
import dev.zhifu.payments.events.EventType;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentLedger;
import dev.zhifu.payments.payments.PaymentStatus;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.web.ApiException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refund state changes, each with its events in one transaction. A refund is reserved under the payment's row
 * lock before Alipay is asked, so concurrent refunds can never add up to more than was paid. What a refund does
 * to its payment (the refunded amount, PAID → REFUNDED) is the payment ledger's to write.
 */
@Component
public class RefundLedger {

    private static final Logger log = LoggerFactory.getLogger(RefundLedger.class);

    private final RefundRepository refunds;
    private final PaymentLedger paymentLedger;
    private final EventOutbox outbox;
    private final Clock clock;

    public RefundLedger(RefundRepository refunds, PaymentLedger paymentLedger, EventOutbox outbox, Clock clock) {
        this.refunds = refunds;
        this.paymentLedger = paymentLedger;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Reserves a refund: PENDING, with an {@code out_request_no} derived from the payment and the refund's
     * sequence number, so a retried Alipay call names the same refund and cannot refund twice.
     */
    @Transactional
    public Refund reserve(String paymentId, BigDecimal amount, String reason) {
        Payment p = paymentLedger
                .lock(paymentId)
                .orElseThrow(() -> ApiException.notFound("payment_not_found", "No payment " + paymentId));
        // a fully refunded payment has nothing left: that is the 422 of any amount above what is left
        if (p.status() != PaymentStatus.PAID && p.status() != PaymentStatus.REFUNDED) {
            throw ApiException.conflict(
                    "payment_not_refundable", "Only a paid payment can be refunded; this one is " + p.status());
        }
        BigDecimal left = p.status() == PaymentStatus.REFUNDED
                ? BigDecimal.ZERO.setScale(2)
                : p.amount().subtract(refunds.committedAmount(p.id()));
        if (amount.compareTo(left) > 0) {
            throw ApiException.unprocessable(
                            "refund_exceeds_remaining",
                            "Refund of " + Money.format(amount) + " is more than the " + Money.format(left)
                                    + " left to refund")
                    .with("refundable_amount", Money.format(left));
        }
        int seq = refunds.nextSeq(p.id());
        Instant now = clock.instant();
        Refund refund = new Refund(
                Ids.next("re"),
                p.id(),
                seq,
                p.id() + "-r" + seq,
                amount,
                reason,
                RefundStatus.PENDING,
                "api",
                null,
                null,
                now,
                now,
                null);
        // a safety net: if this instance dies before Alipay answers, the refund job settles it (the same
        // out_request_no makes sending it again safe)
        refunds.insert(refund, now.plus(java.time.Duration.ofMinutes(2)));
        return refund;
    }

    /** PENDING → SUCCEEDED, adding to the payment's refunded amount (PAID → REFUNDED when nothing is left). */
    @Transactional
    public boolean succeeded(String refundId, Instant refundedAt) {
        Instant now = clock.instant();
        if (refunds.markSucceeded(refundId, refundedAt != null ? refundedAt : now, now) == 0) {
            return false;
        }
        Refund r = refunds.find(refundId).orElseThrow();
        applyToPayment(r, now);
        return true;
    }

    /** PENDING → FAILED: Alipay refused; the amount is free again. */
    @Transactional
    public boolean failed(String refundId, String code, String message) {
        if (refunds.markFailed(refundId, code, message, clock.instant()) == 0) {
            return false;
        }
        Refund r = refunds.find(refundId).orElseThrow();
        // the payment's row lock orders its events (EventOutbox.append)
        Payment p = paymentLedger.lock(r.paymentId()).orElseThrow();
        outbox.append(p.id(), p.version(), EventType.REFUND_FAILED, RefundView.of(r));
        log.info("Refund {} of payment {} failed: {} {}", r.id(), p.id(), code, message);
        return true;
    }

    /**
     * A refund Alipay made that we never asked for (e.g. in the merchant console), learnt from a notification:
     * recorded as succeeded so our books match Alipay's.
     */
    @Transactional
    public Refund recordFromAlipay(String paymentId, String outRequestNo, BigDecimal amount, Instant refundedAt) {
        return recordFromGateway(paymentId, outRequestNo, amount, refundedAt, Channel.ALIPAY);
    }

    /**
     * A refund the payment's gateway made that we never asked for (its merchant console), learnt from a
     * notification: recorded as succeeded, with the gateway as its origin, so our books match the gateway's.
     */
    @Transactional
    public Refund recordFromGateway(
            String paymentId, String outRequestNo, BigDecimal amount, Instant refundedAt, Channel channel) {
        Payment p = paymentLedger.lock(paymentId).orElseThrow();
        String gateway = channel == Channel.WECHATPAY ? "WeChat Pay" : "Alipay";
        Instant now = clock.instant();
        int seq = refunds.nextSeq(p.id());
        String requestNo = outRequestNo != null && !outRequestNo.isBlank() ? outRequestNo : p.id() + "-x" + seq;
        Refund refund = new Refund(
                Ids.next("re"),
                p.id(),
                seq,
                requestNo,
                amount,
                "refunded at " + gateway,
                RefundStatus.SUCCEEDED,
                channel.wire(),
                null,
                null,
                now,
                now,
                refundedAt != null ? refundedAt : now);
        refunds.insert(refund);
        applyToPayment(refund, now);
        log.info(
                "Recorded refund {} of {} for payment {} made at {} ({})",
                refund.id(),
                Money.format(amount),
                p.id(),
                gateway,
                requestNo);
        return refund;
    }

    private void applyToPayment(Refund r, Instant now) {
        Payment p = paymentLedger.refunded(r.paymentId(), r.id(), r.amount(), now, RefundView.of(r));
        log.info(
                "Refund {} of {} for payment {} succeeded; refunded {} of {}",
                r.id(),
                Money.format(r.amount()),
                p.id(),
                Money.format(p.refundedAmount()),
                Money.format(p.amount()));
    }
}
