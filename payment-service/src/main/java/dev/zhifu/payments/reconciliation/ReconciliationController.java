package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.reconciliation.ReconciliationViews.DayView;
import dev.zhifu.payments.reconciliation.ReconciliationViews.DiscrepancyView;
import dev.zhifu.payments.reconciliation.ReconciliationViews.ResolveBody;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.web.FieldErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/reconciliations")
@Tag(
        name = "Reconciliation",
        description = "Daily reconciliation (对账) of each channel against its own trade bill (Alipay's, WeChat Pay's), "
                + "with safe automatic repair")
public class ReconciliationController {

    private static final LocalDate EARLIEST = LocalDate.of(2016, 1, 1);
    private static final int PAGE = 500;
    private static final Set<String> STATUSES = Set.of(Discrepancy.OPEN, Discrepancy.REPAIRED, Discrepancy.RESOLVED);
    private static final String[] CSV_HEADER = {
        "id",
        "date",
        "kind",
        "status",
        "out_trade_no",
        "trade_no",
        "out_request_no",
        "payment_id",
        "refund_id",
        "alipay_amount",
        "local_amount",
        "alipay_status",
        "local_status",
        "alipay_time",
        "local_time",
        "detail",
        "repair",
        "repaired_at",
        "resolution_note",
        "resolved_at",
        "detected_at",
        "channel"
    };

    private final Reconciliations reconciliations;
    private final ReconciliationRepository repository;
    private final BillStore bills;
    private final Clock clock;

    public ReconciliationController(
            Reconciliations reconciliations, ReconciliationRepository repository, BillStore bills, Clock clock) {
        this.reconciliations = reconciliations;
        this.repository = repository;
        this.bills = bills;
        this.clock = clock;
    }

