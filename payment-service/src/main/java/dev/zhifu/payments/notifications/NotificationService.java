package dev.zhifu.payments.notifications;

import dev.zhifu.alipay.AlipaySignatureException;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.notify.TradeNotification;
import dev.zhifu.alipay.trade.TradeStatus;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.operations.PaymentMetrics;
import dev.zhifu.payments.operations.PaymentTraces;
import dev.zhifu.payments.payments.AmountGuard;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentLedger;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.payments.PaymentStatus;
import dev.zhifu.payments.payments.TracedPayment;
import dev.zhifu.payments.refunds.Refund;
import dev.zhifu.payments.refunds.RefundLedger;
import dev.zhifu.payments.refunds.RefundQueries;
import dev.zhifu.payments.refunds.RefundStatus;
import dev.zhifu.payments.storage.DatabaseFailures;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Alipay's asynchronous notifications (docs/alipay-protocol.md#s9): verified, checked against our own payment, applied
 * idempotently, recorded for audit. {@code success} is answered only once the effect is committed (or was
 * already); anything refused is answered {@code failure} and changes nothing but the audit record.
 */
@Service
public class NotificationService {

    private static final Logger log = LoggerFactory.getLogger(NotificationService.class);
    private static final int ATTEMPTS = 4;

    public enum Outcome {
        APPLIED,
        DUPLICATE,
        ANOMALY,
        IGNORED,
        REFUSED
    }

    /**
     * @param sentAt     when Alipay says it sent the notification ({@code notify_time}, else {@code gmt_payment}),
     *                   for the lag metric; null when unknown
     * @param unverified refused before it proved to come from Alipay now (undecodable, bad signature, stale):
     *                   nothing of it was recorded
     */
    public record Result(Outcome outcome, String reason, java.time.Instant sentAt, boolean unverified) {
        public Result(Outcome outcome, String reason) {
            this(outcome, reason, null, false);
        }

        public Result(Outcome outcome, String reason, java.time.Instant sentAt) {
            this(outcome, reason, sentAt, false);
        }

        /** Whether Alipay is answered {@code success}. */
        public boolean accepted() {
            return outcome != Outcome.REFUSED;
        }

        /** The {@code result} tag of {@code payments.notifications.received}. */
        public String metric() {
            return switch (outcome) {
                case APPLIED -> "ok";
                case DUPLICATE -> "duplicate";
                case ANOMALY -> "anomaly";
                case IGNORED -> "ignored";
                case REFUSED ->
                    reason == null
                            ? "refused"
                            : reason.startsWith("bad_signature")
                                    ? "bad_signature"
                                    : reason.startsWith("malformed") || reason.startsWith("body too large")
                                            ? "malformed"
                                            : reason.startsWith("unknown_trade") || reason.startsWith("no out_trade_no")
                                                    ? "unknown_trade"
                                                    : reason.contains("_mismatch") || reason.contains("out_of_range")
                                                            ? "mismatch"
                                                            : reason.startsWith("busy") ? "busy" : "refused";
            };
        }
    }

    private final AlipayGateway alipay;
    private final PaymentQueries payments;
    private final PaymentLedger ledger;
    private final RefundQueries refunds;
    private final RefundLedger refundLedger;
    private final ReceivedNotificationRepository received;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final PaymentMetrics metrics;
    private final PaymentTraces traces;
    private final NotifyProperties settings;

    public NotificationService(
            AlipayGateway alipay,
            PaymentQueries payments,
            PaymentLedger ledger,
            RefundQueries refunds,
            RefundLedger refundLedger,
            ReceivedNotificationRepository received,
            TransactionTemplate tx,
            Clock clock,
            PaymentMetrics metrics,
            PaymentTraces traces,
            NotifyProperties settings) {
        this.settings = settings;
        this.alipay = alipay;
        this.payments = payments;
        this.ledger = ledger;
        this.refunds = refunds;
        this.refundLedger = refundLedger;
        this.received = received;
        this.tx = tx;
        this.clock = clock;
        this.metrics = metrics;
        this.traces = traces;
    }

