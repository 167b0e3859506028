package dev.zhifu.payments.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A bill day as stored: the last run's outcome and the day's totals.
 *
 * @param status {@code PENDING} (never run yet), {@code WAITING_FOR_BILL} (Alipay has not published it; asked
 *               again at {@code nextAttemptAt}), {@code RECONCILED}, {@code FAILED} (retried up to the limit)
 */
public record ReconciliationDay(
        LocalDate billDate,
        String status,
        int runNo,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        String leaseOwner,
        Instant leaseUntil,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Integer billRunNo,
        String billFileCode,
        String billFileName,
        Long billSize,
        String billSha256,
        Instant billDownloadedAt,
        Integer lineCount,
        Integer paymentLineCount,
        Integer refundLineCount,
        BigDecimal paymentTotal,
        BigDecimal refundTotal,
        BigDecimal serviceFeeTotal,
        Integer footerPaymentCount,
        BigDecimal footerPaymentTotal,
        Integer footerRefundCount,
        BigDecimal footerRefundTotal,
        Integer matchedCount) {

    public static final String PENDING = "PENDING";
    public static final String WAITING_FOR_BILL = "WAITING_FOR_BILL";
    public static final String RECONCILED = "RECONCILED";
    public static final String FAILED = "FAILED";

    public boolean runningAt(Instant now) {
        return leaseUntil != null && leaseUntil.isAfter(now);
    }
}
