package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.trade.Order;
import dev.zhifu.alipay.trade.PrecreateRequest;
import dev.zhifu.alipay.trade.RefundRequest;
import dev.zhifu.alipay.trade.TradeRef;
import dev.zhifu.payments.admin.AdminPassword;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.reconciliation.ReconciliationJob;
import dev.zhifu.payments.reconciliation.Reconciliations;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.BillFixtures;
import dev.zhifu.payments.testing.PageClient;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.payments.testing.WechatBillFixtures;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Reconciliation against the in-process sandbox's bills, Alipay's and WeChat Pay's. The sandbox runs on the
 * service's clock, so each test travels to a day of its own (weeks ahead) and is alone in that day's bills;
 * injected discrepancies are edits of our database or sandbox faults (a dropped notification).
 */
public abstract class ReconciliationSuite extends ServiceSuite {

    /** Each test gets a day nobody else uses, in every context (one per database). */
    private static final AtomicInteger NEXT_DAY = new AtomicInteger(40);

    @Autowired
    AlipayGateway gateway;

    @Autowired
    dev.zhifu.payments.wechatpay.WechatPayGateway wechatGateway;

    @Autowired
    Reconciliations reconciliations;

    @Autowired
    ReconciliationJob job;

    @Autowired
    PaymentsProperties settings;

    @AfterEach
    void backToToday() {
        clock.reset();
        sandbox.clearFaults();
    }

    /** A fresh Alipay day; the clock (ours and the sandbox's) is put at {@code time} GMT+8 of it. */
    private LocalDate travelToFreshDay(LocalTime time) {
        LocalDate day = LocalDate.now(AlipayTimes.ZONE).plusDays(NEXT_DAY.getAndAdd(3));
        travelTo(day, time);
        return day;
    }

    private void travelTo(LocalDate day, LocalTime time) {
        Instant target = day.atTime(time).atZone(AlipayTimes.ZONE).toInstant();
        clock.reset();
        clock.advance(Duration.between(Instant.now(), target));
    }

