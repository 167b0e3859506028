package dev.zhifu.payments.reconciliation;

import dev.zhifu.alipay.bill.TradeBillLine;
import dev.zhifu.alipay.bill.TradeBillParser;
import dev.zhifu.alipay.bill.TradeBillSummary;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import dev.zhifu.payments.reconciliation.ReconciliationRepository.Line;
import dev.zhifu.payments.reconciliation.ReconciliationRepository.LocalPayment;
import dev.zhifu.payments.reconciliation.ReconciliationRepository.LocalRefund;
import dev.zhifu.payments.reconciliation.ReconciliationRepository.Totals;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over a day's bill: lines are streamed from the kept file by the client's parser, matched in batches
 * against our payments and refunds looked up by their keys (never all of them at once), and stored by key so that
 * "missing at Alipay" is an anti-join in the database afterwards. Findings go to the repository as they are made.
 */
final class BillMatcher {

    static final String PAYMENT = "PAYMENT";
    static final String REFUND = "REFUND";

    private final ReconciliationRepository repository;
    private final ReconciliationProperties properties;
    private final Clock clock;
    private final LocalDate day;
    private final int runNo;
    private final Runnable keepLease;

    private final List<TradeBillLine> batch = new ArrayList<>();
    private int lineNo;
    private int paymentLines;
    private int refundLines;
    private int matched;
    private BigDecimal paymentTotal = Money.of(BigDecimal.ZERO);
    private BigDecimal refundTotal = Money.of(BigDecimal.ZERO);
    private BigDecimal serviceFees = Money.of(BigDecimal.ZERO);
    private BigDecimal paymentLineFees = Money.of(BigDecimal.ZERO);
    private BigDecimal expectedFees = Money.of(BigDecimal.ZERO);

