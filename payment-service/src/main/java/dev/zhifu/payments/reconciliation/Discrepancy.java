package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.payments.Channel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One disagreement between a channel's bill and our books, with both sides' values ({@code alipay*} from the bill
 * line, whichever channel's bill it is; {@code local*} from our payment or refund; null where a side has nothing).
 *
 * @param channel whose bill (and payments) it is about
 * @param refKey what makes it the same discrepancy on a re-run (kind-specific: the order, the refund request)
 * @param status {@code OPEN}, {@code REPAIRED} or {@code RESOLVED}
 */
public record Discrepancy(
        String id,
        LocalDate billDate,
        Channel channel,
        DiscrepancyKind kind,
        String refKey,
        String status,
        String outTradeNo,
        String tradeNo,
        String outRequestNo,
        String paymentId,
        String refundId,
        BigDecimal alipayAmount,
        BigDecimal localAmount,
        String alipayStatus,
        String localStatus,
        Instant alipayTime,
        Instant localTime,
        String detail,
        String repair,
        Instant repairedAt,
        String resolutionNote,
        Instant resolvedAt,
        int runNo,
        Instant detectedAt,
        Instant updatedAt) {

    public static final String OPEN = "OPEN";
    public static final String REPAIRED = "REPAIRED";
    public static final String RESOLVED = "RESOLVED";

    /** A fresh finding of a run; id, status and times are set when it is stored. */
    static Discrepancy found(
            LocalDate day,
            Channel channel,
            DiscrepancyKind kind,
            String refKey,
            String outTradeNo,
            String tradeNo,
            String outRequestNo,
            String paymentId,
            String refundId,
            BigDecimal alipayAmount,
            BigDecimal localAmount,
            String alipayStatus,
            String localStatus,
            Instant alipayTime,
            Instant localTime,
            String detail) {
        return new Discrepancy(
                null,
                day,
                channel,
                kind,
                refKey,
                OPEN,
                outTradeNo,
                tradeNo,
                outRequestNo,
                paymentId,
                refundId,
                alipayAmount,
                localAmount,
                alipayStatus,
                localStatus,
                alipayTime,
                localTime,
                detail,
                null,
                null,
                null,
                null,
                0,
                null,
                null);
    }
}
