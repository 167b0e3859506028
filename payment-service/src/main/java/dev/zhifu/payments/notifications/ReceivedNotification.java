package dev.zhifu.payments.notifications;

import java.time.Instant;

/** A notification as received, with what was done with it and why (one row of the audit trail). */
public record ReceivedNotification(
        String id,
        Instant receivedAt,
        String remoteAddr,
        String rawBody,
        String charset,
        String notifyId,
        String notifyType,
        String outTradeNo,
        String tradeStatus,
        String outcome,
        String reason,
        /** {@code ALIPAY} or {@code WECHATPAY}: the endpoint it came to */
        String channel) {}
