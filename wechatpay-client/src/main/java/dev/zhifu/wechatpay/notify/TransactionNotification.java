package dev.zhifu.wechatpay.notify;

import dev.zhifu.wechatpay.payments.Transaction;

/**
 * A verified, decrypted payment notification ({@code event_type} {@code TRANSACTION.SUCCESS}): the envelope's id,
 * time, type and summary, and the payment (docs/wechatpay-protocol.md#s6).
 */
public record TransactionNotification(
        String id, String createTime, String eventType, String summary, Transaction transaction)
        implements Notification {}
