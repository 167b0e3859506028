package dev.zhifu.payments.reconciliation;

import dev.zhifu.alipay.AlipayException;
import dev.zhifu.alipay.trade.RefundQueryRequest;
import dev.zhifu.alipay.trade.TradeRef;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.payments.PaymentService;
import dev.zhifu.payments.payments.PaymentStatus;
import dev.zhifu.payments.refunds.Refund;
import dev.zhifu.payments.refunds.RefundLedger;
import dev.zhifu.payments.refunds.RefundQueries;
import dev.zhifu.payments.refunds.RefundService;
import dev.zhifu.payments.refunds.RefundStatus;
import dev.zhifu.payments.wechatpay.WechatPayGateway;
import dev.zhifu.payments.wechatpay.WechatPayTimes;
import dev.zhifu.wechatpay.WechatPayException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The two repairs a run makes by itself, each only after the channel's gateway confirms it by a query (the bill
 * alone never moves money in our books), and each through the ledger that notifications use, so the payment's
 * events and webhooks follow as if the lost notification had arrived:
 * <ul>
 * <li>paid at the gateway, PENDING here: {@code alipay.trade.query}, or WeChat Pay's order query, says paid →
 *     PENDING → PAID ({@code payment.succeeded}, with the channel that paid);</li>
 * <li>refunded at the gateway, unknown or PENDING here: {@code alipay.trade.fastpay.refund.query} says
 *     {@code REFUND_SUCCESS}, or WeChat Pay's refund query says {@code SUCCESS}, with the bill's amount → the refund
 *     is recorded or settled ({@code refund.succeeded}).</li>
 * </ul>
 * Everything else stays OPEN for a person, with a note of why it was not repaired.
 */
@Component
class SafeRepairs {

    private static final Logger log = LoggerFactory.getLogger(SafeRepairs.class);

    private final ReconciliationRepository repository;
    private final PaymentQueries payments;
    private final PaymentService paymentService;
    private final RefundQueries refunds;
    private final RefundService refundService;
    private final RefundLedger refundLedger;
    private final AlipayGateway alipay;
    private final WechatPayGateway wechat;
    private final Clock clock;

    SafeRepairs(
            ReconciliationRepository repository,
            PaymentQueries payments,
            PaymentService paymentService,
            RefundQueries refunds,
            RefundService refundService,
            RefundLedger refundLedger,
            AlipayGateway alipay,
            WechatPayGateway wechat,
            Clock clock) {
        this.wechat = wechat;
        this.repository = repository;
        this.payments = payments;
        this.paymentService = paymentService;
        this.refunds = refunds;
        this.refundService = refundService;
        this.refundLedger = refundLedger;
        this.alipay = alipay;
        this.clock = clock;
    }

    /** Payments first: a refund can only be recorded on a payment that is PAID here. */
    int repairDay(LocalDate day, Channel channel, int batchSize, Runnable keepLease) {
        int[] repaired = {0};
        for (DiscrepancyKind kind :
                List.of(DiscrepancyKind.PAID_AT_ALIPAY_NOT_HERE, DiscrepancyKind.REFUNDED_AT_ALIPAY_NOT_HERE)) {
            Pages.forEach(
                    batchSize,
                    (after, size) -> repository.discrepancies(day, channel, Discrepancy.OPEN, kind.name(), after, size),
                    Discrepancy::id,
                    d -> {
                        String done =
                                kind == DiscrepancyKind.PAID_AT_ALIPAY_NOT_HERE ? repairPayment(d) : repairRefund(d);
                        if (done != null && repository.markRepaired(d.id(), done, clock.instant())) {
                            repaired[0]++;
                            log.info(
                                    "RECONCILIATION REPAIR {} {} ({} {}): {}",
                                    day,
                                    d.id(),
                                    d.kind(),
                                    d.outRequestNo() != null ? d.outRequestNo() : d.outTradeNo(),
                                    done);
                        }
                    },
                    keepLease);
        }
        return repaired[0];
    }

    /** @return what was done, or null (with a note on the discrepancy) when nothing was */
    private String repairPayment(Discrepancy d) {
        Payment p = d.paymentId() == null ? null : payments.find(d.paymentId()).orElse(null);
        if (p == null || p.status() != PaymentStatus.PENDING) {
            return notRepaired(
                    d,
                    p == null
                            ? "payment not found"
                            : "payment is " + p.status() + " here; only a PENDING payment is repaired automatically");
        }
        String query = d.channel() == Channel.WECHATPAY ? "WeChat Pay's order query" : "alipay.trade.query";
        try {
            Payment after = paymentService.sync(p);
            if ((after.status() == PaymentStatus.PAID || after.status() == PaymentStatus.REFUNDED)
                    && after.channel() == d.channel()) {
                return "confirmed by " + query + " (trade " + after.tradeNo() + "): PENDING -> PAID through the "
                        + "payment ledger, payment.succeeded sent";
            }
            return notRepaired(
                    d,
                    query + " did not confirm the payment; it is " + after.status()
                            + (after.channel() == null
                                    ? ""
                                    : " (" + after.channel().wire() + ")") + " here");
        } catch (AlipayException | WechatPayException e) {
            return notRepaired(d, query + " failed, retried on the next run: " + e.getMessage());
        }
    }

