package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.reconciliation.ReconciliationRepository.Line;
import dev.zhifu.payments.reconciliation.ReconciliationRepository.LocalPayment;
import dev.zhifu.payments.reconciliation.ReconciliationRepository.LocalRefund;
import dev.zhifu.payments.reconciliation.ReconciliationRepository.Totals;
import dev.zhifu.wechatpay.bill.TradeBill;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over a day's WeChat Pay trade bill ({@code bill_type=ALL}), as {@link BillMatcher} is for Alipay's: the
 * same discrepancy kinds, the same keys (kept with channel {@code WECHATPAY}) and the same anti-join afterwards.
 * The bill is read by column name (docs/wechatpay-protocol.md#s11, layout as in docs/sandbox.md#wechatpay-bills):
 * {@code 交易状态} {@code SUCCESS} is a payment line (amount {@code 订单金额}, what the merchant is paid
 * {@code 应结订单金额}), {@code REFUND} a refund line ({@code 商户退款单号}, {@code 退款金额}); amounts are yuan.
 * Lines in any other state are counted and not matched.
 */
final class WechatBillMatcher {

    static final String TIME = "交易时间";
    static final String TRANSACTION_ID = "微信订单号";
    static final String OUT_TRADE_NO = "商户订单号";
    static final String STATE = "交易状态";
    static final String SETTLEMENT_AMOUNT = "应结订单金额";
    static final String OUT_REFUND_NO = "商户退款单号";
    static final String REFUND_AMOUNT = "退款金额";
    static final String FEE = "手续费";
    static final String ORDER_AMOUNT = "订单金额";
    static final String SUMMARY_COUNT = "总交易单数";
    static final String SUMMARY_SETTLEMENT = "应结订单总金额";
    static final String SUMMARY_REFUNDS = "退款总金额";

    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Channel CHANNEL = Channel.WECHATPAY;

    private final ReconciliationRepository repository;
    private final ReconciliationProperties properties;
    private final Clock clock;
    private final LocalDate day;
    private final int runNo;
    private final Runnable keepLease;

    private int lineNo;
    private int paymentLines;
    private int refundLines;
    private int matched;
    private BigDecimal paymentTotal = Money.of(BigDecimal.ZERO);
    private BigDecimal refundTotal = Money.of(BigDecimal.ZERO);
    private BigDecimal fees = BigDecimal.ZERO;
    private BigDecimal paymentLineFees = BigDecimal.ZERO;
    private BigDecimal expectedFees = Money.of(BigDecimal.ZERO);

    WechatBillMatcher(
            ReconciliationRepository repository,
            ReconciliationProperties properties,
            Clock clock,
            LocalDate day,
            int runNo,
            Runnable keepLease) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
        this.day = day;
        this.runNo = runNo;
        this.keepLease = keepLease;
    }

    /**
     * Matches the bill's lines, then looks for what we have that the bill has not. {@code text} null: WeChat Pay
     * has no bill for the day ({@code NO_STATEMENT_EXIST}), i.e. no lines.
     *
     * @throws IllegalArgumentException when the text is not a trade bill with the columns read here
     */
    Totals run(String text) {
        repository.deleteLines(day, CHANNEL);
        TradeBill bill = null;
        if (text != null) {
            bill = TradeBill.parse(text);
            for (String column : List.of(TIME, TRANSACTION_ID, OUT_TRADE_NO, STATE, SETTLEMENT_AMOUNT, FEE)) {
                if (!bill.columns().contains(column)) {
                    throw new IllegalArgumentException("WeChat Pay's bill has no column " + column);
                }
            }
            List<Map<String, String>> rows = bill.rows();
            for (int from = 0; from < rows.size(); from += properties.batchSize()) {
                match(rows.subList(from, Math.min(rows.size(), from + properties.batchSize())));
            }
            checkSummary(bill.summary(), rows.size());
        }
        checkFees();
        BillMatcher.findLocalWithoutLines(repository, properties, clock, day, CHANNEL, runNo, keepLease);
        BigDecimal footerPayments = bill == null ? null : amountOrNull(bill.summary(), SUMMARY_SETTLEMENT);
        BigDecimal footerRefunds = bill == null ? null : amountOrNull(bill.summary(), SUMMARY_REFUNDS);
        return new Totals(
                lineNo,
                paymentLines,
                refundLines,
                paymentTotal,
                refundTotal,
                Money.of(fees.setScale(2, RoundingMode.HALF_UP)),
                null,
                footerPayments,
                null,
                footerRefunds == null ? null : footerRefunds.negate(),
                matched);
    }

    private void match(List<Map<String, String>> batch) {
        Set<String> outTradeNos = new HashSet<>();
        Set<String> requestNos = new HashSet<>();
        for (Map<String, String> row : batch) {
            if (!cell(row, OUT_TRADE_NO).isEmpty()) {
                outTradeNos.add(cell(row, OUT_TRADE_NO));
            }
            if (isRefund(row) && !cell(row, OUT_REFUND_NO).isEmpty()) {
                requestNos.add(cell(row, OUT_REFUND_NO));
            }
        }
        Map<String, LocalPayment> payments = repository.paymentsByOutTradeNo(outTradeNos);
        Map<String, LocalRefund> refunds = repository.refundsByOutRequestNo(requestNos);
        List<Line> keys = new ArrayList<>(batch.size());
        for (Map<String, String> row : batch) {
            lineNo++;
            String state = cell(row, STATE);
            BigDecimal fee = amount(row, FEE);
            fees = fees.add(fee);
            LocalPayment p = payments.get(cell(row, OUT_TRADE_NO));
            BigDecimal lineFee = Money.of(fee.setScale(2, RoundingMode.HALF_UP));
            if ("SUCCESS".equals(state)) {
                paymentLines++;
                BigDecimal settlement = amount(row, SETTLEMENT_AMOUNT);
                paymentTotal = paymentTotal.add(settlement);
                paymentLineFees = paymentLineFees.add(fee);
                BigDecimal rate = properties.feeRate(CHANNEL);
                if (rate != null) {
                    expectedFees = expectedFees.add(settlement.multiply(rate).setScale(2, RoundingMode.HALF_UP));
                }
                BigDecimal orderAmount = orderAmount(row);
                keys.add(new Line(
                        lineNo,
                        BillMatcher.PAYMENT,
                        nullIfEmpty(cell(row, TRANSACTION_ID)),
                        nullIfEmpty(cell(row, OUT_TRADE_NO)),
                        null,
                        orderAmount,
                        lineFee,
                        time(row)));
                matchPayment(row, orderAmount, p);
            } else if ("REFUND".equals(state)) {
                refundLines++;
                BigDecimal refunded = amount(row, REFUND_AMOUNT);
                refundTotal = refundTotal.subtract(refunded);
                String requestNo = cell(row, OUT_REFUND_NO);
                keys.add(new Line(
                        lineNo,
                        BillMatcher.REFUND,
                        nullIfEmpty(cell(row, TRANSACTION_ID)),
                        nullIfEmpty(cell(row, OUT_TRADE_NO)),
                        nullIfEmpty(requestNo),
                        refunded,
                        lineFee,
                        time(row)));
                matchRefund(row, refunded, p, refunds.get(requestNo));
            }
        }
        repository.insertLines(day, CHANNEL, keys);
        keepLease.run();
    }

    private void matchPayment(Map<String, String> row, BigDecimal amount, LocalPayment p) {
        String ref = "P:" + cell(row, OUT_TRADE_NO);
        if (p == null) {
            record(
                    DiscrepancyKind.MISSING_LOCALLY,
                    ref,
                    row,
                    null,
                    null,
                    null,
                    amount,
                    null,
                    "SUCCESS",
                    null,
                    null,
                    "WeChat Pay's bill has a payment for an order this service does not know");
            return;
        }
        if (!Money.equal(amount, p.amount())) {
            record(
                    DiscrepancyKind.AMOUNT_MISMATCH,
                    ref,
                    row,
                    null,
                    p.id(),
                    null,
                    amount,
                    p.amount(),
                    "SUCCESS",
                    p.status(),
                    p.paidAt(),
                    "the bill's 订单金额 differs from the payment's amount");
            return;
        }
        if ("PENDING".equals(p.status()) || "CLOSED".equals(p.status())) {
            record(
                    DiscrepancyKind.PAID_AT_ALIPAY_NOT_HERE,
                    ref,
                    row,
                    null,
                    p.id(),
                    null,
                    amount,
                    p.amount(),
                    "SUCCESS",
                    p.status(),
                    null,
                    "PENDING".equals(p.status())
                            ? "paid at WeChat Pay, still PENDING here (a lost notification?): confirmed by query, "
                                    + "then PAID"
                            : "paid at WeChat Pay after this payment was CLOSED here: the buyer needs a refund");
            return;
        }
        if (p.channel() != null && p.channel() != CHANNEL) {
            record(
                    DiscrepancyKind.PAID_AT_ALIPAY_NOT_HERE,
                    ref,
                    row,
                    null,
                    p.id(),
                    null,
                    amount,
                    p.amount(),
                    "SUCCESS",
                    p.status(),
                    p.paidAt(),
                    "paid at WeChat Pay, but paid here through " + BillMatcher.gatewayName(p.channel())
                            + ": the buyer paid twice and needs a refund");
            return;
        }
        matched++;
    }

    private void matchRefund(Map<String, String> row, BigDecimal amount, LocalPayment p, LocalRefund r) {
        String requestNo = cell(row, OUT_REFUND_NO);
        String ref = "R:" + requestNo;
        if (p == null) {
            record(
                    DiscrepancyKind.MISSING_LOCALLY,
                    ref,
                    row,
                    requestNo,
                    null,
                    null,
                    amount,
                    null,
                    "REFUND",
                    null,
                    null,
                    "WeChat Pay's bill has a refund of an order this service does not know");
            return;
        }
        if (r == null || !r.paymentId().equals(p.id())) {
            record(
                    DiscrepancyKind.REFUNDED_AT_ALIPAY_NOT_HERE,
                    ref,
                    row,
                    requestNo,
                    p.id(),
                    r == null ? null : r.id(),
                    amount,
                    r == null ? null : r.amount(),
                    "REFUND",
                    r == null ? null : r.status(),
                    r == null ? null : r.succeededAt(),
                    r == null
                            ? "refunded at WeChat Pay (e.g. in the merchant platform), unknown here; payment "
                                    + p.status() + ", refunded here " + Money.format(p.refundedAmount())
                            : "the refund number belongs to another payment here (" + r.paymentId() + ")");
            return;
        }
        if (!Money.equal(amount, r.amount())) {
            record(
                    DiscrepancyKind.AMOUNT_MISMATCH,
                    ref,
                    row,
                    requestNo,
                    p.id(),
                    r.id(),
                    amount,
                    r.amount(),
                    "REFUND",
                    r.status(),
                    r.succeededAt(),
                    "the bill's 退款金额 differs from the refund's amount");
            return;
        }
        if (!"SUCCEEDED".equals(r.status())) {
            record(
                    DiscrepancyKind.REFUNDED_AT_ALIPAY_NOT_HERE,
                    ref,
                    row,
                    requestNo,
                    p.id(),
                    r.id(),
                    amount,
                    r.amount(),
                    "REFUND",
                    r.status(),
                    null,
                    "refunded at WeChat Pay, " + r.status() + " here");
            return;
        }
        matched++;
    }

    private void record(
            DiscrepancyKind kind,
            String ref,
            Map<String, String> row,
            String outRequestNo,
            String paymentId,
            String refundId,
            BigDecimal billAmount,
            BigDecimal localAmount,
            String billStatus,
            String localStatus,
            Instant localTime,
            String detail) {
        repository.upsert(
                Discrepancy.found(
                        day,
                        CHANNEL,
                        kind,
                        ref,
                        nullIfEmpty(cell(row, OUT_TRADE_NO)),
                        nullIfEmpty(cell(row, TRANSACTION_ID)),
                        outRequestNo,
                        paymentId,
                        refundId,
                        billAmount,
                        localAmount,
                        billStatus,
                        localStatus,
                        time(row),
                        localTime,
                        detail),
                runNo,
                clock.instant());
    }

    /** The summary line against the lines of the same file: count, 应结订单总金额, 退款总金额. */
    private void checkSummary(Map<String, String> summary, int rows) {
        BigDecimal count = amountOrNull(summary, SUMMARY_COUNT);
        if (count != null && count.intValue() != rows) {
            total(
                    "T:lines",
                    count,
                    BigDecimal.valueOf(rows),
                    SUMMARY_COUNT + " says " + count.toPlainString() + " lines; the bill has " + rows);
        }
        BigDecimal paid = amountOrNull(summary, SUMMARY_SETTLEMENT);
        if (paid != null && paid.compareTo(paymentTotal) != 0) {
            total(
                    "T:payments",
                    paid,
                    paymentTotal,
                    SUMMARY_SETTLEMENT + " says " + Money.format(paid) + "; the payment lines add up to "
                            + Money.format(paymentTotal));
        }
        BigDecimal refunded = amountOrNull(summary, SUMMARY_REFUNDS);
        if (refunded != null && refunded.compareTo(refundTotal.negate()) != 0) {
            total(
                    "T:refunds",
                    refunded,
                    refundTotal.negate(),
                    SUMMARY_REFUNDS + " says " + Money.format(refunded) + "; the refund lines add up to "
                            + Money.format(refundTotal.negate()));
        }
    }

    private void total(String ref, BigDecimal bill, BigDecimal lines, String detail) {
        repository.upsert(
                Discrepancy.found(
                        day,
                        CHANNEL,
                        DiscrepancyKind.TOTALS_MISMATCH,
                        ref,
                        null,
                        null,
                        null,
                        null,
                        null,
                        bill,
                        lines,
                        null,
                        null,
                        null,
                        null,
                        detail),
                runNo,
                clock.instant());
    }

    /**
     * Only with {@code wechatpay.fee-rate}: the fee of each payment line is its 应结订单金额 times the rate, to the
     * fen; the lines' 手续费 added up (rounded to the fen) must be the same.
     */
    private void checkFees() {
        BigDecimal rate = properties.feeRate(CHANNEL);
        BigDecimal charged = Money.of(paymentLineFees.setScale(2, RoundingMode.HALF_UP));
        if (rate == null || charged.compareTo(expectedFees) == 0) {
            return;
        }
        repository.upsert(
                Discrepancy.found(
                        day,
                        CHANNEL,
                        DiscrepancyKind.SERVICE_FEE_MISMATCH,
                        "F:payments",
                        null,
                        null,
                        null,
                        null,
                        null,
                        charged,
                        expectedFees,
                        null,
                        null,
                        null,
                        null,
                        "the payment lines' 手续费 add up to " + Money.format(charged) + "; at wechatpay.fee-rate "
                                + rate.toPlainString() + " they would be " + Money.format(expectedFees)),
                runNo,
                clock.instant());
    }

    private static boolean isRefund(Map<String, String> row) {
        return "REFUND".equals(cell(row, STATE));
    }

    /** {@code 订单金额} when the bill has it, else {@code 应结订单金额}. */
    private static BigDecimal orderAmount(Map<String, String> row) {
        String total = cell(row, ORDER_AMOUNT);
        return total.isEmpty() ? amount(row, SETTLEMENT_AMOUNT) : amount(row, ORDER_AMOUNT);
    }

    /** A cell without the backtick that keeps spreadsheets from reading it as a number, and without spaces. */
    static String cell(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null) {
            return "";
        }
        value = value.strip();
        return value.startsWith("`") ? value.substring(1).strip() : value;
    }

    /** Yuan; an empty cell is zero. */
    static BigDecimal amount(Map<String, String> row, String column) {
        String text = cell(row, column);
        if (text.isEmpty()) {
            return Money.of(BigDecimal.ZERO);
        }
        try {
            BigDecimal value = new BigDecimal(text);
            return value.scale() <= 2 ? Money.of(value) : value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is not an amount: " + text);
        }
    }

    private static BigDecimal amountOrNull(Map<String, String> row, String column) {
        return cell(row, column).isEmpty() ? null : amount(row, column);
    }

    /** Beijing time (GMT+8, the zone of Alipay's days too). */
    private static Instant time(Map<String, String> row) {
        String text = cell(row, TIME);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text, TIME_FORMAT)
                    .atZone(AlipayTimes.ZONE)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(TIME + " is not a time: " + text);
        }
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