    private JsonNode run(LocalDate day) {
        Api.Response r = api.post("/api/v1/reconciliations/" + day + "/run", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<JsonNode> discrepancies(JsonNode day) {
        List<JsonNode> list = new ArrayList<>();
        day.get("discrepancies").forEach(list::add);
        return list;
    }

    private static JsonNode only(JsonNode day, String kind) {
        List<JsonNode> of = discrepancies(day).stream()
                .filter(d -> d.get("kind").asString().equals(kind))
                .toList();
        assertThat(of).as(day.toString()).hasSize(1);
        return of.get(0);
    }

    /** Our DB time column value for an Alipay wall-clock time of the day. */
    private static Object dbTime(LocalDate day, LocalTime time) {
        return LocalDateTime.ofInstant(day.atTime(time).atZone(AlipayTimes.ZONE).toInstant(), ZoneOffset.UTC);
    }

    /** A payment the sandbox's buyer paid while its notification was lost: still PENDING here. */
    private String paidAtAlipayWithNotificationDropped(String no, String amount) {
        String id = createQr(no, amount).get("id").asString();
        withNotificationsLost(no, 1, () -> sandbox.pay(no));
        assertThat(payment(id).get("status").asString()).isEqualTo("PENDING");
        return id;
    }

    @Test
    void aCleanDayReconcilesToZeroDiscrepanciesAndKeepsTheBill() {
        LocalDate day = travelToFreshDay(LocalTime.NOON);
        String a = paidQr(uniqueOrderNo(), "12.30");
        paidQr(uniqueOrderNo(), "4.50");
        api.post("/api/v1/payments/" + a + "/refunds", "{\"amount\":\"2.30\"}");
        awaitRefunded(a, "2.30");
        createQr(uniqueOrderNo(), "9.99"); // never paid: in no bill, and nothing to flag

        JsonNode result = run(day);

        assertThat(result.get("status").asString()).isEqualTo("RECONCILED");
        assertThat(discrepancies(result)).isEmpty();
        JsonNode totals = result.get("totals");
        assertThat(totals.get("line_count").asInt()).isEqualTo(3);
        assertThat(totals.get("payment_line_count").asInt()).isEqualTo(2);
        assertThat(totals.get("refund_line_count").asInt()).isEqualTo(1);
        assertThat(totals.get("matched_count").asInt()).isEqualTo(3);
        assertThat(totals.get("payment_total").asString()).isEqualTo("16.80");
        assertThat(totals.get("refund_total").asString()).isEqualTo("-2.30");
        assertThat(totals.get("footer_payment_total").asString()).isEqualTo("16.80");
        assertThat(result.get("discrepancy_counts").get("total").asInt()).isZero();
        assertThat(result.get("bill").get("file_name").asString())
                .endsWith(day.toString().replace("-", "") + ".csv.zip");
        assertThat(result.get("bill").get("sha256").asString()).hasSize(64);

        Api.Response bill = api.get("/api/v1/reconciliations/" + day + "/bill");
        assertThat(bill.status()).isEqualTo(200);
        assertThat(bill.contentType()).startsWith("application/zip");
        JsonNode listed = api.get("/api/v1/reconciliations").json().get("data");
        assertThat(listed.toString()).contains("\"date\":\"" + day + "\"");
    }

    private void awaitRefunded(String paymentId, String amount) {
        await(
                () -> amount.equals(payment(paymentId).get("refunded_amount").asString()),
                Duration.ofSeconds(30),
                () -> "refund of " + paymentId + " never succeeded");
    }

    @Test
    void aPaymentPaidAtAlipayWhoseNotificationWasLostIsConfirmedAndMarkedPaid() {
        LocalDate day = travelToFreshDay(LocalTime.of(10, 0));
        String no = uniqueOrderNo();
        String id = paidAtAlipayWithNotificationDropped(no, "8.80");

        JsonNode result = run(day);

        JsonNode d = only(result, "PAID_AT_ALIPAY_NOT_HERE");
        assertThat(d.get("status").asString()).isEqualTo("REPAIRED");
        assertThat(d.get("out_trade_no").asString()).isEqualTo(no);
        assertThat(d.get("alipay").get("amount").asString()).isEqualTo("8.80");
        assertThat(d.get("alipay").get("status").asString()).isEqualTo("TRADE_SUCCESS");
        assertThat(d.get("local").get("status").asString()).isEqualTo("PENDING");
        assertThat(d.get("repair").asString()).contains("alipay.trade.query");
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
        assertThat(payment(id).get("trade_no").asString())
                .isEqualTo(sandbox.trade(no).get("trade_no").asText());
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);
        assertThat(result.get("discrepancy_counts").get("repaired").asInt()).isEqualTo(1);

        JsonNode again = run(day);
        assertThat(discrepancies(again)).hasSize(1);
        assertThat(only(again, "PAID_AT_ALIPAY_NOT_HERE").get("id").asString())
                .isEqualTo(d.get("id").asString());
        assertThat(only(again, "PAID_AT_ALIPAY_NOT_HERE").get("status").asString())
                .isEqualTo("REPAIRED");
        assertThat(eventCount(id, "payment.succeeded")).isEqualTo(1);
    }

    @Test
    void aRefundMadeAtAlipayThatWeMissedIsRecorded() {
        LocalDate day = travelToFreshDay(LocalTime.of(11, 0));
        String no = uniqueOrderNo();
        String id = paidQr(no, "20.00");
        // a refund made elsewhere (the merchant console), whose notification is lost
        withNotificationsLost(
                no,
                1,
                () -> gateway.client()
                        .execute(RefundRequest.of(new TradeRef(no, null), new BigDecimal("7.50"), "console-" + no)));
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("0.00");

        JsonNode result = run(day);

        JsonNode d = only(result, "REFUNDED_AT_ALIPAY_NOT_HERE");
        assertThat(d.get("status").asString()).as(d.toString()).isEqualTo("REPAIRED");
        assertThat(d.get("out_request_no").asString()).isEqualTo("console-" + no);
        assertThat(d.get("alipay").get("amount").asString()).isEqualTo("7.50");
        assertThat(d.get("local").get("amount").isNull()).isTrue();
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("7.50");
        JsonNode refunds = api.get("/api/v1/payments/" + id + "/refunds").json().get("data");
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0).get("out_request_no").asString()).isEqualTo("console-" + no);
        assertThat(refunds.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(eventCount(id, "refund.succeeded")).isEqualTo(1);

        JsonNode again = run(day);
        assertThat(discrepancies(again)).hasSize(1);
        assertThat(api.get("/api/v1/payments/" + id + "/refunds").json().get("data"))
                .hasSize(1);
    }

    @Test
    void aWechatRefundMadeInTheMerchantPlatformThatWeMissedIsRecorded() {
        LocalDate day = travelToFreshDay(LocalTime.of(11, 30));
        String no = uniqueOrderNo();
        String id = paidWechat(no, "20.00");
        // made in WeChat Pay's merchant platform, its notification lost
        withNotificationsLost(
                no,
                1,
                () -> wechatGateway.execute(c -> c.refund(dev.zhifu.wechatpay.payments.RefundRequest.ofOutTradeNo(
                        "mp-" + no, no, new BigDecimal("7.50"), new BigDecimal("20.00")))));
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("0.00");

        JsonNode result = run(day);

        JsonNode d = only(result, "REFUNDED_AT_ALIPAY_NOT_HERE");
        assertThat(d.get("channel").asString()).isEqualTo("wechatpay");
        assertThat(d.get("status").asString()).as(d.toString()).isEqualTo("REPAIRED");
        assertThat(d.get("out_request_no").asString()).isEqualTo("mp-" + no);
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("7.50");
        JsonNode refunds = api.get("/api/v1/payments/" + id + "/refunds").json().get("data");
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(eventCount(id, "refund.succeeded")).isEqualTo(1);
        assertThat(discrepancies(run(day))).hasSize(1); // the next run repairs nothing twice
        assertThat(api.get("/api/v1/payments/" + id + "/refunds").json().get("data"))
                .hasSize(1);
    }

