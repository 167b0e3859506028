package dev.zhifu.payments.payments;

/**
 * {@code PENDING → PAID → REFUNDED} or {@code PENDING → CLOSED}; never backwards. Each move is one conditional
 * UPDATE in the transaction that writes its event.
 */
public enum PaymentStatus {
    PENDING,
    PAID,
    REFUNDED,
    CLOSED
}
