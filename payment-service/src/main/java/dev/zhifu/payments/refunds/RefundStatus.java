package dev.zhifu.payments.refunds;

/** {@code PENDING} (sent, result not yet known) → {@code SUCCEEDED} or {@code FAILED}. */
public enum RefundStatus {
    PENDING,
    SUCCEEDED,
    FAILED
}