    @Test
    void aTradeWeDoNotKnowIsMissingLocally() {
        LocalDate day = travelToFreshDay(LocalTime.of(9, 15));
        String stranger = "x-" + Ids.random(12);
        // made at Alipay without this service (another system, a test in the console): no notify_url
        gateway.client().execute(new PrecreateRequest(Order.of(stranger, new BigDecimal("3.21"), "Elsewhere"), null));
        sandbox.pay(stranger);

        JsonNode d = only(run(day), "MISSING_LOCALLY");

        assertThat(d.get("status").asString()).isEqualTo("OPEN");
        assertThat(d.get("out_trade_no").asString()).isEqualTo(stranger);
        assertThat(d.get("trade_no").asString())
                .isEqualTo(sandbox.trade(stranger).get("trade_no").asText());
        assertThat(d.get("alipay").get("amount").asString()).isEqualTo("3.21");
        assertThat(d.get("local").get("amount").isNull()).isTrue();
        assertThat(d.get("payment_id").isNull()).isTrue();
    }

    @Test
    void aPaymentPaidHereButNotAtAlipayIsMissingAtAlipayAndNotRepaired() {
        LocalDate day = travelToFreshDay(LocalTime.of(13, 0));
        JsonNode p = createQr(uniqueOrderNo(), "6.60");
        String id = p.get("id").asString();
        jdbc.sql("UPDATE payments SET status = 'PAID', paid_at = ?, trade_no = 'T-NOT-AT-ALIPAY' WHERE id = ?")
                .params(dbTime(day, LocalTime.of(12, 0)), id)
                .update();

        JsonNode d = only(run(day), "MISSING_AT_ALIPAY");

        assertThat(d.get("status").asString()).isEqualTo("OPEN");
        assertThat(d.get("payment_id").asString()).isEqualTo(id);
        assertThat(d.get("local").get("amount").asString()).isEqualTo("6.60");
        assertThat(d.get("local").get("status").asString()).isEqualTo("PAID");
        assertThat(d.get("alipay").get("amount").isNull()).isTrue();
        assertThat(eventCount(id, "payment.succeeded")).isZero();
    }

    @Test
    void anAmountThatDiffersIsReportedWithBothValues() {
        LocalDate day = travelToFreshDay(LocalTime.of(14, 0));
        String no = uniqueOrderNo();
        String id = paidQr(no, "5.00");
        jdbc.sql("UPDATE payments SET amount = 5.50 WHERE id = ?").param(id).update();

        JsonNode d = only(run(day), "AMOUNT_MISMATCH");

        assertThat(d.get("out_trade_no").asString()).isEqualTo(no);
        assertThat(d.get("alipay").get("amount").asString()).isEqualTo("5.00");
        assertThat(d.get("local").get("amount").asString()).isEqualTo("5.50");
        assertThat(d.get("status").asString()).isEqualTo("OPEN");
    }

    @Test
    void aPaymentPaidAtAlipayButClosedHereIsLeftForAPerson() {
        LocalDate day = travelToFreshDay(LocalTime.of(15, 0));
        String no = uniqueOrderNo();
        String id = paidAtAlipayWithNotificationDropped(no, "2.20");
        jdbc.sql("UPDATE payments SET status = 'CLOSED', closed_at = paid_at WHERE id = ?")
                .param(id)
                .update();

        JsonNode d = only(run(day), "PAID_AT_ALIPAY_NOT_HERE");

        assertThat(d.get("status").asString()).isEqualTo("OPEN");
        assertThat(d.get("local").get("status").asString()).isEqualTo("CLOSED");
        assertThat(d.get("alipay").get("amount").asString()).isEqualTo("2.20");
        assertThat(d.get("repair").asString()).startsWith("not repaired");
        assertThat(payment(id).get("status").asString()).isEqualTo("CLOSED");
        assertThat(eventCount(id, "payment.succeeded")).isZero();
    }

