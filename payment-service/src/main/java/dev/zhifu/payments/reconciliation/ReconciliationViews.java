package dev.zhifu.payments.reconciliation;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.payments.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the API shows of reconciled days and their discrepancies. */
final class ReconciliationViews {

    private ReconciliationViews() {}

    @Schema(
            name = "ReconciliationDay",
            description = "A day of every channel together: the status is FAILED when a channel failed, else "
                    + "WAITING_FOR_BILL when one waits, else PENDING when one never ran, else RECONCILED; totals "
                    + "add the channels up; bill is Alipay's file. `channels` has each channel's own.")
    record DayView(
            @Schema(description = "the day (GMT+8, Alipay's and WeChat Pay's)", example = "2025-01-01")
            String date,

            @Schema(allowableValues = {"PENDING", "WAITING_FOR_BILL", "RECONCILED", "FAILED"})
            String status,

            @Schema(description = "an instance is reconciling the day right now")
            boolean running,

            @JsonProperty("run_no") int runNo,
            @JsonProperty("next_attempt_at") Instant nextAttemptAt,
            @JsonProperty("last_error") String lastError,
            @JsonProperty("started_at") Instant startedAt,
            @JsonProperty("finished_at") Instant finishedAt,
            Bill bill,
            Totals totals,
            @JsonProperty("discrepancy_counts") Counts discrepancyCounts,

            @Schema(description = "only on GET /api/v1/reconciliations/{date} and the run")
            List<DiscrepancyView> discrepancies,

            @Schema(description = "each channel reconciled that day, by name (alipay, wechatpay)")
            Map<String, ChannelView> channels) {}

    /** One channel's day: its own run against its own bill. */
    @Schema(name = "ReconciliationChannelDay")
    record ChannelView(
            @Schema(allowableValues = {"PENDING", "WAITING_FOR_BILL", "RECONCILED", "FAILED"})
            String status,

            boolean running,
            @JsonProperty("run_no") int runNo,
            @JsonProperty("next_attempt_at") Instant nextAttemptAt,
            @JsonProperty("last_error") String lastError,
            @JsonProperty("started_at") Instant startedAt,
            @JsonProperty("finished_at") Instant finishedAt,
            Bill bill,
            Totals totals,
            @JsonProperty("discrepancy_counts") Counts discrepancyCounts) {}

    /** The kept original file. */
    record Bill(
            @JsonProperty("file_code") String fileCode,
            @JsonProperty("file_name") String fileName,
            Long size,
            String sha256,
            @JsonProperty("downloaded_at") Instant downloadedAt) {}

    record Totals(
            @JsonProperty("line_count") Integer lineCount,
            @JsonProperty("payment_line_count") Integer paymentLineCount,
            @JsonProperty("refund_line_count") Integer refundLineCount,

            @JsonProperty("payment_total") @Schema(example = "9.90")
            String paymentTotal,

            @JsonProperty("refund_total") @Schema(example = "-1.00")
            String refundTotal,

            @JsonProperty("service_fee_total") String serviceFeeTotal,
            @JsonProperty("footer_payment_count") Integer footerPaymentCount,
            @JsonProperty("footer_payment_total") String footerPaymentTotal,
            @JsonProperty("footer_refund_count") Integer footerRefundCount,
            @JsonProperty("footer_refund_total") String footerRefundTotal,
            @JsonProperty("matched_count") Integer matchedCount) {}

    record Counts(int open, int repaired, int resolved, int total) {
        static Counts of(Map<String, Integer> byStatus) {
            int open = byStatus.getOrDefault(Discrepancy.OPEN, 0);
            int repaired = byStatus.getOrDefault(Discrepancy.REPAIRED, 0);
            int resolved = byStatus.getOrDefault(Discrepancy.RESOLVED, 0);
            return new Counts(open, repaired, resolved, open + repaired + resolved);
        }
    }

    /** One side's values: Alipay's bill line, or our payment / refund. */
    record Side(@Schema(example = "9.90") String amount, String status, Instant time) {}

