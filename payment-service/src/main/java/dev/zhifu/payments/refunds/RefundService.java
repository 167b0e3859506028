package dev.zhifu.payments.refunds;

import dev.zhifu.alipay.AlipayException;
import dev.zhifu.alipay.AlipayGatewayException;
import dev.zhifu.alipay.trade.RefundQueryRequest;
import dev.zhifu.alipay.trade.RefundRequest;
import dev.zhifu.alipay.trade.TradeRef;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.payments.PaymentQueries;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.web.FieldErrors;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Refunds through Alipay (docs/alipay-protocol.md#s11.10 to #s11.11), or WeChat Pay for its payments
 * ({@link WechatRefunds}). The refund is reserved first, then sent with its derived
 * {@code out_request_no}; an unknown answer is settled with a refund query, and a refund still unknown stays
 * PENDING, to be settled by sync (the same {@code out_request_no} makes re-sending it safe).
 */
@Service
public class RefundService {

    private static final Logger log = LoggerFactory.getLogger(RefundService.class);

    private final RefundLedger ledger;
    private final RefundRepository refunds;
    private final PaymentQueries payments;
    private final AlipayGateway alipay;
    private final WechatRefunds wechat;
    private final Clock clock;

    public RefundService(
            RefundLedger ledger,
            RefundRepository refunds,
            PaymentQueries payments,
            AlipayGateway alipay,
            WechatRefunds wechat,
            Clock clock) {
        this.wechat = wechat;
        this.ledger = ledger;
        this.refunds = refunds;
        this.payments = payments;
        this.alipay = alipay;
        this.clock = clock;
    }

    public record Checked(BigDecimal amount, String reason) {}

    public static Checked validate(RefundBody body) {
        FieldErrors errors = new FieldErrors();
        BigDecimal amount = null;
        if (body == null || body.amount() == null || body.amount().isBlank()) {
            errors.reject("amount", "required, e.g. \"1.00\"");
        } else {
            amount = Money.parse(body.amount().strip());
            if (amount == null) {
                errors.reject("amount", "a decimal string from 0.01 to 100000000.00 with at most 2 decimals");
            }
        }
        String reason = body == null || body.reason() == null || body.reason().isBlank()
                ? null
                : body.reason().strip();
        if (reason != null && reason.length() > 256) {
            errors.reject("reason", "at most 256 characters");
        }
        errors.throwIfAny();
        return new Checked(amount, reason);
    }

    public Refund refund(String paymentId, Checked request) {
        Refund reserved = ledger.reserve(paymentId, request.amount(), request.reason());
        return send(reserved);
    }

    public List<Refund> list(String paymentId) {
        payments.find(paymentId)
                .orElseThrow(() -> ApiException.notFound("payment_not_found", "No payment " + paymentId));
        return refunds.forPayment(paymentId);
    }

    /** Sends (or re-sends, safely) a PENDING refund and applies the answer. */
    public Refund send(Refund refund) {
        Payment p = payments.find(refund.paymentId()).orElseThrow();
        if (p.channel() == Channel.WECHATPAY) {
            wechat.send(refund, p);
            return refunds.find(refund.id()).orElseThrow();
        }
        TradeRef trade = new TradeRef(p.outTradeNo(), null);
        try {
            RefundRequest.Response answer =
                    alipay.execute(RefundRequest.of(trade, refund.amount(), refund.outRequestNo())
                            .withReason(refund.reason()));
            if (answer.fundChange()) {
                ledger.succeeded(refund.id(), AlipayTimes.toInstant(answer.gmtRefundPay()));
            } else {
                // fund_change=N: a repeat of a refund already made, or not made at all; only the query can tell
                settleByQuery(refund);
            }
        } catch (AlipayGatewayException e) {
            if (e.isResultUnknown()) {
                settleByQuery(refund);
            } else {
                ledger.failed(
                        refund.id(),
                        e.subCode() != null ? e.subCode() : e.code(),
                        e.subMsg() != null ? e.subMsg() : e.msg());
            }
        } catch (AlipayException e) {
            if (e.isResultUnknown()) {
                settleByQuery(refund);
            } else {
                ledger.failed(refund.id(), "alipay_unavailable", "the refund could not be sent: " + e.getMessage());
            }
        }
        return refunds.find(refund.id()).orElseThrow();
    }

    /**
     * The background job's step for a refund still PENDING: ask Alipay (refund query); when Alipay definitely
     * knows no such refund (it never arrived, e.g. this instance died between reserving and sending), send it
     * again with the same {@code out_request_no}, which can never refund twice.
     */
    public Refund resolve(Refund refund) {
        Payment p = payments.find(refund.paymentId()).orElseThrow();
        if (p.channel() == Channel.WECHATPAY) {
            wechat.resolve(refund, p);
            return refunds.find(refund.id()).orElseThrow();
        }
        RefundQueryRequest.Response answer;
        try {
            answer = alipay.execute(RefundQueryRequest.of(new TradeRef(p.outTradeNo(), null), refund.outRequestNo()));
        } catch (AlipayException e) {
            log.info("Refund query for {} not conclusive: {}", refund.outRequestNo(), e.getMessage());
            return refunds.find(refund.id()).orElseThrow();
        }
        if (answer.isRefunded()) {
            ledger.succeeded(refund.id(), AlipayTimes.toInstant(answer.gmtRefundPay()));
            return refunds.find(refund.id()).orElseThrow();
        }
        return send(refund);
    }

    /** Settles a refund whose outcome is unknown by asking Alipay; leaves it PENDING when Alipay cannot say yet. */
    public void settleByQuery(Refund refund) {
        Payment p = payments.find(refund.paymentId()).orElseThrow();
        if (p.channel() == Channel.WECHATPAY) {
            wechat.resolve(refund, p);
            return;
        }
        try {
            RefundQueryRequest.Response answer =
                    alipay.execute(RefundQueryRequest.of(new TradeRef(p.outTradeNo(), null), refund.outRequestNo()));
            if (answer.isRefunded()) {
                ledger.succeeded(refund.id(), AlipayTimes.toInstant(answer.gmtRefundPay()));
                return;
            }
        } catch (AlipayException e) {
            log.warn("Refund query for {} failed: {}", refund.outRequestNo(), e.getMessage());
        }
        // Alipay advises querying again later (>= 10 s after the refund); background sync picks this up
        refunds.scheduleSync(refund.id(), clock.instant().plus(Duration.ofSeconds(15)));
        log.info("Refund {} ({}) is still unknown; left PENDING", refund.id(), refund.outRequestNo());
    }
}