    @Test
    void aRefundSucceededHereButNotAtAlipayIsReported() {
        LocalDate day = travelToFreshDay(LocalTime.of(16, 0));
        String id = paidQr(uniqueOrderNo(), "10.00");
        jdbc.sql(
                        "INSERT INTO refunds (id, payment_id, seq, out_request_no, amount, status, origin, created_at, updated_at, "
                                + "succeeded_at) VALUES (?, ?, 1, ?, 1.00, 'SUCCEEDED', 'api', ?, ?, ?)")
                .params(
                        "re_ghost" + Ids.random(8),
                        id,
                        id + "-r1",
                        dbTime(day, LocalTime.of(16, 0)),
                        dbTime(day, LocalTime.of(16, 0)),
                        dbTime(day, LocalTime.of(16, 0)))
                .update();

        JsonNode d = only(run(day), "REFUNDED_HERE_NOT_AT_ALIPAY");

        assertThat(d.get("out_request_no").asString()).isEqualTo(id + "-r1");
        assertThat(d.get("local").get("amount").asString()).isEqualTo("1.00");
        assertThat(d.get("local").get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(d.get("alipay").get("amount").isNull()).isTrue();
    }

    @Test
    void paymentsAcrossMidnightAreNotFlaggedOnEitherDay() {
        LocalDate day = travelToFreshDay(LocalTime.of(23, 59, 57));
        // Alipay books it at 23:59:57, we at 00:00:01 the next day
        String early = paidQr(uniqueOrderNo(), "1.10");
        jdbc.sql("UPDATE payments SET paid_at = ? WHERE id = ?")
                .params(dbTime(day.plusDays(1), LocalTime.of(0, 0, 1)), early)
                .update();
        travelTo(day.plusDays(1), LocalTime.of(0, 0, 3));
        // Alipay books it at 00:00:03 the next day, we at 23:59:59
        String late = paidQr(uniqueOrderNo(), "2.20");
        jdbc.sql("UPDATE payments SET paid_at = ? WHERE id = ?")
                .params(dbTime(day, LocalTime.of(23, 59, 59)), late)
                .update();
        travelTo(day.plusDays(1), LocalTime.of(12, 0));

        JsonNode first = run(day);
        JsonNode second = run(day.plusDays(1));

        assertThat(discrepancies(first)).as(first.toString()).isEmpty();
        assertThat(discrepancies(second)).as(second.toString()).isEmpty();
        assertThat(first.get("totals").get("line_count").asInt()).isEqualTo(1);
        assertThat(second.get("totals").get("line_count").asInt()).isEqualTo(1);
    }

    @Test
    void reRunningADayGivesTheSameResultWithoutDuplicates() {
        LocalDate day = travelToFreshDay(LocalTime.of(12, 30));
        paidQr(uniqueOrderNo(), "3.00");
        String id = createQr(uniqueOrderNo(), "4.00").get("id").asString();
        jdbc.sql("UPDATE payments SET status = 'PAID', paid_at = ? WHERE id = ?")
                .params(dbTime(day, LocalTime.of(12, 0)), id)
                .update();

        JsonNode first = run(day);
        JsonNode second = run(day);

        assertThat(second.get("run_no").asInt()).isEqualTo(first.get("run_no").asInt() + 1);
        assertThat(discrepancies(second)).hasSize(1);
        assertThat(discrepancies(second).get(0).get("id").asString())
                .isEqualTo(discrepancies(first).get(0).get("id").asString());
        assertThat(second.get("totals").toString())
                .isEqualTo(first.get("totals").toString());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM reconciliation_discrepancies WHERE bill_date = ?")
                        .param(day)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM reconciliation_bill_lines WHERE bill_date = ?")
                        .param(day)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT run_no) FROM reconciliation_bill_chunks WHERE bill_date = ?")
                        .param(day)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aDiscrepancyIsResolvedWithANoteAndExportedAsCsv() throws Exception {
        LocalDate day = travelToFreshDay(LocalTime.of(17, 0));
        String id = createQr(uniqueOrderNo(), "7.70").get("id").asString();
        jdbc.sql("UPDATE payments SET status = 'PAID', paid_at = ? WHERE id = ?")
                .params(dbTime(day, LocalTime.of(16, 0)), id)
                .update();
        String dsc = only(run(day), "MISSING_AT_ALIPAY").get("id").asString();
        String path = "/api/v1/reconciliations/" + day + "/discrepancies/" + dsc + "/resolve";

        Api.Response resolved = api.post(path, "{\"note\":\"Test order marked paid by hand; reverted in the shop\"}");

        assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
        assertThat(resolved.json().get("status").asString()).isEqualTo("RESOLVED");
        assertThat(resolved.json().get("resolution_note").asString()).startsWith("Test order");
        Api.Response twice = api.post(path, "{\"note\":\"again\"}");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().get("code").asString()).isEqualTo("discrepancy_not_open");
        assertThat(only(run(day), "MISSING_AT_ALIPAY").get("status").asString()).isEqualTo("RESOLVED");

        Api.Response csv = api.get("/api/v1/reconciliations/" + day + "/discrepancies.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<CSVRecord> rows = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(csv.body()))
                .getRecords();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("id")).isEqualTo(dsc);
        assertThat(rows.get(0).get("kind")).isEqualTo("MISSING_AT_ALIPAY");
        assertThat(rows.get(0).get("local_amount")).isEqualTo("7.70");
        assertThat(rows.get(0).get("resolution_note")).startsWith("Test order");
    }

