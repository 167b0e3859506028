package dev.zhifu.payments.notifications;

import dev.zhifu.payments.notifications.NotificationService.Outcome;
import dev.zhifu.payments.notifications.NotificationService.Result;
import dev.zhifu.payments.operations.PaymentMetrics;
import dev.zhifu.payments.operations.PaymentTraces;
import dev.zhifu.payments.payments.AmountGuard;
import dev.zhifu.payments.payments.Anomaly;
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
import dev.zhifu.payments.wechatpay.WechatPayGateway;
import dev.zhifu.payments.wechatpay.WechatPayTimes;
import dev.zhifu.wechatpay.WechatPayException;
import dev.zhifu.wechatpay.WechatPayMalformedException;
import dev.zhifu.wechatpay.WechatPaySignatureException;
import dev.zhifu.wechatpay.notify.Notification;
import dev.zhifu.wechatpay.notify.RefundNotification;
import dev.zhifu.wechatpay.notify.TransactionNotification;
import dev.zhifu.wechatpay.payments.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * WeChat Pay's notifications (docs/payment-channels.md#notifications): the signature over the raw body verified and
 * the resource decrypted (wechatpay-client), checked against our payment (merchant, appid, {@code out_trade_no},
 * amount), applied exactly once through the same ledger as Alipay's, recorded for audit. Accepted only once the
 * effect is committed (or was already); anything refused changes nothing but the audit record, and WeChat Pay sends
 * it again.
 */
@Service
public class WechatNotificationService {

    private static final Logger log = LoggerFactory.getLogger(WechatNotificationService.class);

    private final WechatPayGateway wechat;
    private final PaymentQueries payments;
    private final PaymentLedger ledger;
    private final RefundQueries refunds;
    private final RefundLedger refundLedger;
    private final ReceivedNotificationRepository received;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final PaymentMetrics metrics;
    private final PaymentTraces traces;