    @Schema(name = "ReconciliationDiscrepancy")
    record DiscrepancyView(
            String id,
            String date,

            @Schema(
                    description = "whose bill it is about; `alipay` (the bill's side) is that channel's bill line",
                    allowableValues = {"alipay", "wechatpay"})
            String channel,

            @Schema(
                    allowableValues = {
                        "MISSING_LOCALLY",
                        "MISSING_AT_ALIPAY",
                        "AMOUNT_MISMATCH",
                        "PAID_AT_ALIPAY_NOT_HERE",
                        "REFUNDED_AT_ALIPAY_NOT_HERE",
                        "REFUNDED_HERE_NOT_AT_ALIPAY",
                        "TOTALS_MISMATCH",
                        "SERVICE_FEE_MISMATCH"
                    })
            String kind,

            @Schema(allowableValues = {"OPEN", "REPAIRED", "RESOLVED"})
            String status,

            @JsonProperty("out_trade_no") String outTradeNo,
            @JsonProperty("trade_no") String tradeNo,
            @JsonProperty("out_request_no") String outRequestNo,
            @JsonProperty("payment_id") String paymentId,
            @JsonProperty("refund_id") String refundId,
            @Schema(description = "the bill's side") Side alipay,
            @Schema(description = "this service's side") Side local,
            String detail,

            @Schema(description = "the automatic repair made, or why none was")
            String repair,

            @JsonProperty("repaired_at") Instant repairedAt,
            @JsonProperty("resolution_note") String resolutionNote,
            @JsonProperty("resolved_at") Instant resolvedAt,
            @JsonProperty("detected_at") Instant detectedAt,
            @JsonProperty("updated_at") Instant updatedAt) {}

    @Schema(name = "ResolveDiscrepancyRequest")
    record ResolveBody(
            @Schema(
                    description = "what a person found and did, 1 to 1000 characters",
                    example = "Refunded the buyer by hand in Alipay's console",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String note) {}

    /** A day of its channels' rows, with the discrepancy counts by channel and status. */
    static DayView of(
            List<ReconciliationDay> channels,
            Map<Channel, Map<String, Integer>> counts,
            List<DiscrepancyView> discrepancies,
            Instant now) {
        Map<String, Integer> all = new LinkedHashMap<>();
        counts.values().forEach(byStatus -> byStatus.forEach((s, n) -> all.merge(s, n, Integer::sum)));
        Map<String, ChannelView> byChannel = new LinkedHashMap<>();
        for (ReconciliationDay c : channels) {
            byChannel.put(
                    c.channel().wire(),
                    new ChannelView(
                            c.status(),
                            c.runningAt(now),
                            c.runNo(),
                            c.nextAttemptAt(),
                            c.lastError(),
                            c.startedAt(),
                            c.finishedAt(),
                            bill(c),
                            totals(c),
                            Counts.of(counts.getOrDefault(c.channel(), Map.of()))));
        }
        return of(ReconciliationDay.combine(channels), all, discrepancies, byChannel, now);
    }

    private static Bill bill(ReconciliationDay d) {
        return d.billSize() == null
                ? null
                : new Bill(d.billFileCode(), d.billFileName(), d.billSize(), d.billSha256(), d.billDownloadedAt());
    }

    private static Totals totals(ReconciliationDay d) {
        return d.lineCount() == null
                ? null
                : new Totals(
                        d.lineCount(),
                        d.paymentLineCount(),
                        d.refundLineCount(),
                        money(d.paymentTotal()),
                        money(d.refundTotal()),
                        money(d.serviceFeeTotal()),
                        d.footerPaymentCount(),
                        money(d.footerPaymentTotal()),
                        d.footerRefundCount(),
                        money(d.footerRefundTotal()),
                        d.matchedCount());
    }

    private static DayView of(
            ReconciliationDay d,
            Map<String, Integer> counts,
            List<DiscrepancyView> discrepancies,
            Map<String, ChannelView> channels,
            Instant now) {
        return new DayView(
                d.billDate().toString(),
                d.status(),
                d.runningAt(now),
                d.runNo(),
                d.nextAttemptAt(),
                d.lastError(),
                d.startedAt(),
                d.finishedAt(),
                bill(d),
                totals(d),
                Counts.of(counts),
                discrepancies,
                channels);
    }

    static DiscrepancyView of(Discrepancy d) {
        return new DiscrepancyView(
                d.id(),
                d.billDate().toString(),
                d.channel().wire(),
                d.kind().name(),
                d.status(),
                d.outTradeNo(),
                d.tradeNo(),
                d.outRequestNo(),
                d.paymentId(),
                d.refundId(),
                new Side(money(d.alipayAmount()), d.alipayStatus(), d.alipayTime()),
                new Side(money(d.localAmount()), d.localStatus(), d.localTime()),
                d.detail(),
                d.repair(),
                d.repairedAt(),
                d.resolutionNote(),
                d.resolvedAt(),
                d.detectedAt(),
                d.updatedAt());
    }

    static String money(BigDecimal amount) {
        return amount == null ? null : Money.format(amount);
    }
}
