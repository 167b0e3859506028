package dev.zhifu.payments.refunds;

import dev.zhifu.payments.payments.Payment;
import dev.zhifu.payments.wechatpay.WechatPayGateway;
import dev.zhifu.payments.wechatpay.WechatPayTimes;
import dev.zhifu.wechatpay.WechatPayApiException;
import dev.zhifu.wechatpay.WechatPayException;
import dev.zhifu.wechatpay.payments.RefundRequest;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refunds of WeChat Pay payments (docs/payment-channels.md#refunds): sent with the refund's derived number as
 * {@code out_refund_no}, which WeChat Pay refunds at most once. WeChat Pay usually answers {@code PROCESSING}: the
 * refund stays PENDING until its notification or a query says {@code SUCCESS} (or {@code CLOSED}: failed).
 */
@Component
class WechatRefunds {

    private static final Logger log = LoggerFactory.getLogger(WechatRefunds.class);
    /** WeChat Pay's limit on the reason shown to the buyer. */
    private static final int REASON_LIMIT = 80;

    private final WechatPayGateway wechat;
    private final RefundLedger ledger;
    private final RefundRepository refunds;
    private final Clock clock;

    WechatRefunds(WechatPayGateway wechat, RefundLedger ledger, RefundRepository refunds, Clock clock) {
        this.wechat = wechat;
        this.ledger = ledger;
        this.refunds = refunds;
        this.clock = clock;
    }

    /** Sends (or re-sends, safely) a PENDING refund and applies the answer. */
    void send(Refund refund, Payment p) {
        RefundRequest request = new RefundRequest(
                refund.outRequestNo(),
                null,
                p.outTradeNo(),
                refund.amount(),
                p.amount(),
                reason(refund.reason()),
                wechat.notifyUrl());
        try {
            apply(refund, wechat.execute(c -> c.refund(request)));
        } catch (WechatPayApiException e) {
            if (e.isOutcomeUnknown() || e.status() >= 500) {
                settleByQuery(refund);
            } else {
                ledger.failed(refund.id(), e.code(), e.errorMessage());
            }
        } catch (WechatPayException e) {
            if (e.isOutcomeUnknown()) {
                settleByQuery(refund);
            } else {
                ledger.failed(refund.id(), "wechatpay_unavailable", "the refund could not be sent: " + e.getMessage());
            }
        }
    }

    /**
     * The background job's step for a PENDING refund: ask WeChat Pay; a refund it does not know (never arrived) is
     * sent again with the same {@code out_refund_no}, which can never refund twice.
     */
    void resolve(Refund refund, Payment p) {
        dev.zhifu.wechatpay.payments.Refund answer;
        try {
            answer = wechat.execute(c -> c.queryRefund(refund.outRequestNo()));
        } catch (WechatPayApiException e) {
            if ("RESOURCE_NOT_EXISTS".equals(e.code()) || e.status() == 404) {
                send(refund, p);
                return;
            }
            log.info("Refund query for {} not conclusive: {}", refund.outRequestNo(), e.getMessage());
            return;
        } catch (WechatPayException e) {
            log.info("Refund query for {} not conclusive: {}", refund.outRequestNo(), e.getMessage());
            return;
        }
        apply(refund, answer);
    }

    private void settleByQuery(Refund refund) {
        try {
            apply(refund, wechat.execute(c -> c.queryRefund(refund.outRequestNo())));
        } catch (WechatPayException e) {
            log.warn("Refund query for {} failed: {}", refund.outRequestNo(), e.getMessage());
            refunds.scheduleSync(refund.id(), clock.instant().plus(Duration.ofSeconds(15)));
        }
    }

    /** {@code SUCCESS}: succeeded; {@code CLOSED}: failed; {@code PROCESSING}, {@code ABNORMAL}: still PENDING. */
    private void apply(Refund refund, dev.zhifu.wechatpay.payments.Refund answer) {
        switch (answer.status() == null ? "" : answer.status()) {
            case "SUCCESS" -> ledger.succeeded(refund.id(), WechatPayTimes.parse(answer.successTime()));
            case "CLOSED" -> ledger.failed(refund.id(), "CLOSED", "WeChat Pay closed the refund");
            default -> {
                // PROCESSING: the notification usually follows within seconds; ABNORMAL needs the merchant
                // (the buyer's card or balance refused the money): the query job keeps asking meanwhile
                if ("ABNORMAL".equals(answer.status())) {
                    log.warn(
                            "Refund {} ({}) is ABNORMAL at WeChat Pay: the money could not be returned to the buyer's "
                                    + "account; it needs handling in the merchant platform",
                            refund.id(),
                            refund.outRequestNo());
                }
                refunds.scheduleSync(refund.id(), clock.instant().plus(Duration.ofSeconds(15)));
            }
        }
    }

    private static String reason(String reason) {
        if (reason == null || reason.length() <= REASON_LIMIT) {
            return reason;
        }
        return reason.substring(
                0, Character.isLowSurrogate(reason.charAt(REASON_LIMIT)) ? REASON_LIMIT - 1 : REASON_LIMIT);
    }
}