    @Test
    void aBillNotPublishedYetIsWaitedForNotAnError() {
        LocalDate tomorrow = reconciliations.today().plusDays(1);
        // the job may try a day whose bill Alipay has not published (the sandbox: any future day)
        var day = reconciliations.run(tomorrow);

        assertThat(day.status()).isEqualTo("WAITING_FOR_BILL");
        assertThat(day.nextAttemptAt()).isAfter(clock.instant());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM reconciliation_discrepancies WHERE bill_date = ?")
                        .param(tomorrow)
                        .query(Integer.class)
                        .single())
                .isZero();
        jdbc.sql("DELETE FROM reconciliation_days WHERE bill_date = ?")
                .param(tomorrow)
                .update();
    }

    @Test
    void footerTotalsThatDisagreeWithTheLinesAreReported(@TempDir Path dir) throws Exception {
        LocalDate day = LocalDate.of(2021, 3, 4).plusDays(NEXT_DAY.getAndIncrement());
        String no = "f-" + Ids.random(12);
        Path zip = BillFixtures.write(
                dir,
                day,
                List.of(new BillFixtures.Row(
                                "2021" + Ids.random(8), no, null, new BigDecimal("9.00"), day.atTime(10, 0)))
                        .iterator(),
                new BigDecimal("1.00"));

        try (InputStream in = Files.newInputStream(zip)) {
            reconciliations.runWithBill(day, in);
        }
        JsonNode result = api.get("/api/v1/reconciliations/" + day).json();

        JsonNode totals = only(result, "TOTALS_MISMATCH");
        assertThat(totals.get("alipay").get("amount").asString()).isEqualTo("10.00");
        assertThat(totals.get("local").get("amount").asString()).isEqualTo("9.00");
        assertThat(only(result, "MISSING_LOCALLY").get("out_trade_no").asString())
                .isEqualTo(no);
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        int days = jdbc.sql("SELECT COUNT(*) FROM reconciliation_days")
                .query(Integer.class)
                .single();
        LocalDate tomorrow = reconciliations.today().plusDays(1);
        for (String bad : List.of("2024-13-01", "yesterday", "2024-1-5", "2015-12-31", tomorrow.toString())) {
            Api.Response r = api.post("/api/v1/reconciliations/" + bad + "/run", null);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("code").asString()).isEqualTo("validation_failed");
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("date");
        }
        Api.Response unknownDay = api.get("/api/v1/reconciliations/2016-02-03");
        assertThat(unknownDay.status()).isEqualTo(404);
        assertThat(unknownDay.json().get("code").asString()).isEqualTo("reconciliation_not_found");
        Api.Response unknown =
                api.post("/api/v1/reconciliations/2016-02-03/discrepancies/dsc_nope/resolve", "{\"note\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asString()).isEqualTo("discrepancy_not_found");
        Api.Response noNote = api.post("/api/v1/reconciliations/2016-02-03/discrepancies/dsc_nope/resolve", "{}");
        assertThat(noNote.status()).isEqualTo(400);
        assertThat(noNote.json().get("errors").get(0).get("field").asString()).isEqualTo("note");
        assertThat(api.get("/api/v1/reconciliations/2016-02-03/discrepancies.csv")
                        .status())
                .isEqualTo(404);
        assertThat(api.anonymous("GET", "/api/v1/reconciliations", null, null).status())
                .isEqualTo(401);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM reconciliation_days")
                        .query(Integer.class)
                        .single())
                .isEqualTo(days);
    }

    @Test
    void openApiDescribesTheReconciliationApi() {
        JsonNode docs = api.anonymous("GET", "/v3/api-docs", null, null).json();
        for (String path : List.of(
                "/api/v1/reconciliations",
                "/api/v1/reconciliations/{date}",
                "/api/v1/reconciliations/{date}/run",
                "/api/v1/reconciliations/{date}/discrepancies/{id}/resolve",
                "/api/v1/reconciliations/{date}/discrepancies.csv",
                "/api/v1/reconciliations/{date}/bill")) {
            assertThat(docs.get("paths").has(path)).as(path).isTrue();
        }
        JsonNode discrepancy = docs.get("components")
                .get("schemas")
                .get("ReconciliationDiscrepancy")
                .get("properties");
        assertThat(discrepancy.has("out_trade_no")).isTrue();
        assertThat(discrepancy.has("resolution_note")).isTrue();
        assertThat(docs.get("paths")
                        .get("/api/v1/reconciliations/{date}/discrepancies.csv")
                        .get("get")
                        .get("responses")
                        .get("200")
                        .get("content")
                        .has("text/csv"))
                .isTrue();
    }

    @Test
    void aDayHeldByAnotherInstanceIsNotRunTwice() {
        LocalDate day = travelToFreshDay(LocalTime.of(8, 0));
        paidQr(uniqueOrderNo(), "1.00");
        reconciliations.run(day);
        jdbc.sql("UPDATE reconciliation_days SET lease_owner = 'recon-other', lease_until = ? WHERE bill_date = ?")
                .params(LocalDateTime.ofInstant(clock.instant().plus(Duration.ofMinutes(5)), ZoneOffset.UTC), day)
                .update();

        Api.Response r = api.post("/api/v1/reconciliations/" + day + "/run", null);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asString()).isEqualTo("reconciliation_in_progress");
        JsonNode state = api.get("/api/v1/reconciliations/" + day).json();
        assertThat(state.get("run_no").asInt()).isEqualTo(1);
        assertThat(state.get("running").asBoolean()).isTrue();
        jdbc.sql("UPDATE reconciliation_days SET lease_owner = NULL, lease_until = NULL WHERE bill_date = ?")
                .param(day)
                .update();
    }

    @Test
    void theJobReconcilesThePreviousDays() {
        LocalDate day = travelToFreshDay(LocalTime.of(10, 0));
        paidQr(uniqueOrderNo(), "2.00");
        travelTo(day.plusDays(1), LocalTime.of(9, 30));

        assertThat(job.enqueue()).contains(day);
        job.runDue(); // the scheduled poll may be the one that takes it

        await(
                () -> "RECONCILED"
                        .equals(api.get("/api/v1/reconciliations/" + day)
                                .json()
                                .path("status")
                                .asString()),
                Duration.ofSeconds(30),
                () -> "the job never reconciled " + day);
        JsonNode state = api.get("/api/v1/reconciliations/" + day).json();
        assertThat(state.get("totals").get("matched_count").asInt()).isEqualTo(1);
        assertThat(job.enqueue()).doesNotContain(day);
        job.runDue();
        assertThat(api.get("/api/v1/reconciliations/" + day)
                        .json()
                        .get("run_no")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void aDayReconciledBeforeItWasOverIsReconciledAgainByTheJob() {
        LocalDate day = travelToFreshDay(LocalTime.of(10, 0));
        paidQr(uniqueOrderNo(), "1.00");
        assertThat(run(day).get("totals").get("line_count").asInt()).isEqualTo(1); // today's bill so far
        travelTo(day, LocalTime.of(15, 0));
        paidQr(uniqueOrderNo(), "2.00");
        travelTo(day.plusDays(1), LocalTime.of(9, 30));

        assertThat(job.enqueue()).contains(day);
        job.runDue();

        await(
                () -> {
                    JsonNode d = api.get("/api/v1/reconciliations/" + day).json();
                    return d.get("run_no").asInt() == 2 && !d.get("running").asBoolean();
                },
                Duration.ofSeconds(30),
                () -> "the job never reconciled " + day + " again");
        JsonNode state = api.get("/api/v1/reconciliations/" + day).json();
        assertThat(state.get("totals").get("line_count").asInt()).isEqualTo(2);
        assertThat(discrepancies(state)).isEmpty();
    }

    // ---- WeChat Pay: its payments against its own bill ----

    private JsonNode createWechat(String outTradeNo, String amount) {
        return create("{\"out_trade_no\":\"" + outTradeNo + "\",\"amount\":\"" + amount
                + "\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}");
    }

    /**
     * A WeChat Pay native payment the sandbox's buyer paid, applied here by a sync (whether or not a WeChat Pay
     * notification reaches this service).
     */
    private String paidWechat(String outTradeNo, String amount) {
        String id = createWechat(outTradeNo, amount).get("id").asString();
        sandbox.pay(outTradeNo);
        Api.Response synced = api.post("/api/v1/payments/" + id + "/sync", null);
        assertThat(synced.status()).as(synced.body()).isEqualTo(200);
        awaitStatus(id, "PAID");
        assertThat(payment(id).get("channel").asString()).isEqualTo("wechatpay");
        return id;
    }

    private static List<JsonNode> ofChannel(JsonNode day, String channel) {
        return discrepancies(day).stream()
                .filter(d -> d.get("channel").asString().equals(channel))
                .toList();
    }

    @Test
    void wechatPayPaymentsAreReconciledAgainstWechatPaysOwnBill() {
        LocalDate day = travelToFreshDay(LocalTime.of(11, 30));
        paidQr(uniqueOrderNo(), "3.00");
        paidWechat(uniqueOrderNo(), "5.00");
        String differs = paidWechat(uniqueOrderNo(), "6.60");
        jdbc.sql("UPDATE payments SET amount = 6.70 WHERE id = ?")
                .param(differs)
                .update();
        String notAtWechat = createWechat(uniqueOrderNo(), "7.70").get("id").asString();
        jdbc.sql("UPDATE payments SET status = 'PAID', paid_at = ?, trade_no = '4200NOTATWECHAT' WHERE id = ?")
                .params(dbTime(day, LocalTime.of(11, 0)), notAtWechat)
                .update();
        // made and paid at WeChat Pay without this service (another system): its notifications go nowhere, so
        // nothing here can learn of it before the bill does
        String strangerNo = uniqueOrderNo();
        wechatGateway.execute(c -> c.nativePrepay(new dev.zhifu.wechatpay.payments.Order(
                strangerNo, "Elsewhere", new BigDecimal("2.50"), "http://127.0.0.1:9/notify")));
        sandbox.pay(strangerNo);

        JsonNode result = run(day);

        assertThat(result.get("status").asString()).isEqualTo("RECONCILED");
        JsonNode alipay = result.get("channels").get("alipay");
        JsonNode wechat = result.get("channels").get("wechatpay");
        assertThat(alipay.get("status").asString()).isEqualTo("RECONCILED");
        assertThat(alipay.get("totals").get("line_count").asInt()).isEqualTo(1);
        assertThat(alipay.get("totals").get("matched_count").asInt()).isEqualTo(1);
        assertThat(alipay.get("discrepancy_counts").get("total").asInt()).isZero();
        assertThat(wechat.get("status").asString()).isEqualTo("RECONCILED");
        assertThat(wechat.get("totals").get("line_count").asInt()).isEqualTo(3);
        assertThat(wechat.get("totals").get("payment_line_count").asInt()).isEqualTo(3);
        assertThat(wechat.get("totals").get("payment_total").asString()).isEqualTo("14.10");
        assertThat(wechat.get("totals").get("footer_payment_total").asString()).isEqualTo("14.10");
        assertThat(wechat.get("totals").get("matched_count").asInt()).isEqualTo(1);
        assertThat(wechat.get("totals").get("service_fee_total").asString()).isEqualTo("0.00");
        assertThat(wechat.get("discrepancy_counts").get("open").asInt()).isEqualTo(3);
        assertThat(wechat.get("bill").get("file_name").asString())
                .isEqualTo("wechatpay_tradebill_" + day.toString().replace("-", "") + "_ALL.csv");
        // the day's fields are every channel's together; Alipay's file stays the day's bill
        assertThat(result.get("totals").get("line_count").asInt()).isEqualTo(4);
        assertThat(result.get("totals").get("matched_count").asInt()).isEqualTo(2);
        assertThat(result.get("totals").get("payment_total").asString()).isEqualTo("17.10");
        assertThat(result.get("discrepancy_counts").get("total").asInt()).isEqualTo(3);
        assertThat(result.get("bill").get("file_name").asString()).endsWith(".csv.zip");

        assertThat(ofChannel(result, "alipay")).isEmpty();
        assertThat(ofChannel(result, "wechatpay")).hasSize(3);
        JsonNode unknown = only(result, "MISSING_LOCALLY");
        assertThat(unknown.get("out_trade_no").asString()).isEqualTo(strangerNo);
        assertThat(unknown.get("alipay").get("amount").asString()).isEqualTo("2.50");
        assertThat(unknown.get("trade_no").asString()).isNotBlank();
        JsonNode amount = only(result, "AMOUNT_MISMATCH");
        assertThat(amount.get("channel").asString()).isEqualTo("wechatpay");
        assertThat(amount.get("payment_id").asString()).isEqualTo(differs);
        assertThat(amount.get("alipay").get("amount").asString()).isEqualTo("6.60");
        assertThat(amount.get("local").get("amount").asString()).isEqualTo("6.70");
        JsonNode missing = only(result, "MISSING_AT_ALIPAY");
        assertThat(missing.get("channel").asString()).isEqualTo("wechatpay");
        assertThat(missing.get("payment_id").asString()).isEqualTo(notAtWechat);
        assertThat(missing.get("local").get("amount").asString()).isEqualTo("7.70");
        assertThat(missing.get("detail").asString()).contains("WeChat Pay's bill");

        Api.Response bill = api.get("/api/v1/reconciliations/" + day + "/bill?channel=wechatpay");
        assertThat(bill.status()).isEqualTo(200);
        assertThat(bill.contentType()).startsWith("text/csv");
        assertThat(bill.body()).contains(strangerNo, "应结订单金额");
        JsonNode onlyWechat =
                api.get("/api/v1/reconciliations/" + day + "?channel=wechatpay").json();
        assertThat(discrepancies(onlyWechat)).hasSize(3);
        assertThat(discrepancies(api.get("/api/v1/reconciliations/" + day + "?channel=alipay")
                        .json()))
                .isEmpty();
        JsonNode listed = api.get("/api/v1/reconciliations").json().get("data");
        assertThat(listed.toString()).contains("\"date\":\"" + day + "\"", "\"wechatpay\"");

        JsonNode again = run(day);
        assertThat(discrepancies(again)).hasSize(3);
        assertThat(only(again, "AMOUNT_MISMATCH").get("id").asString())
                .isEqualTo(amount.get("id").asString());

        // the console: each channel's totals, and the channel of each discrepancy, in English and Chinese
        PageClient admin = new PageClient(api.base());
        assertThat(admin.logIn(AdminPassword.demoPassword(settings.dataDir())).statusCode())
                .isEqualTo(302);
        String page = admin.get("/admin/reconciliations/" + day).body();
        assertThat(page)
                .contains("<table id=\"channels\">", "data-channel=\"alipay\"", "data-channel=\"wechatpay\"")
                .contains(">WeChat Pay<", "14.10", "Not in WeChat Pay&#39;s bill");
        assertThat(admin.get("/admin/reconciliations").body()).contains("data-channel=\"wechatpay\"");
        PageClient zh = new PageClient(api.base()).language("zh-CN,zh;q=0.9");
        assertThat(zh.logIn(AdminPassword.demoPassword(settings.dataDir())).statusCode())
                .isEqualTo(302);
        assertThat(zh.get("/admin/reconciliations/" + day).body()).contains(">微信支付<", "微信支付账单中没有");
    }

    @Test
    void aWechatPaymentPaidAtWechatPayButPendingHereIsConfirmedAndMarkedPaid() {
        LocalDate day = travelToFreshDay(LocalTime.of(10, 15));
        String no = uniqueOrderNo();
        String id = createWechat(no, "8.80").get("id").asString();
        sandbox.pay(no);
        awaitStatus(id, "PAID"); // WeChat Pay's notification is applied first, then undone below
        // as a lost notification leaves it, should one have arrived
        jdbc.sql("UPDATE payments SET status = 'PENDING', paid_at = NULL WHERE id = ? AND status = 'PAID'")
                .param(id)
                .update();
        assertThat(payment(id).get("status").asString()).isEqualTo("PENDING");

        JsonNode result = run(day);

        JsonNode d = only(result, "PAID_AT_ALIPAY_NOT_HERE");
        assertThat(d.get("channel").asString()).isEqualTo("wechatpay");
        assertThat(d.get("status").asString()).as(d.toString()).isEqualTo("REPAIRED");
        assertThat(d.get("alipay").get("amount").asString()).isEqualTo("8.80");
        assertThat(d.get("local").get("status").asString()).isEqualTo("PENDING");
        assertThat(d.get("repair").asString()).contains("WeChat Pay's order query");
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
        assertThat(payment(id).get("channel").asString()).isEqualTo("wechatpay");
        assertThat(eventCount(id, "payment.succeeded")).isPositive();
        assertThat(result.get("channels")
                        .get("wechatpay")
                        .get("discrepancy_counts")
                        .get("repaired")
                        .asInt())
                .isEqualTo(1);

        JsonNode again = run(day);
        assertThat(discrepancies(again)).hasSize(1);
        assertThat(only(again, "PAID_AT_ALIPAY_NOT_HERE").get("status").asString())
                .isEqualTo("REPAIRED");
    }

    @Test
    void aWechatBillAtHandIsCheckedLineByLineAndAgainstItsSummary() {
        LocalDate day = LocalDate.of(2022, 5, 6).plusDays(NEXT_DAY.getAndIncrement());
        String paidNo = "wx-" + Ids.random(12);
        String refundNo = "wr-" + Ids.random(12);
        String text = WechatBillFixtures.text(
                List.of(
                        new WechatBillFixtures.Row(
                                "4200" + Ids.random(10),
                                paidNo,
                                null,
                                new BigDecimal("9.00"),
                                BigDecimal.ZERO,
                                day.atTime(10, 0)),
                        new WechatBillFixtures.Row(
                                "4200" + Ids.random(10),
                                paidNo,
                                refundNo,
                                new BigDecimal("1.00"),
                                BigDecimal.ZERO,
                                day.atTime(11, 0))),
                new BigDecimal("1.00"));

        var state = reconciliations.runWithWechatBill(day, text);
        JsonNode result = api.get("/api/v1/reconciliations/" + day).json();

        assertThat(state.status()).as(String.valueOf(state.lastError())).isEqualTo("RECONCILED");
        JsonNode wechat = result.get("channels").get("wechatpay");
        assertThat(wechat.get("totals").get("payment_total").asString()).isEqualTo("9.00");
        assertThat(wechat.get("totals").get("refund_total").asString()).isEqualTo("-1.00");
        assertThat(wechat.get("totals").get("footer_payment_total").asString()).isEqualTo("10.00");
        assertThat(result.get("channels").has("alipay")).isFalse();
        JsonNode totals = only(result, "TOTALS_MISMATCH");
        assertThat(totals.get("channel").asString()).isEqualTo("wechatpay");
        assertThat(totals.get("alipay").get("amount").asString()).isEqualTo("10.00");
        assertThat(totals.get("local").get("amount").asString()).isEqualTo("9.00");
        assertThat(discrepancies(result).stream()
                        .filter(d -> d.get("kind").asString().equals("MISSING_LOCALLY"))
                        .map(d -> d.get("out_request_no").isNull()
                                ? d.get("out_trade_no").asString()
                                : d.get("out_request_no").asString())
                        .toList())
                .containsExactlyInAnyOrder(paidNo, refundNo);
    }
}
