package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.Yuan;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds {@code biz_content} maps and checks the fields Alipay checks. Keys are kept sorted, as the official
 * SDK's generated models declare their fields, so a typed request writes the same JSON as the SDK's model.
 */
final class Biz {

    private static final Pattern OUT_NO = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    private static final Pattern TIMEOUT_EXPRESS = Pattern.compile("([1-9][0-9]*)([mhd])|1c");

    private final TreeMap<String, Object> map = new TreeMap<>();

    static Biz of() {
        return new Biz();
    }

    Biz put(String key, Object value) {
        if (value != null && !(value instanceof String s && s.isEmpty())) {
            map.put(key, value instanceof BigDecimal d ? Yuan.format(d) : value);
        }
        return this;
    }

    Biz putAll(Map<String, Object> extra) {
        if (extra != null) {
            extra.forEach(this::put);
        }
        return this;
    }

    Map<String, Object> map() {
        return map;
    }

    /** Alipay's amount rule ({@link Yuan}). */
    static void amount(BigDecimal amount, String field) {
        if (amount == null) {
            throw new IllegalArgumentException(field + ": required");
        }
        Yuan.Problem problem = Yuan.problem(amount);
        if (problem == Yuan.Problem.MALFORMED) {
            throw new IllegalArgumentException(field + ": at most 2 decimals, got " + amount.toPlainString());
        }
        if (problem != null) {
            throw new IllegalArgumentException(field + ": must be 0.01 to 100000000.00, got " + amount.toPlainString());
        }
    }

    /** A refund may be any positive amount up to the order's; the gateway checks the remainder. */
    static void refundAmount(BigDecimal amount, String field) {
        amount(amount, field);
    }

    static void outNo(String value, String field) {
        if (value == null || !OUT_NO.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": 1-64 letters, digits, '_' or '-', got '" + value + "'");
        }
    }

    static void text(String value, String field, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new IllegalArgumentException(field + ": required");
            }
            return;
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(field + ": at most " + max + " characters, got " + value.length());
        }
    }

    static void timeoutExpress(String value) {
        if (value != null && !TIMEOUT_EXPRESS.matcher(value).matches()) {
            throw new IllegalArgumentException("timeout_express: like 30m, 2h, 1d or 1c, got '" + value + "'");
        }
    }

    static void url(String value, String field) {
        if (value == null) {
            return;
        }
        if (value.length() > 256 || !(value.startsWith("http://") || value.startsWith("https://"))) {
            throw new IllegalArgumentException(field + ": an http(s) URL of at most 256 characters");
        }
    }

    private Biz() {}
}
