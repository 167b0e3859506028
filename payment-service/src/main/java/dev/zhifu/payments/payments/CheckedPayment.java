package dev.zhifu.payments.payments;

import java.math.BigDecimal;

/**
 * A create request that passed validation, normalized.
 *
 * @param hash SHA-256 of the canonical request: tells a replay from a different request with the same
 *             {@code out_trade_no} or {@code Idempotency-Key}
 */
public record CheckedPayment(
        String outTradeNo,
        BigDecimal amount,
        String subject,
        PaymentMethod method,
        String authCode,
        String returnUrl,
        int expireMinutes,
        String metadataJson,
        String openid,
        String clientIp,
        String hash) {}