    public WechatNotificationService(
            WechatPayGateway wechat,
            PaymentQueries payments,
            PaymentLedger ledger,
            RefundQueries refunds,
            RefundLedger refundLedger,
            ReceivedNotificationRepository received,
            TransactionTemplate tx,
            Clock clock,
            PaymentMetrics metrics,
            PaymentTraces traces) {
        this.wechat = wechat;
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

    /** What a verified, decrypted notification says, whichever kind it is. */
    private record Opened(
            String id,
            String eventType,
            String outTradeNo,
            String state,
            TransactionNotification transaction,
            RefundNotification refund) {}

    /**
     * Verifies and decrypts first, with no database work: a post that is not a notification, not signed by
     * WeChat Pay or not fresh is answered {@link Result#unverified()} and recorded nowhere here. Only a verified
     * notification is looked up, checked, applied and recorded.
     *
     * @param headers the request's headers (the {@code Wechatpay-*} ones are read, case-insensitively)
     * @throws WechatPayException when WeChat Pay's key could not be had (certificate mode, a download failed)
     */
    public Result receive(Map<String, String> headers, byte[] body, String remoteAddr) {
        if (!wechat.isEnabled()) {
            return unverified("not_configured: WeChat Pay is not configured here");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        Notification notification;
        try {
            notification = wechat.client().notification(headers, text); // verified before anything is parsed
        } catch (WechatPaySignatureException e) {
            return unverified("bad_signature: " + e.getMessage());
        } catch (WechatPayMalformedException | IllegalArgumentException e) {
            return unverified("malformed: " + e.getMessage());
        }
        Opened opened = opened(notification);
        if (opened == null) {
            return unverified("malformed: unsupported event_type " + cut(notification.eventType(), 64));
        }
        TracedPayment payment = lookUp(opened.outTradeNo());
        Map<String, String> fields = new HashMap<>();
        fields.put("id", opened.id());
        fields.put("event_type", opened.eventType());
        fields.put("out_trade_no", opened.outTradeNo());
        fields.put(opened.refund() != null ? "refund_status" : "trade_state", opened.state());
        fields.values().removeIf(java.util.Objects::isNull);
        return traces.wechatPayNotification(fields, payment == null ? null : payment.traceParent(), span -> {
            Result result = receiveVerified(text, opened, payment == null ? null : payment.payment(), remoteAddr);
            span.tag("payments.notification.result", result.metric());
            metrics.notification(
                    "wechatpay", result.metric(), result.outcome() == Outcome.APPLIED ? result.sentAt() : null);
            return result;
        });
    }

    /** @return null for an event type this service does not take */
    private static Opened opened(Notification notification) {
        if (notification instanceof TransactionNotification n) {
            Transaction t = n.transaction();
            return new Opened(n.id(), n.eventType(), t.outTradeNo(), t.tradeState(), n, null);
        }
        if (notification instanceof RefundNotification n) {
            return new Opened(
                    n.id(), n.eventType(), n.refund().outTradeNo(), n.refund().status(), null, n);
        }
        return null;
    }

    private Result unverified(String reason) {
        Result result = new Result(Outcome.REFUSED, reason, null, true);
        metrics.notification("wechatpay", result.metric(), null);
        log.debug("WeChat Pay notification refused before it was verified: {}", reason);
        return result;
    }

    private TracedPayment lookUp(String outTradeNo) {
        if (outTradeNo == null || outTradeNo.isBlank() || outTradeNo.length() > 64) {
            return null;
        }
        return payments.findTracedByOutTradeNo(outTradeNo).orElse(null);
    }

    private Result receiveVerified(String raw, Opened n, Payment payment, String remoteAddr) {
        String problem = check(n, payment);
        if (problem != null) {
            log.warn("WeChat Pay notification refused ({}): {}", remoteAddr, problem);
            try {
                record(raw, remoteAddr, n, Outcome.REFUSED.name(), problem);
            } catch (RuntimeException e) {
                if (DatabaseFailures.unavailable(e)) {
                    throw e;
                }
                log.error("Could not record a refused notification", e);
            }
            return new Result(Outcome.REFUSED, problem);
        }
        Result result = NotificationService.applyOnce(
                tx,
                () -> {
                    Result applied = n.refund() != null ? applyRefund(n, payment) : applyPayment(n, payment);
                    record(raw, remoteAddr, n, applied.outcome().name(), applied.reason());
                    return applied;
                },
                "WeChat Pay notification " + n.id() + " for " + n.outTradeNo());
        if (result.reason() != null && result.reason().startsWith("busy: ")) {
            return result;
        }
        log.info(
                "WeChat Pay notification {} for {} ({} {}): {}{}",
                n.id(),
                n.outTradeNo(),
                n.eventType(),
                n.state(),
                result.outcome(),
                result.reason() == null ? "" : " - " + result.reason());
        return new Result(result.outcome(), result.reason(), sentAt(n));
    }

    /** What must hold before a verified notification may touch our books. */
    private String check(Opened n, Payment p) {
        String mchid = n.transaction() != null ? n.transaction().transaction().mchid() : null;
        if (mchid != null && !wechat.mchid().equals(mchid)) {
            return "mchid_mismatch: " + cut(mchid, 32);
        }
        if (n.transaction() != null) {
            String appid = n.transaction().transaction().appid();
            if (appid != null && wechat.appid() != null && !wechat.appid().equals(appid)) {
                return "appid_mismatch: " + cut(appid, 32);
            }
        }
        if (n.outTradeNo() == null || n.outTradeNo().isBlank()) {
            return "no out_trade_no";
        }
        if (p == null || !p.outTradeNo().equals(n.outTradeNo())) {
            return "unknown_trade: " + cut(n.outTradeNo(), 64);
        }
        if (n.transaction() != null) {
            Transaction t = n.transaction().transaction();
            if (!AmountGuard.matches(p, t.total(), AmountGuard.Source.NOTIFICATION)) {
                return "amount_mismatch: notified " + t.total() + ", expected " + Money.format(p.amount());
            }
            if (t.tradeState() == null) {
                return "no trade_state";
            }
        } else {
            var r = n.refund().refund();
            if (r.total() != null && !Money.equal(r.total(), p.amount())) {
                return "amount_mismatch: refund of a payment of " + r.total() + ", expected "
                        + Money.format(p.amount());
            }
            if (r.refund() == null || r.refund().signum() <= 0 || r.refund().compareTo(p.amount()) > 0) {
                return "refund_out_of_range: " + r.refund();
            }
            if (r.outRefundNo() == null || r.outRefundNo().isBlank()) {
                return "no out_refund_no";
            }
        }
        return null;
    }

    private Result applyPayment(Opened n, Payment p) {
        Transaction t = n.transaction().transaction();
        if (!t.isPaid()) {
            return new Result(Outcome.IGNORED, t.tradeState() + " changes nothing");
        }
        return switch (ledger.markPaid(
                p.id(), Channel.WECHATPAY, t.transactionId(), t.payerOpenid(), WechatPayTimes.parse(t.successTime()))) {
            case APPLIED -> new Result(Outcome.APPLIED, "PENDING -> PAID");
            case ALREADY_PAID -> new Result(Outcome.DUPLICATE, "already " + statusOf(p));
            case PAID_AFTER_CLOSE -> new Result(Outcome.ANOMALY, "paid after close: needs a refund");
            case PAID_BY_OTHER_WALLET ->
                new Result(Outcome.ANOMALY, "paid by Alipay first: this WeChat Pay payment needs a refund");
        };
    }

    /** A refund's outcome; a refund made in WeChat Pay's merchant platform is recorded as ours. */
    private Result applyRefund(Opened n, Payment checked) {
        var r = n.refund().refund();
        Payment p = payments.find(checked.id()).orElseThrow();
        if (p.channel() != Channel.WECHATPAY) {
            // the losing wallet of an any_qr payment was refunded: its anomaly needs no one any more
            if (r.isSuccessful()
                    && r.refund().compareTo(p.amount()) >= 0
                    && ledger.resolveAnomaly(
                            p.id(),
                            Anomaly.PAID_BY_OTHER_WALLET,
                            "the WeChat Pay payment was refunded in full at WeChat Pay (" + Money.format(r.refund())
                                    + ")")) {
                return new Result(Outcome.APPLIED, "paid-by-other-wallet anomaly resolved by a full WeChat Pay refund");
            }
            return new Result(Outcome.IGNORED, "refund at WeChat Pay of a payment " + p.channel() + " holds");
        }
        Refund ours = refunds.findByOutRequestNo(r.outRefundNo()).orElse(null);
        if (ours != null && !ours.paymentId().equals(p.id())) {
            return new Result(Outcome.IGNORED, "out_refund_no " + r.outRefundNo() + " belongs to another payment");
        }
        if (!r.isSuccessful()) {
            if (ours != null && ours.status() == RefundStatus.PENDING && "CLOSED".equals(r.status())) {
                refundLedger.failed(ours.id(), "CLOSED", "WeChat Pay closed the refund");
                return new Result(Outcome.APPLIED, "refund " + ours.id() + " failed (CLOSED)");
            }
            if ("ABNORMAL".equals(r.status())) {
                log.warn(
                        "Refund {} of payment {} is ABNORMAL at WeChat Pay: it needs handling in the merchant platform",
                        r.outRefundNo(),
                        p.id());
            }
            return new Result(Outcome.IGNORED, "refund " + r.outRefundNo() + " " + r.status());
        }
        if (ours != null) {
            if (ours.status() == RefundStatus.PENDING) {
                refundLedger.succeeded(ours.id(), WechatPayTimes.parse(r.successTime()));
                return new Result(Outcome.APPLIED, "refund " + ours.id() + " succeeded");
            }
            return new Result(Outcome.DUPLICATE, "refund " + ours.id() + " already " + ours.status());
        }
        if (p.status() != PaymentStatus.PAID) {
            return new Result(
                    p.status() == PaymentStatus.REFUNDED ? Outcome.DUPLICATE : Outcome.IGNORED,
                    "refund " + r.outRefundNo() + " of a " + p.status() + " payment");
        }
        if (r.refund().compareTo(p.refundable()) > 0) {
            return new Result(
                    Outcome.ANOMALY, "refund " + r.outRefundNo() + " of " + r.refund() + " is more than is left");
        }
        Refund made = refundLedger.recordFromGateway(
                p.id(), r.outRefundNo(), r.refund(), WechatPayTimes.parse(r.successTime()), Channel.WECHATPAY);
        return new Result(Outcome.APPLIED, "refund " + made.id() + " made at WeChat Pay recorded");
    }

    private String statusOf(Payment p) {
        return payments.find(p.id()).map(x -> x.status().name()).orElse("?");
    }

    private static Instant sentAt(Opened n) {
        String at = n.transaction() != null
                ? n.transaction().createTime()
                : n.refund().createTime();
        return WechatPayTimes.parse(at);
    }

    private void record(String raw, String remoteAddr, Opened n, String outcome, String reason) {
        received.insert(new ReceivedNotification(
                null,
                clock.instant(),
                remoteAddr,
                raw, // the envelope as received: the resource stays encrypted, so no payer data is kept in clear
                "utf-8",
                n.id(),
                n.eventType(),
                n.outTradeNo(),
                n.state(),
                outcome,
                reason,
                Channel.WECHATPAY.name()));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
