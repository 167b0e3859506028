package dev.zhifu.payments.reconciliation;

/** What a bill line (or our own record, or the bill's totals) disagrees about. */
public enum DiscrepancyKind {
    /** A payment or refund line whose trade we do not know. */
    MISSING_LOCALLY,
    /** Paid here (paid_at in the day), no payment line in the bill, nor in the neighbouring day's near midnight. */
    MISSING_AT_ALIPAY,
    /** The line's amount differs from ours (payment: 订单金额; refund: 商家实收, negated). */
    AMOUNT_MISMATCH,
    /** Paid at Alipay, PENDING (repaired after a query) or CLOSED (a person refunds) here. */
    PAID_AT_ALIPAY_NOT_HERE,
    /** Refunded at Alipay, unknown or not succeeded here; unknown / PENDING refunds are repaired after a query. */
    REFUNDED_AT_ALIPAY_NOT_HERE,
    /** A refund succeeded here (in the day) that has no refund line at Alipay. */
    REFUNDED_HERE_NOT_AT_ALIPAY,
    /** The bill's footer totals (#交易合计 / #退款合计) disagree with its own lines. */
    TOTALS_MISMATCH,
    /** The lines' service fees (服务费) differ from {@code payments.reconciliation.fee-rate}. */
    SERVICE_FEE_MISMATCH;

    /** Kinds a run may repair by itself, through the same ledgers that notifications use. */
    boolean repairable() {
        return this == PAID_AT_ALIPAY_NOT_HERE || this == REFUNDED_AT_ALIPAY_NOT_HERE;
    }
}
