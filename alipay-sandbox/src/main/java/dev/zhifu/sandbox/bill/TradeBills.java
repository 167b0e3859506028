package dev.zhifu.sandbox.bill;

import dev.zhifu.sandbox.gateway.AlipayError;
import dev.zhifu.sandbox.gateway.ApiResult;
import dev.zhifu.sandbox.gateway.BizContent;
import dev.zhifu.sandbox.gateway.GatewayCall;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.time.AlipayTime;
import dev.zhifu.sandbox.trade.Money;
import dev.zhifu.sandbox.trade.TradeDesk;
import dev.zhifu.sandbox.trade.TradeDesk.BillEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Trade bills (docs/alipay-protocol.md#s11.12, #s12): {@code alipay.data.dataservice.bill.downloadurl.query} answers a URL on the
 * sandbox that serves, for 30 seconds, a zip of GBK CSV files (detail and summary) built from the sandbox's
 * own payments and refunds of that day (GMT+8) or month.
 */
public final class TradeBills {

    private static final Charset GBK = Charset.forName("GBK");
    private static final Duration URL_VALIDITY = Duration.ofSeconds(30);
    private static final LocalDate EARLIEST = LocalDate.of(2016, 1, 1);
    private static final DateTimeFormatter CN_TIME = DateTimeFormatter.ofPattern("yyyy年MM月dd日 HH:mm:ss");
    private static final String CRLF = "\r\n";
    private static final String DETAIL_HEADER = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,"
            + "操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,"
            + "券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";
    private static final String SUMMARY_HEADER =
            "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）," + "支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）";

    private record Download(String fileName, byte[] zip, Instant expires) {}

    private final TradeDesk desk;
    private final Clock clock;
    private final String account;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Download> downloads = new LinkedHashMap<>();

    public TradeBills(TradeDesk desk, Clock clock, String sellerId) {
        this.desk = desk;
        this.clock = clock;
        this.account = sellerId + "0156";
    }

    public ApiResult query(BizContent biz, GatewayCall call) {
        String billType = biz.text("bill_type");
        String billDate = biz.text("bill_date");
        if (billType == null || billDate == null) {
            throw AlipayError.of(
                    "40002", "isv.invalid-parameter", "缺少必选参数 " + (billType == null ? "bill_type" : "bill_date"));
        }
        if (!billType.equals("trade")) {
            throw AlipayError.business("isp.bill_type_not_support", "沙箱只提供 trade（业务明细）账单，不支持 bill_type=" + billType);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), AlipayTime.ZONE);
        LocalDate from;
        LocalDate to;
        String fileDate;
        try {
            if (billDate.length() == 10) {
                from = LocalDate.parse(billDate);
                to = from.plusDays(1);
                fileDate = from.format(DateTimeFormatter.BASIC_ISO_DATE);
            } else if (billDate.length() == 7) {
                YearMonth month = YearMonth.parse(billDate);
                from = month.atDay(1);
                to = month.plusMonths(1).atDay(1);
                fileDate = month.format(DateTimeFormatter.ofPattern("yyyyMM"));
            } else {
                throw new DateTimeParseException("length", billDate, 0);
            }
        } catch (DateTimeParseException e) {
            throw AlipayError.of("40002", "isv.invalid-parameter", "bill_date 格式应为 yyyy-MM-dd 或 yyyy-MM：" + billDate);
        }
        if (from.isAfter(today) || from.isBefore(EARLIEST)) {
            throw AlipayError.business("isp.bill_not_exist", "账单不存在：" + billDate + " 晚于今天或早于 2016-01");
        }
        Instant start = from.atStartOfDay().toInstant(AlipayTime.ZONE);
        Instant end = to.atStartOfDay().toInstant(AlipayTime.ZONE);
        List<BillEntry> entries = desk.billEntries(start, end);
        String fileName = account + "_" + fileDate + ".csv.zip";
        String fileId = HexFormat.of().formatHex(randomBytes());
        synchronized (downloads) {
            downloads.values().removeIf(d -> d.expires().isBefore(clock.instant()));
            downloads.put(
                    fileId,
                    new Download(
                            fileName,
                            zip(fileDate, start, end, entries),
                            clock.instant().plus(URL_VALIDITY)));
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("bizType", "trade");
        q.put("userId", account);
        q.put("fileType", "csv.zip");
        q.put("bizDates", fileDate);
        q.put("downloadFileName", fileName);
        q.put("fileId", fileId);
        String url =
                call.areaUrl("/bills/download") + "?" + FormCodec.encode(q, java.nio.charset.StandardCharsets.UTF_8);
        ApiResult result = ApiResult.success().with("bill_download_url", url);
        if (entries.isEmpty()) {
            result.with("bill_file_code", "EMPTY_DATA_WITH_BILL_FILE");
        }
        return result;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    /** {@code GET /sandbox/bills/download?fileId=…}: the zip, while the URL is valid. */
    public SandboxResponse download(String rawQuery) {
        String fileId = FormCodec.decode(rawQuery, java.nio.charset.StandardCharsets.UTF_8)
                .get("fileId");
        Download d;
        synchronized (downloads) {
            d = fileId == null ? null : downloads.get(fileId);
        }
        if (d == null || d.expires().isBefore(clock.instant())) {
            return SandboxResponse.text(404, "bill file not found or the download URL expired (valid 30 s)");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/zip");
        headers.put("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
        return new SandboxResponse(200, headers, d.zip());
    }

    private byte[] zip(String fileDate, Instant start, Instant end, List<BillEntry> entries) {
        String prefix = account + "_" + fileDate;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, GBK)) {
            zip.putNextEntry(new ZipEntry(prefix + "_业务明细.csv"));
            zip.write(detail(start, end, entries).getBytes(GBK));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(prefix + "_业务明细(汇总).csv"));
            zip.write(summary(start, end, entries).getBytes(GBK));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The {@code #} lines above a list and its opening marker (docs/alipay-protocol.md#s12). */
    private String preamble(String title, Instant start, Instant end, String list, String header) {
        return "#" + title + CRLF
                + "#账号：[" + account + "]" + CRLF
                + "#起始日期：[" + CN_TIME.format(start.atOffset(AlipayTime.ZONE)) + "]   终止日期：["
                + CN_TIME.format(end.atOffset(AlipayTime.ZONE)) + "]" + CRLF
                + "#-----------------------------------------" + list + "----------------------------------------"
                + CRLF
                + header + CRLF;
    }

    private String detail(Instant start, Instant end, List<BillEntry> entries) {
        StringBuilder csv = new StringBuilder(preamble("支付宝业务明细查询", start, end, "业务明细列表", DETAIL_HEADER));
        int payments = 0;
        int refunds = 0;
        BigDecimal paid = BigDecimal.ZERO.setScale(2);
        BigDecimal refunded = BigDecimal.ZERO.setScale(2);
        for (BillEntry e : entries) {
            String amount = Money.format(e.amount());
            // text-like cells end with a TAB so spreadsheets keep them as text (docs/alipay-protocol.md#s12)
            csv.append(e.tradeNo())
                    .append("\t,")
                    .append(e.outTradeNo())
                    .append("\t,")
                    .append(e.refund() ? "退款" : "交易")
                    .append("\t,")
                    .append(cell(e.subject()))
                    .append(',')
                    .append(AlipayTime.format(e.created()))
                    .append(',')
                    .append(AlipayTime.format(e.completed()))
                    .append(',')
                    .append(cell(e.storeId()))
                    .append("\t,")
                    .append(cell(e.storeId()))
                    .append("\t,")
                    .append(cell(e.operatorId()))
                    .append("\t,")
                    .append(cell(e.terminalId()))
                    .append("\t,")
                    .append(e.buyerLogonId())
                    .append("\t,")
                    .append(amount)
                    .append(',')
                    .append(amount)
                    .append(",0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,")
                    .append(e.refund() ? e.outRequestNo() : "")
                    .append("\t,0.00,0.00,")
                    .append(cell(e.body()))
                    .append(CRLF);
            if (e.refund()) {
                refunds++;
                refunded = refunded.add(e.amount());
            } else {
                payments++;
                paid = paid.add(e.amount());
            }
        }
        csv.append("#-----------------------------------------业务明细列表结束------------------------------------")
                .append(CRLF);
        csv.append("#交易合计：")
                .append(payments)
                .append("笔，商家实收共")
                .append(Money.format(paid))
                .append("元，商家优惠共0.00元")
                .append(CRLF);
        csv.append("#退款合计：")
                .append(refunds)
                .append("笔，商家实收退款共")
                .append(Money.format(refunded))
                .append("元，商家优惠退款共0.00元")
                .append(CRLF);
        csv.append("#导出时间：[")
                .append(CN_TIME.format(clock.instant().atOffset(AlipayTime.ZONE)))
                .append("]")
                .append(CRLF);
        return csv.toString();
    }

    private String summary(Instant start, Instant end, List<BillEntry> entries) {
        record Totals(int[] counts, BigDecimal[] amounts) {}
        Map<String, Totals> byStore = new TreeMap<>();
        for (BillEntry e : entries) {
            Totals t = byStore.computeIfAbsent(
                    e.storeId() == null ? "" : e.storeId(),
                    k -> new Totals(new int[2], new BigDecimal[] {BigDecimal.ZERO.setScale(2)}));
            t.counts()[e.refund() ? 1 : 0]++;
            t.amounts()[0] = t.amounts()[0].add(e.amount());
        }
        StringBuilder csv = new StringBuilder(preamble("支付宝业务汇总查询", start, end, "业务汇总列表", SUMMARY_HEADER));
        int payments = 0;
        int refunds = 0;
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (Map.Entry<String, Totals> s : byStore.entrySet()) {
            Totals t = s.getValue();
            csv.append(summaryRow(s.getKey(), s.getKey(), t.counts()[0], t.counts()[1], t.amounts()[0]));
            payments += t.counts()[0];
            refunds += t.counts()[1];
            total = total.add(t.amounts()[0]);
        }
        csv.append(summaryRow("合计", "", payments, refunds, total));
        csv.append("#-----------------------------------------业务汇总列表结束------------------------------------")
                .append(CRLF);
        csv.append("#导出时间：[")
                .append(CN_TIME.format(clock.instant().atOffset(AlipayTime.ZONE)))
                .append("]")
                .append(CRLF);
        return csv.toString();
    }

    private static String summaryRow(String store, String storeName, int payments, int refunds, BigDecimal amount) {
        String a = Money.format(amount);
        return store + "\t," + storeName + "\t," + payments + "," + refunds + "," + a + "," + a
                + ",0.00,0.00,0.00,0.00,0.00," + a + CRLF;
    }

    /** CSV cells are not quoted in Alipay's files; commas and line breaks would break the layout. */
    private static String cell(String value) {
        return value == null ? "" : value.replace(',', '，').replace('\r', ' ').replace('\n', ' ');
    }
}
