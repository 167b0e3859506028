package dev.zhifu.wechatpay.notify;

/**
 * A verified, decrypted notification of any kind, typed by its {@code event_type} once the signature over the raw
 * body has been checked (docs/wechatpay-protocol.md#s6): a {@link TransactionNotification} for {@code
 * TRANSACTION.*}, a {@link RefundNotification} for {@code REFUND.*}, an {@link OtherNotification} for the rest.
 */
public sealed interface Notification permits TransactionNotification, RefundNotification, OtherNotification {

    /** The envelope's {@code id}: the same for every re-delivery of one notification. */
    String id();

    String createTime();

    String eventType();

    String summary();
}
