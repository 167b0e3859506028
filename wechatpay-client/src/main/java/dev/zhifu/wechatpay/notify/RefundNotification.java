package dev.zhifu.wechatpay.notify;

import dev.zhifu.wechatpay.payments.Refund;

/**
 * A verified, decrypted refund notification ({@code REFUND.SUCCESS}, {@code REFUND.ABNORMAL},
 * {@code REFUND.CLOSED}): the envelope and the refund (docs/wechatpay-protocol.md#s6).
 */
public record RefundNotification(String id, String createTime, String eventType, String summary, Refund refund)
        implements Notification {}
