package dev.zhifu.payments.payments;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Money that arrived where it should not have, e.g. a buyer who paid a payment we had already closed. Kept once
 * per payment, kind and Alipay trade, so a repeated notification cannot count it twice; it needs a person (and
 * usually a refund).
 */
public record Anomaly(
        String id,
        String paymentId,
        String kind,
        String tradeNo,
        BigDecimal amount,
        String detail,
        Instant detectedAt,
        Instant resolvedAt) {

    public static final String PAID_AFTER_CLOSE = "paid_after_close";
    /** An {@code any_qr} payment paid by one wallet, then by the other: the second payment needs a refund. */
    public static final String PAID_BY_OTHER_WALLET = "paid_by_other_wallet";
}
