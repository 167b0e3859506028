package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.payments.Channel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A bill day of one channel as stored: the last run's outcome and the day's totals; or, {@code channel} null, the
 * day of every channel together ({@link #combine}).
 *
 * @param status {@code PENDING} (never run yet), {@code WAITING_FOR_BILL} (Alipay has not published it; asked
 *               again at {@code nextAttemptAt}), {@code RECONCILED}, {@code FAILED} (retried up to the limit)
 */
public record ReconciliationDay(
        LocalDate billDate,
        Channel channel,
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

    /**
     * The day of every channel as one: FAILED when a channel failed, else WAITING_FOR_BILL when one waits, else
     * PENDING when one never ran, else RECONCILED; the highest run number and attempts; the totals added up
     * (null where no channel has them); Alipay's kept bill file (each channel's is in its own row).
     */
    public static ReconciliationDay combine(List<ReconciliationDay> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channel");
        }
        if (channels.size() == 1) {
            ReconciliationDay d = channels.get(0);
            return d.channel() == Channel.ALIPAY ? d : withoutBill(d);
        }
        ReconciliationDay alipay = channels.stream()
                .filter(d -> d.channel() == Channel.ALIPAY)
                .findFirst()
                .orElse(null);
        String status = channels.stream().anyMatch(d -> FAILED.equals(d.status()))
                ? FAILED
                : channels.stream().anyMatch(d -> WAITING_FOR_BILL.equals(d.status()))
                        ? WAITING_FOR_BILL
                        : channels.stream().anyMatch(d -> PENDING.equals(d.status())) ? PENDING : RECONCILED;
        String errors = channels.stream()
                .filter(d -> d.lastError() != null)
                .map(d -> d.channel() + ": " + d.lastError())
                .collect(Collectors.joining("; "));
        ReconciliationDay leased = channels.stream()
                .filter(d -> d.leaseUntil() != null)
                .max(Comparator.comparing(ReconciliationDay::leaseUntil))
                .orElse(null);
        return new ReconciliationDay(
                channels.get(0).billDate(),
                null,
                status,
                channels.stream().mapToInt(ReconciliationDay::runNo).max().orElse(0),
                channels.stream().mapToInt(ReconciliationDay::attempts).max().orElse(0),
                first(channels, ReconciliationDay::nextAttemptAt, false),
                errors.isEmpty() ? null : errors,
                leased == null ? null : leased.leaseOwner(),
                leased == null ? null : leased.leaseUntil(),
                first(channels, ReconciliationDay::createdAt, false),
                first(channels, ReconciliationDay::updatedAt, true),
                first(channels, ReconciliationDay::startedAt, false),
                first(channels, ReconciliationDay::finishedAt, true),
                alipay == null ? null : alipay.billRunNo(),
                alipay == null ? null : alipay.billFileCode(),
                alipay == null ? null : alipay.billFileName(),
                alipay == null ? null : alipay.billSize(),
                alipay == null ? null : alipay.billSha256(),
                alipay == null ? null : alipay.billDownloadedAt(),
                sumInt(channels, ReconciliationDay::lineCount),
                sumInt(channels, ReconciliationDay::paymentLineCount),
                sumInt(channels, ReconciliationDay::refundLineCount),
                sum(channels, ReconciliationDay::paymentTotal),
                sum(channels, ReconciliationDay::refundTotal),
                sum(channels, ReconciliationDay::serviceFeeTotal),
                sumInt(channels, ReconciliationDay::footerPaymentCount),
                sum(channels, ReconciliationDay::footerPaymentTotal),
                sumInt(channels, ReconciliationDay::footerRefundCount),
                sum(channels, ReconciliationDay::footerRefundTotal),
                sumInt(channels, ReconciliationDay::matchedCount));
    }

    private static ReconciliationDay withoutBill(ReconciliationDay d) {
        return new ReconciliationDay(
                d.billDate(),
                null,
                d.status(),
                d.runNo(),
                d.attempts(),
                d.nextAttemptAt(),
                d.lastError() == null ? null : d.channel() + ": " + d.lastError(),
                d.leaseOwner(),
                d.leaseUntil(),
                d.createdAt(),
                d.updatedAt(),
                d.startedAt(),
                d.finishedAt(),
                null,
                null,
                null,
                null,
                null,
                null,
                d.lineCount(),
                d.paymentLineCount(),
                d.refundLineCount(),
                d.paymentTotal(),
                d.refundTotal(),
                d.serviceFeeTotal(),
                d.footerPaymentCount(),
                d.footerPaymentTotal(),
                d.footerRefundCount(),
                d.footerRefundTotal(),
                d.matchedCount());
    }

    private static Instant first(List<ReconciliationDay> days, Function<ReconciliationDay, Instant> f, boolean last) {
        Comparator<Instant> order = Comparator.naturalOrder();
        return days.stream()
                .map(f)
                .filter(Objects::nonNull)
                .max(last ? order : order.reversed())
                .orElse(null);
    }

    private static Integer sumInt(List<ReconciliationDay> days, Function<ReconciliationDay, Integer> f) {
        List<Integer> values = days.stream().map(f).filter(Objects::nonNull).toList();
        return values.isEmpty()
                ? null
                : values.stream().mapToInt(Integer::intValue).sum();
    }

    private static BigDecimal sum(List<ReconciliationDay> days, Function<ReconciliationDay, BigDecimal> f) {
        List<BigDecimal> values = days.stream().map(f).filter(Objects::nonNull).toList();
        return values.isEmpty() ? null : values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
