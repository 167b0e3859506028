package dev.zhifu.payments.payments;

import java.math.BigDecimal;
import java.time.Instant;

/** A payment as stored. */
public record Payment(
        String id,
        String outTradeNo,
        String tradeNo,
        PaymentMethod method,
        /** null while an {@code any_qr} payment waits for a wallet */
        Channel channel,
        PaymentStatus status,
        BigDecimal amount,
        BigDecimal refundedAmount,
        String subject,
        String metadataJson,
        String requestHash,
        String returnUrl,
        String actionType,
        String actionValue,
        String failureCode,
        String failureMessage,
        String buyerLogonId,
        int version,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Instant paidAt,
        Instant closedAt) {

    public BigDecimal refundable() {
        return amount.subtract(refundedAmount);
    }
}
