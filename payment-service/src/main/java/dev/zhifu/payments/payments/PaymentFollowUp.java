package dev.zhifu.payments.payments;

/**
 * Work that hangs on a payment and is settled when Alipay is asked about the payment: refunds still unknown.
 * Refunds depend on payments, so they plug in here (a bean of this type) instead of payments calling them.
 */
public interface PaymentFollowUp {

    /** What the log calls this work when a scheduled run of it fails ("Refund" sync failed). */
    String name();

    /** After a payment was synced on demand (sync now): settle what is still open on it. */
    void afterSyncNow(String paymentId);

    /** After each scheduled payment sync, in the same task: one run of this work. */
    void afterScheduledSync();
}