    /**
     * Verifies first, with no database work: a post that is not a well-formed form, not signed by Alipay or not
     * fresh is answered {@link Result#unverified()} and recorded nowhere here (the caller keeps bounded evidence
     * of it). Only a verified notification is looked up, checked against our payment, applied and recorded.
     */
    public Result receive(byte[] body, String remoteAddr) {
        TradeNotification n;
        Map<String, String> params;
        try {
            params = NotificationVerifier.decodeForm(body);
        } catch (AlipaySignatureException e) {
            return unverified("malformed: " + e.getMessage());
        }
        try {
            n = alipay.verifier().verify(params);
        } catch (AlipaySignatureException e) {
            return unverified("bad_signature: " + e.getMessage());
        }
        String stale = freshness(n);
        if (stale != null) {
            return unverified(stale);
        }
        // one read serves the span's link to the payment's creation and the checks
        TracedPayment payment = lookUp(n.outTradeNo());
        return traces.notification(params, payment == null ? null : payment.traceParent(), span -> {
            Result result = receiveVerified(body, params, n, payment == null ? null : payment.payment(), remoteAddr);
            String metric = result.metric();
            span.tag("payments.notification.result", metric);
            metrics.notification(metric, result.outcome() == Outcome.APPLIED ? result.sentAt() : null);
            return result;
        });
    }

    private Result unverified(String reason) {
        Result result = new Result(Outcome.REFUSED, reason, null, true);
        metrics.notification(result.metric(), null);
        log.debug("Notification refused before it was verified: {}", reason);
        return result;
    }

    private TracedPayment lookUp(String outTradeNo) {
        if (outTradeNo == null || outTradeNo.isBlank() || outTradeNo.length() > 64) {
            return null; // no such payment can exist
        }
        return payments.findTracedByOutTradeNo(outTradeNo).orElse(null);
    }

    /**
     * @param payment our payment named by its {@code out_trade_no}, read after the verification; null if none
     */
    private Result receiveVerified(
            byte[] body, Map<String, String> params, TradeNotification n, Payment payment, String remoteAddr) {
        String raw = new String(body, StandardCharsets.ISO_8859_1); // byte-exact, whatever charset the body uses
        String problem = check(n, payment);
        if (problem != null) {
            return refuse(raw, remoteAddr, params, n, problem);
        }
        Result result = applyOnce(
                tx,
                () -> {
                    Result applied = apply(n, payment);
                    record(raw, remoteAddr, params, n, applied.outcome().name(), applied.reason());
                    return applied;
                },
                "Notification " + n.notifyId() + " for " + n.outTradeNo());
        if (result.reason() != null && result.reason().startsWith("busy: ")) {
            return result;
        }
        // an applied change is logged by the ledger that made it; the rest here
        if (result.outcome() == Outcome.APPLIED) {
            log.debug(
                    "Notification {} for {} ({}): {} - {}",
                    n.notifyId(),
                    n.outTradeNo(),
                    n.tradeStatus(),
                    result.outcome(),
                    result.reason());
        } else {
            log.info(
                    "Notification {} for {} ({}): {}{}",
                    n.notifyId(),
                    n.outTradeNo(),
                    n.tradeStatus(),
                    result.outcome(),
                    result.reason() == null ? "" : " - " + result.reason());
        }
        java.time.LocalDateTime sent = n.notifyTime() != null ? n.notifyTime() : n.gmtPayment();
        return new Result(result.outcome(), result.reason(), AlipayTimes.toInstant(sent));
    }