    BillMatcher(
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

    /** Start of the Alipay day (GMT+8) as an instant. */
    static Instant startOf(LocalDate day) {
        return day.atStartOfDay(AlipayTimes.ZONE).toInstant();
    }

    /**
     * Matches the zip's lines, then looks for what we have that the bill has not. {@code emptyBill}: Alipay
     * said {@code EMPTY_DATA_WITH_BILL_FILE}, so a zip without a detail file means no lines, not a broken file.
     */
    Totals run(InputStream zip, boolean emptyBill) throws IOException {
        repository.deleteLines(day, Channel.ALIPAY);
        TradeBillSummary summary;
        try {
            summary = TradeBillParser.parseZip(zip, line -> {
                batch.add(line);
                if (batch.size() >= properties.batchSize()) {
                    flush();
                }
            });
        } catch (IllegalArgumentException e) {
            if (!emptyBill || lineNo > 0) {
                throw e;
            }
            summary = null;
        }
        flush();
        if (summary != null) {
            checkFooter(summary);
        }
        checkServiceFees();
        findLocalWithoutLines(repository, properties, clock, day, Channel.ALIPAY, runNo, keepLease);
        return new Totals(
                lineNo,
                paymentLines,
                refundLines,
                paymentTotal,
                refundTotal,
                serviceFees,
                summary == null || summary.footerPaymentCount() == null
                        ? null
                        : summary.footerPaymentCount().intValue(),
                summary == null ? null : summary.footerPaymentReceived(),
                summary == null || summary.footerRefundCount() == null
                        ? null
                        : summary.footerRefundCount().intValue(),
                summary == null ? null : summary.footerRefundReceived(),
                matched);
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        Set<String> outTradeNos = new HashSet<>();
        Set<String> tradeNosOnly = new HashSet<>();
        Set<String> requestNos = new HashSet<>();
        for (TradeBillLine l : batch) {
            if (l.outTradeNo() != null) {
                outTradeNos.add(l.outTradeNo());
            } else if (l.tradeNo() != null) {
                tradeNosOnly.add(l.tradeNo());
            }
            if (l.type() == TradeBillLine.Type.REFUND) {
                requestNos.add(refundKey(l));
            }
        }
        Map<String, LocalPayment> byOutTradeNo = repository.paymentsByOutTradeNo(outTradeNos);
        Map<String, LocalPayment> byTradeNo = repository.paymentsByTradeNo(tradeNosOnly);
        Map<String, LocalRefund> refunds = repository.refundsByOutRequestNo(requestNos);
        List<Line> keys = new ArrayList<>(batch.size());
        for (TradeBillLine l : batch) {
            lineNo++;
            LocalPayment p = l.outTradeNo() != null ? byOutTradeNo.get(l.outTradeNo()) : byTradeNo.get(l.tradeNo());
            BigDecimal fee = l.serviceFee() == null ? BigDecimal.ZERO : l.serviceFee();
            serviceFees = serviceFees.add(fee);
            if (l.type() == TradeBillLine.Type.PAYMENT) {
                paymentLines++;
                paymentTotal = paymentTotal.add(l.merchantReceived());
                paymentLineFees = paymentLineFees.add(fee);
                if (properties.feeRate() != null) {
                    expectedFees = expectedFees.add(
                            l.orderAmount().multiply(properties.feeRate()).setScale(2, RoundingMode.HALF_UP));
                }
                keys.add(new Line(lineNo, PAYMENT, l.tradeNo(), l.outTradeNo(), null, l.orderAmount(), fee, time(l)));
                matchPayment(l, p);
            } else {
                refundLines++;
                refundTotal = refundTotal.add(l.merchantReceived());
                keys.add(new Line(
                        lineNo, REFUND, l.tradeNo(), l.outTradeNo(), refundKey(l), refundAmount(l), fee, time(l)));
                matchRefund(l, p, refunds.get(refundKey(l)));
            }
        }
        repository.insertLines(day, Channel.ALIPAY, keys);
        batch.clear();
        keepLease.run();
    }

    private void matchPayment(TradeBillLine l, LocalPayment p) {
        String ref = "P:" + (l.outTradeNo() != null ? l.outTradeNo() : l.tradeNo());
        if (p == null) {
            record(
                    DiscrepancyKind.MISSING_LOCALLY,
                    ref,
                    l,
                    null,
                    null,
                    l.orderAmount(),
                    null,
                    "TRADE_SUCCESS",
                    null,
                    null,
                    "Alipay's bill has a payment for an order this service does not know");
            return;
        }
        if (!Money.equal(l.orderAmount(), p.amount())) {
            record(
                    DiscrepancyKind.AMOUNT_MISMATCH,
                    ref,
                    l,
                    p.id(),
                    null,
                    l.orderAmount(),
                    p.amount(),
                    "TRADE_SUCCESS",
                    p.status(),
                    p.paidAt(),
                    "the bill's order amount differs from the payment's amount");
            return;
        }
        if ("PENDING".equals(p.status()) || "CLOSED".equals(p.status())) {
            record(
                    DiscrepancyKind.PAID_AT_ALIPAY_NOT_HERE,
                    ref,
                    l,
                    p.id(),
                    null,
                    l.orderAmount(),
                    p.amount(),
                    "TRADE_SUCCESS",
                    p.status(),
                    null,
                    "PENDING".equals(p.status())
                            ? "paid at Alipay, still PENDING here (a lost notification?): confirmed by query, then PAID"
                            : "paid at Alipay after this payment was CLOSED here: the buyer needs a refund");
            return;
        }
        if (p.channel() != null && p.channel() != Channel.ALIPAY) {
            record(
                    DiscrepancyKind.PAID_AT_ALIPAY_NOT_HERE,
                    ref,
                    l,
                    p.id(),
                    null,
                    l.orderAmount(),
                    p.amount(),
                    "TRADE_SUCCESS",
                    p.status(),
                    p.paidAt(),
                    "paid at Alipay, but paid here through " + gatewayName(p.channel())
                            + ": the buyer paid twice and needs a refund");
            return;
        }
        matched++;
    }

    private void matchRefund(TradeBillLine l, LocalPayment p, LocalRefund r) {
        String requestNo = refundKey(l);
        String ref = "R:" + requestNo;
        BigDecimal amount = refundAmount(l);
        if (p == null) {
            record(
                    DiscrepancyKind.MISSING_LOCALLY,
                    ref,
                    l,
                    null,
                    null,
                    amount,
                    null,
                    "REFUND_SUCCESS",
                    null,
                    null,
                    "Alipay's bill has a refund of an order this service does not know");
            return;
        }
        if (r == null) {
            record(
                    DiscrepancyKind.REFUNDED_AT_ALIPAY_NOT_HERE,
                    ref,
                    l,
                    p.id(),
                    null,
                    amount,
                    null,
                    "REFUND_SUCCESS",
                    null,
                    null,
                    "refunded at Alipay (e.g. in the merchant console), unknown here: confirmed by query, "
                            + "then recorded; payment " + p.status() + ", refunded here "
                            + Money.format(p.refundedAmount()));
            return;
        }
        if (!r.paymentId().equals(p.id())) {
            record(
                    DiscrepancyKind.REFUNDED_AT_ALIPAY_NOT_HERE,
                    ref,
                    l,
                    p.id(),
                    r.id(),
                    amount,
                    r.amount(),
                    "REFUND_SUCCESS",
                    r.status(),
                    r.succeededAt(),
                    "the refund request number belongs to another payment here (" + r.paymentId() + ")");
            return;
        }
        if (!Money.equal(amount, r.amount())) {
            record(
                    DiscrepancyKind.AMOUNT_MISMATCH,
                    ref,
                    l,
                    p.id(),
                    r.id(),
                    amount,
                    r.amount(),
                    "REFUND_SUCCESS",
                    r.status(),
                    r.succeededAt(),
                    "the bill's refund amount differs from the refund's amount");
            return;
        }
        if (!"SUCCEEDED".equals(r.status())) {
            record(
                    DiscrepancyKind.REFUNDED_AT_ALIPAY_NOT_HERE,
                    ref,
                    l,
                    p.id(),
                    r.id(),
                    amount,
                    r.amount(),
                    "REFUND_SUCCESS",
                    r.status(),
                    null,
                    "PENDING".equals(r.status())
                            ? "refunded at Alipay, still PENDING here: confirmed by refund query, then SUCCEEDED"
                            : "refunded at Alipay although FAILED here: needs a person");
            return;
        }
        matched++;
    }

    private void record(
            DiscrepancyKind kind,
            String ref,
            TradeBillLine l,
            String paymentId,
            String refundId,
            BigDecimal alipayAmount,
            BigDecimal localAmount,
            String alipayStatus,
            String localStatus,
            Instant localTime,
            String detail) {
        repository.upsert(
                Discrepancy.found(
                        day,
                        Channel.ALIPAY,
                        kind,
                        ref,
                        l.outTradeNo(),
                        l.tradeNo(),
                        l.type() == TradeBillLine.Type.REFUND ? refundKey(l) : null,
                        paymentId,
                        refundId,
                        alipayAmount,
                        localAmount,
                        alipayStatus,
                        localStatus,
                        time(l),
                        localTime,
                        detail),
                runNo,
                clock.instant());
    }

    /** Footer (#交易合计 / #退款合计) against the lines of the same file. */
    private void checkFooter(TradeBillSummary s) {
        checkFooter(
                "payments",
                "#交易合计",
                s.footerPaymentCount(),
                s.footerPaymentReceived(),
                s.paymentLines(),
                s.paymentReceived());
        checkFooter(
                "refunds",
                "#退款合计",
                s.footerRefundCount(),
                s.footerRefundReceived(),
                s.refundLines(),
                s.refundReceived());
    }

    private void checkFooter(
            String what, String footer, Long footerCount, BigDecimal footerAmount, long lines, BigDecimal linesAmount) {
        if (footerCount == null || (footerCount == lines && footerAmount.compareTo(linesAmount) == 0)) {
            return;
        }
        repository.upsert(
                Discrepancy.found(
                        day,
                        Channel.ALIPAY,
                        DiscrepancyKind.TOTALS_MISMATCH,
                        "T:" + what,
                        null,
                        null,
                        null,
                        null,
                        null,
                        footerAmount,
                        linesAmount,
                        footerCount + " " + what,
                        lines + " " + what,
                        null,
                        null,
                        footer + " says "
                                + footerCount + " " + what + ", " + Money.format(footerAmount)
                                + "; the lines add up to " + lines
                                + ", " + Money.format(linesAmount)),
                runNo,
                clock.instant());
    }

    /** Only with {@code fee-rate}: the fee of each payment line is its order amount times the rate, to the fen. */
    private void checkServiceFees() {
        if (properties.feeRate() == null || paymentLineFees.compareTo(expectedFees) == 0) {
            return;
        }
        repository.upsert(
                Discrepancy.found(
                        day,
                        Channel.ALIPAY,
                        DiscrepancyKind.SERVICE_FEE_MISMATCH,
                        "F:payments",
                        null,
                        null,
                        null,
                        null,
                        null,
                        paymentLineFees,
                        expectedFees,
                        null,
                        null,
                        null,
                        null,
                        "the payment lines' 服务费 add up to "
                                + Money.format(paymentLineFees) + "; at fee-rate "
                                + properties.feeRate().toPlainString()
                                + " they would be " + Money.format(expectedFees)),
                runNo,
                clock.instant());
    }

    /**
     * Paid here through {@code channel}, no payment line in its bill; refunds of its payments succeeded here, no
     * refund line. Payments of the last {@code grace} before midnight belong to the next day's run (the gateway
     * may have booked them after midnight), and each is looked for in the neighbouring days' bills of the channel
     * too, so a payment at 23:59:59 is never flagged on either side of midnight.
     */
    static void findLocalWithoutLines(
            ReconciliationRepository repository,
            ReconciliationProperties properties,
            Clock clock,
            LocalDate day,
            Channel channel,
            int runNo,
            Runnable keepLease) {
        Instant from = startOf(day).minus(properties.grace());
        Instant to = startOf(day.plusDays(1)).minus(properties.grace());
        String gateway = gatewayName(channel);
        Pages.forEach(
                properties.batchSize(),
                (after, size) ->
                        repository.paidWithoutLine(channel, from, to, day.minusDays(1), day.plusDays(1), after, size),
                LocalPayment::id,
                p -> repository.upsert(
                        Discrepancy.found(
                                day,
                                channel,
                                DiscrepancyKind.MISSING_AT_ALIPAY,
                                "P:" + p.outTradeNo(),
                                p.outTradeNo(),
                                p.tradeNo(),
                                null,
                                p.id(),
                                null,
                                null,
                                p.amount(),
                                null,
                                p.status(),
                                null,
                                p.paidAt(),
                                "paid here at " + p.paidAt() + ", but no payment line in " + gateway + "'s bill"),
                        runNo,
                        clock.instant()),
                keepLease);
        Pages.forEach(
                properties.batchSize(),
                (after, size) -> repository.refundedWithoutLine(
                        channel, from, to, day.minusDays(1), day.plusDays(1), after, size),
                LocalRefund::id,
                rf -> repository.upsert(
                        Discrepancy.found(
                                day,
                                channel,
                                DiscrepancyKind.REFUNDED_HERE_NOT_AT_ALIPAY,
                                "R:" + rf.outRequestNo(),
                                repository.outTradeNoOf(rf.paymentId()).orElse(null),
                                null,
                                rf.outRequestNo(),
                                rf.paymentId(),
                                rf.id(),
                                null,
                                rf.amount(),
                                null,
                                rf.status(),
                                null,
                                rf.succeededAt(),
                                "refund succeeded here at " + rf.succeededAt() + ", but no refund line in " + gateway
                                        + "'s bill"),
                        runNo,
                        clock.instant()),
                keepLease);
    }

    /** The gateway's name as a person reads it in a finding. */
    static String gatewayName(Channel channel) {
        return channel == Channel.WECHATPAY ? "WeChat Pay" : "Alipay";
    }

    /** Alipay names a refund made without a request number by the order's number (docs/alipay-protocol.md#s11.11). */
    static String refundKey(TradeBillLine l) {
        return l.refundRequestNo() != null ? l.refundRequestNo() : l.outTradeNo();
    }

    /** Refund lines carry negative amounts: 商家实收 is what went back. */
    static BigDecimal refundAmount(TradeBillLine l) {
        BigDecimal received = l.merchantReceived();
        return (received.signum() != 0 ? received : l.orderAmount()).abs();
    }

    private static Instant time(TradeBillLine l) {
        return AlipayTimes.toInstant(l.finishedAt() != null ? l.finishedAt() : l.createdAt());
    }
}