    private String repairRefund(Discrepancy d) {
        if (d.refundId() != null) {
            Refund ours = refunds.find(d.refundId()).orElse(null);
            if (ours == null
                    || ours.status() != RefundStatus.PENDING
                    || !ours.paymentId().equals(d.paymentId())) {
                return notRepaired(
                        d,
                        "the refund here is " + (ours == null ? "missing" : ours.status())
                                + "; only an unknown or PENDING refund is repaired automatically");
            }
            refundService.settleByQuery(ours); // at the payment's own gateway
            Refund after = refunds.find(ours.id()).orElseThrow();
            return after.status() == RefundStatus.SUCCEEDED
                    ? "confirmed by " + refundQuery(d) + ": refund " + ours.id() + " PENDING -> SUCCEEDED, "
                            + "refund.succeeded sent"
                    : notRepaired(d, "the refund query did not confirm the refund; it stays " + after.status());
        }
        Payment p = d.paymentId() == null ? null : payments.find(d.paymentId()).orElse(null);
        if (p == null || p.status() != PaymentStatus.PAID) {
            return notRepaired(
                    d,
                    "payment is " + (p == null ? "missing" : p.status())
                            + " here; a refund is recorded only on a PAID payment");
        }
        if (d.alipayAmount().compareTo(p.refundable()) > 0) {
            return notRepaired(
                    d,
                    "the refund of " + Money.format(d.alipayAmount()) + " is more than the "
                            + Money.format(p.refundable()) + " left here");
        }
        if (d.channel() == Channel.WECHATPAY) {
            return recordWechatRefund(d, p);
        }
        RefundQueryRequest.Response answer;
        try {
            answer = alipay.client()
                    .execute(RefundQueryRequest.of(new TradeRef(p.outTradeNo(), null), d.outRequestNo()));
        } catch (AlipayException e) {
            return notRepaired(
                    d, "alipay.trade.fastpay.refund.query failed, retried on the next run: " + e.getMessage());
        }
        if (!answer.isRefunded()
                || (answer.refundAmount() != null && !Money.equal(answer.refundAmount(), d.alipayAmount()))) {
            return notRepaired(
                    d,
                    "the refund query answered " + answer.refundStatus() + " " + answer.refundAmount()
                            + ", not the bill's REFUND_SUCCESS " + Money.format(d.alipayAmount()));
        }
        try {
            Refund made = refundLedger.recordFromAlipay(
                    p.id(), d.outRequestNo(), d.alipayAmount(), AlipayTimes.toInstant(answer.gmtRefundPay()));
            return "confirmed by alipay.trade.fastpay.refund.query: recorded refund " + made.id() + " of "
                    + Money.format(made.amount()) + " through the refund ledger, refund.succeeded sent";
        } catch (DataIntegrityViolationException raced) {
            // a late notification recorded it meanwhile: the books agree now
            return refunds.findByOutRequestNo(d.outRequestNo())
                    .filter(r -> r.status() == RefundStatus.SUCCEEDED)
                    .map(r -> "recorded meanwhile as refund " + r.id() + " (a notification arrived)")
                    .orElseGet(() -> notRepaired(
                            d,
                            "could not record the refund: "
                                    + raced.getMostSpecificCause().getMessage()));
        } catch (IllegalStateException e) {
            return notRepaired(d, "could not record the refund: " + e.getMessage());
        }
    }

    private static String refundQuery(Discrepancy d) {
        return d.channel() == Channel.WECHATPAY ? "WeChat Pay's refund query" : "alipay.trade.fastpay.refund.query";
    }

    /** A refund in WeChat Pay's bill that this service never heard of (made in the merchant platform). */
    private String recordWechatRefund(Discrepancy d, Payment p) {
        if (d.outRequestNo() == null || d.outRequestNo().isBlank()) {
            return notRepaired(d, "the bill's refund line has no out_refund_no to query");
        }
        dev.zhifu.wechatpay.payments.Refund answer;
        try {
            answer = wechat.execute(c -> c.queryRefund(d.outRequestNo()));
        } catch (WechatPayException e) {
            return notRepaired(d, "WeChat Pay's refund query failed, retried on the next run: " + e.getMessage());
        }
        if (!answer.isSuccessful()
                || !p.outTradeNo().equals(answer.outTradeNo())
                || (answer.refund() != null && !Money.equal(answer.refund(), d.alipayAmount()))) {
            return notRepaired(
                    d,
                    "WeChat Pay's refund query answered " + answer.status() + " " + answer.refund() + " for "
                            + answer.outTradeNo() + ", not the bill's SUCCESS " + Money.format(d.alipayAmount()));
        }
        try {
            Refund made = refundLedger.recordFromGateway(
                    p.id(),
                    d.outRequestNo(),
                    d.alipayAmount(),
                    WechatPayTimes.parse(answer.successTime()),
                    Channel.WECHATPAY);
            return "confirmed by WeChat Pay's refund query: recorded refund " + made.id() + " of "
                    + Money.format(made.amount()) + " through the refund ledger, refund.succeeded sent";
        } catch (DataIntegrityViolationException raced) {
            return refunds.findByOutRequestNo(d.outRequestNo())
                    .filter(r -> r.status() == RefundStatus.SUCCEEDED)
                    .map(r -> "recorded meanwhile as refund " + r.id() + " (a notification arrived)")
                    .orElseGet(() -> notRepaired(
                            d,
                            "could not record the refund: "
                                    + raced.getMostSpecificCause().getMessage()));
        } catch (IllegalStateException e) {
            return notRepaired(d, "could not record the refund: " + e.getMessage());
        }
    }

    private String notRepaired(Discrepancy d, String why) {
        repository.noteRepairNotMade(d.id(), "not repaired: " + why, clock.instant());
        return null;
    }
}
