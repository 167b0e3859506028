package dev.zhifu.alipay.bill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Streams Alipay's trade bill (docs/alipay-protocol.md#s12): a zip whose entry names and contents are GBK; the detail file
 * (业务明细, not 汇总) has a {@code #} preamble, a header row, data rows whose text cells end in a TAB, and a
 * {@code #} footer with totals. Columns are found by header name, since their order has changed over
 * the years. Lines go to the consumer one by one, so memory stays flat for any size.
 */
public final class TradeBillParser {

    public static final Charset GBK = Charset.forName("GBK");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern ACCOUNT = Pattern.compile("#账号：\\[(.*?)]");
    private static final Pattern PERIOD = Pattern.compile("#起始日期：\\[(.*?)]\\s*终止日期：\\[(.*?)]");
    private static final Pattern PAYMENT_TOTAL = Pattern.compile("#交易合计：(\\d+)笔，商家实收共(-?[0-9.]+)元");
    private static final Pattern REFUND_TOTAL = Pattern.compile("#退款合计：(\\d+)笔，商家实收退款共(-?[0-9.]+)元");

    private TradeBillParser() {}

    /** Reads the zip and parses its detail entry. */
    public static TradeBillSummary parseZip(InputStream zip, Consumer<TradeBillLine> lines) throws IOException {
        ZipInputStream entries = new ZipInputStream(zip, GBK);
        ZipEntry entry;
        while ((entry = entries.getNextEntry()) != null) {
            String name = entry.getName();
            if (name.endsWith(".csv") && name.contains("业务明细") && !name.contains("汇总")) {
                return parseDetail(new InputStreamReader(entries, GBK), lines);
            }
        }
        throw new IllegalArgumentException("the zip holds no 业务明细 detail file");
    }

    /** Parses the detail CSV (already decoded). */
    public static TradeBillSummary parseDetail(Reader csv, Consumer<TradeBillLine> lines) throws IOException {
        BufferedReader in = csv instanceof BufferedReader b ? b : new BufferedReader(csv, 64 * 1024);
        String account = null;
        String period = null;
        Map<String, Integer> columns = null;
        long count = 0;
        long payments = 0;
        long refunds = 0;
        BigDecimal paid = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;
        Long footerPayCount = null;
        BigDecimal footerPaid = null;
        Long footerRefundCount = null;
        BigDecimal footerRefunded = null;
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher m;
                if ((m = ACCOUNT.matcher(line)).find()) {
                    account = m.group(1);
                } else if ((m = PERIOD.matcher(line)).find()) {
                    period = m.group(1) + " - " + m.group(2);
                } else if ((m = PAYMENT_TOTAL.matcher(line)).find()) {
                    footerPayCount = Long.parseLong(m.group(1));
                    footerPaid = new BigDecimal(m.group(2));
                } else if ((m = REFUND_TOTAL.matcher(line)).find()) {
                    footerRefundCount = Long.parseLong(m.group(1));
                    footerRefunded = new BigDecimal(m.group(2));
                }
                continue;
            }
            List<String> cells = split(line);
            if (columns == null) {
                columns = header(cells, lineNo);
                continue;
            }
            TradeBillLine parsed = row(cells, columns, lineNo);
            count++;
            if (parsed.type() == TradeBillLine.Type.PAYMENT) {
                payments++;
                paid = paid.add(parsed.merchantReceived());
            } else {
                refunds++;
                refunded = refunded.add(parsed.merchantReceived());
            }
            lines.accept(parsed);
        }
        if (columns == null) {
            throw new IllegalArgumentException("the detail file has no header row");
        }
        return new TradeBillSummary(
                account,
                period,
                count,
                payments,
                refunds,
                paid,
                refunded,
                footerPayCount,
                footerPaid,
                footerRefundCount,
                footerRefunded);
    }

    private static Map<String, Integer> header(List<String> cells, int lineNo) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            columns.put(cells.get(i), i);
        }
        for (String required : new String[] {"支付宝交易号", "商户订单号", "业务类型", "订单金额（元）", "商家实收（元）"}) {
            if (!columns.containsKey(required)) {
                throw new IllegalArgumentException("line " + lineNo + ": header lacks column " + required);
            }
        }
        return columns;
    }

    private static TradeBillLine row(List<String> cells, Map<String, Integer> columns, int lineNo) {
        try {
            return new TradeBillLine(
                    cell(cells, columns, "支付宝交易号"),
                    cell(cells, columns, "商户订单号"),
                    TradeBillLine.Type.of(cell(cells, columns, "业务类型")),
                    cell(cells, columns, "商品名称"),
                    time(cell(cells, columns, "创建时间")),
                    time(cell(cells, columns, "完成时间")),
                    cell(cells, columns, "门店编号"),
                    cell(cells, columns, "对方账户"),
                    money(cell(cells, columns, "订单金额（元）")),
                    money(cell(cells, columns, "商家实收（元）")),
                    cell(cells, columns, "退款批次号/请求号"),
                    money(cell(cells, columns, "服务费（元）")),
                    cell(cells, columns, "备注"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage(), e);
        }
    }

    /** A cell without the spreadsheet-guard TAB and surrounding blanks; null when empty or absent. */
    private static String cell(List<String> cells, Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        if (index == null || index >= cells.size()) {
            return null;
        }
        String value = cells.get(index).strip();
        return value.isEmpty() ? null : value;
    }

    private static BigDecimal money(String value) {
        return value == null ? BigDecimal.ZERO.setScale(2) : new BigDecimal(value);
    }

    private static LocalDateTime time(String value) {
        return value == null ? null : LocalDateTime.parse(value, TIME);
    }

    /** Comma-separated cells; double quotes are honoured should a field ever be quoted. */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>(26);
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
