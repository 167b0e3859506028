package dev.zhifu.payments.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What the console needs from reconciliation (对账), in the shapes of {@code GET /api/v1/reconciliations} and
 * {@code GET /api/v1/reconciliations/{date}}. The console depends on this interface only; the implementation
 * is connected in {@link ReconciliationWiring}.
 */
public interface ReconciliationConsole {

    /** False while there is nothing to show (no reconciliation in this build, or its tables are absent). */
    boolean available();

    /**
     * Today in Alipay's zone (GMT+8): the day the console offers to reconcile "so far". Alipay publishes a day's
     * bill the next morning (the sandbox serves today's trades so far); a day reconciled before it ended is
     * queued again once it is over.
     */
    LocalDate today();

    /** Reconciled days, newest first. */
    List<Day> days(int limit);

    Optional<DayDetail> day(LocalDate date);

    /** {@code POST /api/v1/reconciliations/{date}/run}: reconcile that day again. */
    void run(LocalDate date);

    /** Marks a discrepancy resolved by a person, with their note. */
    void resolve(LocalDate date, String discrepancyId, String note);

    /**
     * A day (Alipay's GMT+8 day) with its totals.
     *
     * @param status       {@code PENDING}, {@code WAITING_FOR_BILL}, {@code RECONCILED} or {@code FAILED}, of every
     *                     channel together (the worst of them)
     * @param alipayAmount what the bills' payment lines add up to (every channel's)
     * @param matchedLines bill lines that found their payment or refund here with the same amount and state
     * @param channels     each channel's own run and totals (Alipay, WeChat Pay)
     */
    record Day(
            LocalDate date,
            String status,
            long billLines,
            String alipayAmount,
            String alipayRefunds,
            long matchedLines,
            int discrepancies,
            int open,
            Instant reconciledAt,
            List<ChannelDay> channels) {}

    /**
     * One channel's day, against its own bill.
     *
     * @param channel  {@code alipay} or {@code wechatpay}
     * @param payments what its bill's payment lines add up to
     * @param refunds  what its bill's refund lines add up to, as a positive amount
     * @param fees     the bill's service fees (Alipay's 服务费, WeChat Pay's 手续费)
     */
    record ChannelDay(
            String channel,
            String status,
            long billLines,
            String payments,
            String refunds,
            String fees,
            long matchedLines,
            int discrepancies,
            int open,
            String lastError) {}

    /**
     * A difference between a channel's bill and our books, with both sides' values ({@code alipayValue}: the
     * bill's, whichever channel's it is).
     *
     * @param channel {@code alipay} or {@code wechatpay}: whose bill
     * @param kind   e.g. {@code missing_locally}, {@code missing_at_alipay}, {@code amount_mismatch},
     *               {@code status_mismatch}, {@code fee_totals}
     * @param status {@code OPEN}, {@code REPAIRED} (automatically, through the state machine) or {@code RESOLVED}
     */
    record Discrepancy(
            String id,
            String kind,
            String outTradeNo,
            String tradeNo,
            String outRequestNo,
            String ourValue,
            String alipayValue,
            String status,
            String note,
            Instant resolvedAt,
            String channel) {
        public boolean open() {
            return "OPEN".equals(status);
        }
    }

    record DayDetail(Day summary, List<Discrepancy> discrepancies) {}

    /** No reconciliation data: the pages say so. */
    ReconciliationConsole NONE = new ReconciliationConsole() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public LocalDate today() {
            return LocalDate.now(java.time.ZoneOffset.ofHours(8));
        }

        @Override
        public List<Day> days(int limit) {
            return List.of();
        }

        @Override
        public Optional<DayDetail> day(LocalDate date) {
            return Optional.empty();
        }

        @Override
        public void run(LocalDate date) {
            throw new UnsupportedOperationException("reconciliation is not available in this build");
        }

        @Override
        public void resolve(LocalDate date, String discrepancyId, String note) {
            throw new UnsupportedOperationException("reconciliation is not available in this build");
        }
    };
}
