package dev.zhifu.payments.payments;

import dev.zhifu.payments.events.EventOutbox;
import dev.zhifu.payments.events.EventType;
import dev.zhifu.payments.operations.PaymentMetrics;
import dev.zhifu.payments.storage.Ids;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The only place a payment's status changes (ModuleBoundariesTest holds every other class to that): one
 * conditional UPDATE and its outbox event, in one transaction; refunds change it through {@link #refunded}.
 * Whoever loses a race (a duplicate notification, a sync racing a notification) sees zero rows updated and
 * changes nothing.
 */
@Component
public class PaymentLedger {

    private static final Logger log = LoggerFactory.getLogger(PaymentLedger.class);

    public enum Paid {
        APPLIED,
        ALREADY_PAID,
        PAID_AFTER_CLOSE,
        /** the other wallet had paid it first ({@code any_qr}): recorded as an anomaly, not counted */
        PAID_BY_OTHER_WALLET
    }

    public enum Closed {
        APPLIED,
        ALREADY_CLOSED,
        PAID
    }

    private final PaymentRepository payments;
    private final AnomalyRepository anomalies;
    private final EventOutbox outbox;
    private final PaymentViews views;
    private final Clock clock;
    private final PaymentMetrics metrics;

    public PaymentLedger(
            PaymentRepository payments,
            AnomalyRepository anomalies,
            EventOutbox outbox,
            PaymentViews views,
            Clock clock,
            PaymentMetrics metrics) {
        this.metrics = metrics;
        this.payments = payments;
        this.anomalies = anomalies;
        this.outbox = outbox;
        this.views = views;
        this.clock = clock;
        Map<String, List<String>> channels = new LinkedHashMap<>();
        for (PaymentMethod m : PaymentMethod.values()) {
            channels.put(
                    m.wire(),
                    m.channel() != null
                            ? List.of(m.channel().wire())
                            : List.of("none", Channel.ALIPAY.wire(), Channel.WECHATPAY.wire()));
        }
        metrics.methods(channels);
    }

    /**
     * Alipay says the buyer paid: PENDING → PAID, or an anomaly when we had closed it. Transactional itself: the
     * call below is on this object, not through its proxy, and the outbox needs the transaction.
     */
    @Transactional
    public Paid markPaid(String paymentId, String tradeNo, String buyerLogonId, Instant paidAt) {
        return markPaid(paymentId, Channel.ALIPAY, tradeNo, buyerLogonId, paidAt);
    }

    /**
     * {@code channel} says the buyer paid: PENDING → PAID (an {@code any_qr} payment takes that channel), or an
     * anomaly when we had closed it or the other wallet had paid it first.
     *
     * @param tradeNo that channel's trade number (Alipay's {@code trade_no}, WeChat Pay's {@code transaction_id})
     */
    @Transactional
    public Paid markPaid(String paymentId, Channel channel, String tradeNo, String buyerLogonId, Instant paidAt) {
        Instant now = clock.instant();
        int changed = payments.markPaid(paymentId, channel, tradeNo, buyerLogonId, paidAt != null ? paidAt : now, now);
        Payment p = payments.find(paymentId).orElseThrow();
        if (changed == 1) {
            outbox.append(p.id(), p.version(), EventType.PAYMENT_SUCCEEDED, views.of(p));
            metrics.paid(p.method().wire(), channel.wire());
            log.info("Payment {} ({}) paid, {} trade {}", p.id(), p.outTradeNo(), channel.wire(), tradeNo);
            return Paid.APPLIED;
        }
        String trade = tradeNo != null ? tradeNo : "unknown";
        if (p.status() == PaymentStatus.CLOSED) {
            recordAnomaly(
                    p,
                    Anomaly.PAID_AFTER_CLOSE,
                    trade,
                    now,
                    channel.wire() + " reports the trade paid after this payment was closed; refund the buyer");
            return Paid.PAID_AFTER_CLOSE;
        }
        if (p.channel() != null && p.channel() != channel) {
            recordAnomaly(
                    p,
                    Anomaly.PAID_BY_OTHER_WALLET,
                    trade,
                    now,
                    channel.wire() + " reports the trade paid, but "
                            + p.channel().wire()
                            + " was the wallet of this payment"
                            + (p.status() == PaymentStatus.PENDING ? "" : ", and it had paid first")
                            + "; refund the buyer at " + channel.wire());
            return Paid.PAID_BY_OTHER_WALLET;
        }
        payments.rememberTradeNo(p.id(), tradeNo, now);
        return Paid.ALREADY_PAID;
    }

    private void recordAnomaly(Payment p, String kind, String trade, Instant now, String detail) {
        boolean recorded =
                anomalies.insertOnce(new Anomaly(Ids.next("anm"), p.id(), kind, trade, p.amount(), detail, now, null));
        if (recorded) {
            log.warn("ANOMALY: payment {} ({}), trade {}: {}", p.id(), p.outTradeNo(), trade, detail);
        }
    }

    /**
     * Money that arrived after we closed the payment went back to the buyer in full (refund notification):
     * the anomaly needs no one any more. Our books never counted that money, so nothing else changes.
     */
    @Transactional
    public boolean resolvePaidAfterClose(String paymentId, String note) {
        return resolveAnomaly(paymentId, Anomaly.PAID_AFTER_CLOSE, note);
    }

    /** The money of an anomaly of this {@code kind} went back to the buyer in full: no one needs to act on it. */
    @Transactional
    public boolean resolveAnomaly(String paymentId, String kind, String note) {
        boolean resolved = anomalies.resolve(paymentId, kind, note, clock.instant());
        if (resolved) {
            log.info("Anomaly of payment {} resolved: {}", paymentId, note);
        }
        return resolved;
    }

    /**
     * Locks the payment's row until the transaction ends, for a refund: refunds reserve the refundable amount
     * under it, so concurrent refunds never add up to more than was paid; an event appended then keeps its order.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Payment> lock(String paymentId) {
        return payments.lock(paymentId);
    }

    /**
     * A refund of the payment succeeded: adds it to the refunded amount (PAID → REFUNDED when nothing is left),
     * then writes the refund's {@code refund.succeeded} and, when nothing is left, {@code payment.refunded}, in
     * that order, so a receiver sees them so.
     *
     * @param refundEvent the refund as its event carries it
     * @throws IllegalStateException when the payment is not PAID or the refund is more than is left
     */
    @Transactional
    public Payment refunded(String paymentId, String refundId, BigDecimal amount, Instant now, Object refundEvent) {
        if (payments.addRefunded(paymentId, amount, now) == 0) {
            throw new IllegalStateException("refund " + refundId + " cannot be added to payment " + paymentId
                    + " (not PAID, or more than was paid)");
        }
        Payment p = payments.find(paymentId).orElseThrow();
        outbox.append(p.id(), p.version(), EventType.REFUND_SUCCEEDED, refundEvent);
        if (p.status() == PaymentStatus.REFUNDED) {
            outbox.append(p.id(), p.version(), EventType.PAYMENT_REFUNDED, views.of(p));
        }
        return p;
    }

    /** PENDING → CLOSED (closed, expired, cancelled or refused by Alipay). */
    @Transactional
    public Closed markClosed(String paymentId, String failureCode, String failureMessage) {
        int changed = payments.markClosed(paymentId, failureCode, failureMessage, clock.instant());
        Payment p = payments.find(paymentId).orElseThrow();
        if (changed == 1) {
            outbox.append(p.id(), p.version(), EventType.PAYMENT_CLOSED, views.of(p));
            metrics.closed(
                    p.method().wire(),
                    p.channel() == null ? "none" : p.channel().wire());
            log.info("Payment {} ({}) closed{}", p.id(), p.outTradeNo(), failureCode == null ? "" : ": " + failureCode);
            return Closed.APPLIED;
        }
        return p.status() == PaymentStatus.CLOSED ? Closed.ALREADY_CLOSED : Closed.PAID;
    }
}