    @GetMapping
    @Operation(
            summary = "Reconciled days, newest first, with their totals and discrepancy counts",
            description = "Each day is every channel together, with `channels` holding each channel's own status, "
                    + "totals and counts.")
    public Map<String, List<DayView>> list(@RequestParam(value = "limit", defaultValue = "31") int limit) {
        if (limit < 1 || limit > 366) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", "limit: 1 to 366");
        }
        Map<LocalDate, List<ReconciliationDay>> days = repository.list(limit);
        Map<LocalDate, Map<Channel, Map<String, Integer>>> counts = repository.countsByChannel(days.keySet());
        Instant now = clock.instant();
        return Map.of(
                "data",
                days.entrySet().stream()
                        .map(d -> ReconciliationViews.of(
                                d.getValue(), counts.getOrDefault(d.getKey(), Map.of()), null, now))
                        .toList());
    }

    @ApiResponse(responseCode = "400", description = "validation_failed")
    @ApiResponse(responseCode = "404", description = "reconciliation_not_found")
    @GetMapping("/{date}")
    @Operation(
            summary = "One day: summary and discrepancies",
            description = "`date` is the day (yyyy-MM-dd, GMT+8). `status` filters the discrepancies (OPEN, REPAIRED, "
                    + "RESOLVED), `channel` too (alipay, wechatpay); at most `limit` are listed (the CSV export has "
                    + "them all). 404 reconciliation_not_found when the day was never reconciled.")
    public DayView get(
            @PathVariable @Parameter(example = "2025-01-01") String date,
            @RequestParam(value = "status", required = false) String status,
            @RequestParam(value = "channel", required = false) String channel,
            @RequestParam(value = "limit", defaultValue = "500") int limit) {
        LocalDate day = parseDate(date);
        if (status != null && !STATUSES.contains(status)) {
            throw invalid("status", "one of OPEN, REPAIRED, RESOLVED");
        }
        Channel only = channel == null ? null : parseChannel(channel);
        if (limit < 1 || limit > 5000) {
            throw invalid("limit", "1 to 5000");
        }
        return view(find(day), only, status, limit);
    }

    @ApiResponse(responseCode = "400", description = "validation_failed")
    @ApiResponse(responseCode = "409", description = "reconciliation_in_progress")
    @PostMapping("/{date}/run")
    @Operation(
            summary = "Reconcile that day again",
            description =
                    "For each channel (Alipay; WeChat Pay when enabled) downloads the day's trade bill, keeps it, "
                            + "matches every line and makes the safe repairs; answers the day as the runs left it: RECONCILED, "
                            + "WAITING_FOR_BILL (a bill not published yet; the job asks again) or FAILED (with last_error; the "
                            + "job retries), each channel's in `channels`. Re-running replaces the day's result; repaired and "
                            + "resolved discrepancies are kept. 409 reconciliation_in_progress while another run holds the day "
                            + "of a channel (the other channels are run); 400 for a malformed or future date.")
    public DayView run(@PathVariable @Parameter(example = "2025-01-01") String date) {
        LocalDate day = parseDate(date);
        try {
            reconciliations.run(day);
        } catch (Reconciliations.InProgressException e) {
            throw ApiException.conflict("reconciliation_in_progress", e.getMessage() + "; try again later");
        }
        return view(find(day), null, null, 500);
    }

    @ApiResponse(responseCode = "400", description = "validation_failed")
    @ApiResponse(responseCode = "404", description = "discrepancy_not_found")
    @ApiResponse(responseCode = "409", description = "discrepancy_not_open")
    @PostMapping("/{date}/discrepancies/{id}/resolve")
    @Operation(
            summary = "Mark an open discrepancy resolved, with a note of what a person did",
            description =
                    "404 discrepancy_not_found when the id is not one of that day's; 409 discrepancy_not_open when "
                            + "it is already repaired or resolved.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ResolveBody.class),
                                            examples =
                                                    @ExampleObject(
                                                            value =
                                                                    "{\"note\":\"Refunded the buyer by hand in Alipay's console\"}"))))
    public DiscrepancyView resolve(
            @PathVariable String date, @PathVariable String id, @RequestBody(required = false) ResolveBody body) {
        LocalDate day = parseDate(date);
        FieldErrors errors = new FieldErrors();
        String note = body == null || body.note() == null ? null : body.note().strip();
        if (note == null || note.isEmpty()) {
            errors.reject("note", "required: what was found and done");
        } else if (note.length() > 1000) {
            errors.reject("note", "at most 1000 characters");
        }
        errors.throwIfAny();
        Discrepancy d = repository
                .discrepancy(id)
                .filter(x -> x.billDate().equals(day))
                .orElseThrow(
                        () -> ApiException.notFound("discrepancy_not_found", "No discrepancy " + id + " on " + day));
        if (!repository.resolve(id, day, note, clock.instant())) {
            throw ApiException.conflict(
                    "discrepancy_not_open",
                    "The discrepancy is "
                            + repository
                                    .discrepancy(id)
                                    .map(Discrepancy::status)
                                    .orElse(d.status()) + ", not OPEN");
        }
        return ReconciliationViews.of(repository.discrepancy(id).orElseThrow());
    }

    @GetMapping("/{date}/discrepancies.csv")
    @Operation(summary = "The day's discrepancies as CSV (UTF-8, header row, one discrepancy per row)")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "text/csv"))
    public void csv(@PathVariable String date, HttpServletResponse response) throws IOException {
        LocalDate day = parseDate(date);
        find(day);
        response.setStatus(200);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(
                "Content-Disposition", "attachment; filename=\"reconciliation-" + day + "-discrepancies.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        try (CSVPrinter csv = new CSVPrinter(
                out, CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).get())) {
            Pages.forEach(
                    PAGE,
                    (after, size) -> repository.discrepancies(day, null, null, after, size),
                    Discrepancy::id,
                    d -> print(csv, d),
                    () -> {});
        }
    }

    private static void print(CSVPrinter csv, Discrepancy d) {
        try {
            csv.printRecord(
                    d.id(),
                    d.billDate(),
                    d.kind(),
                    d.status(),
                    text(d.outTradeNo()),
                    text(d.tradeNo()),
                    text(d.outRequestNo()),
                    d.paymentId(),
                    d.refundId(),
                    ReconciliationViews.money(d.alipayAmount()),
                    ReconciliationViews.money(d.localAmount()),
                    d.alipayStatus(),
                    d.localStatus(),
                    d.alipayTime(),
                    d.localTime(),
                    text(d.detail()),
                    text(d.repair()),
                    d.repairedAt(),
                    text(d.resolutionNote()),
                    d.resolvedAt(),
                    d.detectedAt(),
                    d.channel().wire());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading quote:
     * order numbers and notes come from outside and the CSV is meant to be opened in Excel.
     */
    static String text(String value) {
        if (value != null && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    @ApiResponse(responseCode = "404", description = "bill_not_found, reconciliation_not_found")
    @GetMapping("/{date}/bill")
    @Operation(
            summary = "The original bill file as downloaded: Alipay's zip (GBK CSV inside), or with "
                    + "channel=wechatpay WeChat Pay's trade bill (UTF-8 CSV)")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/zip"))
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "text/csv"))
    public void bill(
            @PathVariable String date,
            @RequestParam(value = "channel", defaultValue = "alipay") String channel,
            HttpServletResponse response)
            throws IOException {
        LocalDate day = parseDate(date);
        Channel of = parseChannel(channel);
        find(day);
        ReconciliationDay d = repository.find(day, of).orElse(null);
        if (d == null || d.billRunNo() == null) {
            throw ApiException.notFound(
                    "bill_not_found",
                    "No " + of.wire() + " bill file is kept for " + day
                            + (d == null ? "" : " (status " + d.status() + ")"));
        }
        response.setStatus(200);
        response.setContentType(of == Channel.WECHATPAY ? "text/csv; charset=UTF-8" : "application/zip");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + d.billFileName() + "\"");
        try (InputStream in = bills.open(day, of, d.billRunNo())) {
            in.transferTo(response.getOutputStream());
        }
    }

    private DayView view(List<ReconciliationDay> channels, Channel only, String status, int limit) {
        LocalDate day = channels.get(0).billDate();
        Map<Channel, Map<String, Integer>> counts =
                repository.countsByChannel(List.of(day)).getOrDefault(day, Map.of());
        List<DiscrepancyView> list = repository.discrepancies(day, only, status, null, null, limit).stream()
                .map(ReconciliationViews::of)
                .toList();
        return ReconciliationViews.of(channels, counts, list, clock.instant());
    }

    /** The day's rows, one per channel reconciled. */
    private List<ReconciliationDay> find(LocalDate day) {
        List<ReconciliationDay> channels = repository.channels(day);
        if (channels.isEmpty()) {
            throw ApiException.notFound(
                    "reconciliation_not_found",
                    "The day " + day + " has not been reconciled; POST /api/v1/reconciliations/" + day + "/run");
        }
        return channels;
    }

    private static Channel parseChannel(String text) {
        Channel channel = Channel.fromWire(text);
        if (channel == null) {
            throw invalid("channel", "alipay or wechatpay, got '" + text + "'");
        }
        return channel;
    }

    /** Alipay's day, yyyy-MM-dd, from 2016-01-01 (Alipay's earliest bill) up to today in GMT+8. */
    private LocalDate parseDate(String text) {
        LocalDate day;
        try {
            if (text == null || !text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw new DateTimeParseException("format", String.valueOf(text), 0);
            }
            day = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("date", "a day as yyyy-MM-dd (Alipay's day, GMT+8), got '" + text + "'");
        }
        if (day.isBefore(EARLIEST)) {
            throw invalid("date", "Alipay keeps bills from 2016-01-01");
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), AlipayTimes.ZONE);
        if (day.isAfter(today)) {
            throw invalid("date", day + " is in the future (today is " + today + " in GMT+8)");
        }
        return day;
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", field + ": " + message)
                .with("errors", List.of(new FieldErrors.FieldError(field, message)));
    }
}
