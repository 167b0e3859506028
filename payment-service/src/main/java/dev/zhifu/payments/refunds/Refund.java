package dev.zhifu.payments.refunds;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * @param origin {@code api} (asked through this service) or {@code alipay} (learnt from Alipay, e.g. made in
 *               the merchant console)
 */
public record Refund(
        String id,
        String paymentId,
        int seq,
        String outRequestNo,
        BigDecimal amount,
        String reason,
        RefundStatus status,
        String origin,
        String failureCode,
        String failureMessage,
        Instant createdAt,
        Instant updatedAt,
        Instant succeededAt) {}
