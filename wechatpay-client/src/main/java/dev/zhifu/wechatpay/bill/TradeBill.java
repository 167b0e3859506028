package dev.zhifu.wechatpay.bill;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trade or fund flow bill as WeChat Pay lays it out: a header line, one line per trade whose every cell starts
 * with a backtick (so spreadsheets keep long numbers as text), then a summary header line of totals ({@code 总交易单数,…}
 * in a trade bill, {@code 资金流水总笔数,…} in a fund flow bill) and one summary line. Cells are kept as text, by column name (docs/wechatpay-protocol.md#s11).
 */
public record TradeBill(List<String> columns, List<Map<String, String>> rows, Map<String, String> summary) {

    public TradeBill {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    /** @throws IllegalArgumentException saying which line breaks the layout */
    public static TradeBill parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no bill text");
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            if (!line.isBlank()) {
                lines.add(line.charAt(0) == '\uFEFF' ? line.substring(1) : line);
            }
        }
        if (lines.size() < 3) {
            throw new IllegalArgumentException("a bill has a header, a summary header and a summary line at least");
        }
        List<String> columns = header(lines.get(0), 1);
        int summaryAt = lines.size() - 2;
        if (!isSummaryHeader(lines.get(summaryAt))) {
            throw new IllegalArgumentException("line " + (summaryAt + 1) + " is not the summary header");
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < summaryAt; i++) {
            rows.add(row(columns, lines.get(i), i + 1));
        }
        List<String> summaryColumns = header(lines.get(summaryAt), summaryAt + 1);
        Map<String, String> summary = row(summaryColumns, lines.get(summaryAt + 1), summaryAt + 2);
        return new TradeBill(columns, rows, summary);
    }

    /** A header, not a row (no backtick), that names totals: its first column has {@code 总} in it. */
    private static boolean isSummaryHeader(String line) {
        return !line.startsWith("`") && line.split(",", 2)[0].contains("总");
    }

    private static List<String> header(String line, int number) {
        List<String> names = List.of(line.split(",", -1));
        if (names.stream().anyMatch(String::isBlank)
                || names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("line " + number + ": header with blank or repeated columns");
        }
        return names;
    }

    private static Map<String, String> row(List<String> columns, String line, int number) {
        if (line.isEmpty() || line.charAt(0) != '`') {
            throw new IllegalArgumentException("line " + number + ": cells must start with a backtick");
        }
        String[] cells = line.substring(1).split(",`", -1);
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                    "line " + number + ": " + cells.length + " cells for " + columns.size() + " columns");
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < cells.length; i++) {
            row.put(columns.get(i), cells[i]);
        }
        return Collections.unmodifiableMap(row);
    }
}