    /**
     * Applies and records a verified notification in one transaction. A concurrent copy of it that won a unique key
     * or a lock makes this look again (a few times); not when the database is unreachable or a wait ran into its
     * bound (payments.database.statement-timeout): another try would hold the worker that much longer, and the
     * gateway sends the notification again. Shared by Alipay's and WeChat Pay's notifications.
     *
     * @return the result, or REFUSED {@code busy: …} when the copies kept colliding
     * @throws RuntimeException when the database is unavailable (the controller answers at once)
     */
    static Result applyOnce(TransactionTemplate tx, java.util.function.Supplier<Result> work, String what) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> work.get());
            } catch (DataIntegrityViolationException | TransientDataAccessException raced) {
                if (DatabaseFailures.unavailable(raced)) {
                    throw raced;
                }
                if (attempt >= ATTEMPTS || raced instanceof CannotAcquireLockException) {
                    log.warn("{} not applied after {} attempts: {}", what, attempt, raced.getMessage());
                    return new Result(
                            Outcome.REFUSED, "busy: " + raced.getClass().getSimpleName());
                }
            }
        }
    }

    /** What must hold before a verified notification may touch our books (docs/alipay-protocol.md#s9.3, last paragraph). */
    private String check(TradeNotification n, Payment p) {
        if (!alipay.appId().equals(n.appId())) {
            return "app_id_mismatch: " + n.appId();
        }
        if (alipay.sellerId() != null && !alipay.sellerId().equals(n.sellerId())) {
            return "seller_id_mismatch: " + n.sellerId();
        }
        if (n.outTradeNo() == null || n.outTradeNo().isBlank()) {
            return "no out_trade_no";
        }
        if (p == null || !p.outTradeNo().equals(n.outTradeNo())) {
            return "unknown_trade: " + n.outTradeNo();
        }
        if (!AmountGuard.matches(p, n.totalAmount(), AmountGuard.Source.NOTIFICATION)) {
            return "amount_mismatch: notified " + n.totalAmount() + ", expected " + Money.format(p.amount());
        }
        if (n.tradeStatus() == null) {
            return "no trade_status";
        }
        if (n.refundFee() != null
                && (n.refundFee().signum() < 0 || n.refundFee().compareTo(p.amount()) > 0)) {
            return "refund_fee_out_of_range: " + n.refundFee();
        }
        return null;
    }

    /** {@code notify_time} (GMT+8) within {@code payments.notify.max-age} of now: an old capture is not replayed. */
    private String freshness(TradeNotification n) {
        if (settings.maxAge().isZero()) {
            return null;
        }
        if (n.notifyTime() == null) {
            return "no notify_time";
        }
        java.time.Instant sent = AlipayTimes.toInstant(n.notifyTime());
        java.time.Instant now = clock.instant();
        if (sent.isBefore(now.minus(settings.maxAge()))) {
            return "stale: notify_time " + n.notifyTime() + " is older than " + settings.maxAge();
        }
        if (sent.isAfter(now.plus(settings.maxFutureSkew()))) {
            return "notify_time " + n.notifyTime() + " is in the future";
        }
        return null;
    }

    /**
     * @param checked the payment as read before the transaction: its id, amount and method never change; its
     *                status may have, so what depends on the status is decided by conditional updates or re-read
     */
    private Result apply(TradeNotification n, Payment checked) {
        TradeStatus status = n.tradeStatus();
        if (n.isRefund() && n.refundFee() != null) {
            if (checked.channel() == Channel.WECHATPAY) {
                return refundOfLosingWallet(checked, n);
            }
            return applyRefund(payments.find(checked.id()).orElseThrow(), n);
        }
        Payment p = checked;
        if (status.isPaid()) {
            java.time.Instant paidAt = AlipayTimes.toInstant(n.gmtPayment());
            return switch (ledger.markPaid(p.id(), n.tradeNo(), n.buyerLogonId(), paidAt)) {
                case APPLIED -> new Result(Outcome.APPLIED, "PENDING -> PAID");
                case ALREADY_PAID -> new Result(Outcome.DUPLICATE, "already " + statusOf(p));
                case PAID_AFTER_CLOSE -> new Result(Outcome.ANOMALY, "paid after close: needs a refund");
                case PAID_BY_OTHER_WALLET ->
                    new Result(Outcome.ANOMALY, "paid by WeChat Pay first: this Alipay payment needs a refund");
            };
        }
        if (status == TradeStatus.TRADE_CLOSED) {
            return switch (ledger.markClosed(p.id(), null, null)) {
                case APPLIED -> new Result(Outcome.APPLIED, "PENDING -> CLOSED");
                case ALREADY_CLOSED -> new Result(Outcome.DUPLICATE, "already CLOSED");
                // closed at Alipay without a refund_fee while paid here: refunds arrive with refund_fee
                case PAID ->
                    new Result(Outcome.IGNORED, "TRADE_CLOSED for a " + statusOf(p) + " payment without refund_fee");
            };
        }
        return new Result(Outcome.IGNORED, status + " changes nothing");
    }

    /**
     * An Alipay refund of an {@code any_qr} payment WeChat Pay paid: Alipay's payment was the second one, an
     * anomaly; refunded in full, no one needs to act on it any more. Our books, which hold WeChat Pay's payment, do
     * not change.
     */
    private Result refundOfLosingWallet(Payment p, TradeNotification n) {
        if (n.refundFee().compareTo(p.amount()) >= 0
                && ledger.resolveAnomaly(
                        p.id(),
                        dev.zhifu.payments.payments.Anomaly.PAID_BY_OTHER_WALLET,
                        "the Alipay payment was refunded in full at Alipay (" + Money.format(n.refundFee()) + ")")) {
            return new Result(Outcome.APPLIED, "paid-by-other-wallet anomaly resolved by a full Alipay refund");
        }
        return new Result(Outcome.IGNORED, "Alipay refund of a payment WeChat Pay paid: our books hold WeChat Pay's");
    }

    /** {@code refund_fee} is cumulative (docs/alipay-protocol.md#s9.4): record what we do not know yet. */
    private Result applyRefund(Payment p, TradeNotification n) {
        if (p.status() == PaymentStatus.PENDING || p.status() == PaymentStatus.CLOSED) {
            // a refund proves the payment: the paid notification was lost or is late
            PaymentLedger.Paid paid =
                    ledger.markPaid(p.id(), n.tradeNo(), n.buyerLogonId(), AlipayTimes.toInstant(n.gmtPayment()));
            if (paid == PaymentLedger.Paid.PAID_BY_OTHER_WALLET) {
                return refundOfLosingWallet(payments.find(p.id()).orElseThrow(), n);
            }
            if (paid == PaymentLedger.Paid.PAID_AFTER_CLOSE) {
                if (n.refundFee().compareTo(p.amount()) >= 0
                        && ledger.resolvePaidAfterClose(
                                p.id(),
                                "paid after close, then refunded in full at Alipay (" + Money.format(n.refundFee())
                                        + ")")) {
                    return new Result(Outcome.APPLIED, "paid-after-close anomaly resolved by a full refund");
                }
                return new Result(Outcome.ANOMALY, "refund of a payment paid after close");
            }
            p = payments.find(p.id()).orElseThrow();
        }
        String outRequestNo = n.outBizNo();
        Refund ours = outRequestNo == null
                ? null
                : refunds.findByOutRequestNo(outRequestNo).orElse(null);
        if (ours != null && !ours.paymentId().equals(p.id())) {
            return new Result(Outcome.IGNORED, "out_biz_no " + outRequestNo + " belongs to another payment");
        }
        if (ours != null) {
            if (ours.status() == RefundStatus.PENDING) {
                refundLedger.succeeded(ours.id(), AlipayTimes.toInstant(n.gmtRefund()));
                return new Result(Outcome.APPLIED, "refund " + ours.id() + " succeeded");
            }
            return new Result(Outcome.DUPLICATE, "refund " + ours.id() + " already " + ours.status());
        }
        BigDecimal missing = n.refundFee().subtract(p.refundedAmount());
        if (missing.signum() <= 0) {
            return new Result(Outcome.DUPLICATE, "refund_fee " + n.refundFee() + " already recorded");
        }
        Refund made =
                refundLedger.recordFromAlipay(p.id(), outRequestNo, missing, AlipayTimes.toInstant(n.gmtRefund()));
        return new Result(Outcome.APPLIED, "refund " + made.id() + " made at Alipay recorded");
    }

    private String statusOf(Payment p) {
        return payments.find(p.id()).map(x -> x.status().name()).orElse("?");
    }

    private Result refuse(
            String raw, String remoteAddr, Map<String, String> params, TradeNotification n, String reason) {
        log.warn("Notification refused ({}): {}", remoteAddr, reason);
        try {
            record(raw, remoteAddr, params, n, Outcome.REFUSED.name(), reason);
        } catch (RuntimeException e) {
            log.error("Could not record a refused notification", e);
        }
        return new Result(Outcome.REFUSED, reason);
    }

    private void record(
            String raw,
            String remoteAddr,
            Map<String, String> params,
            TradeNotification n,
            String outcome,
            String reason) {
        Map<String, String> p = params == null ? Map.of() : params;
        received.insert(new ReceivedNotification(
                null,
                clock.instant(),
                remoteAddr,
                raw,
                p.get("charset"),
                p.get("notify_id"),
                p.get("notify_type"),
                p.get("out_trade_no"),
                p.get("trade_status"),
                outcome,
                reason,
                Channel.ALIPAY.name()));
    }
}
