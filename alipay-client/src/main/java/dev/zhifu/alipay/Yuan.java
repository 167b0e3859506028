package dev.zhifu.alipay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alipay's amount, the one rule of this project: yuan with at most two decimals, from {@code 0.01} to
 * {@code 100000000.00} (docs/alipay-protocol.md#s11). The client checks its typed requests with it, the sandbox
 * the amounts it is sent, the payment service the amounts of its REST API (docs/rest-api.md#create).
 *
 * <p>As text, an amount is ASCII digits, then optionally a point and one or two digits: {@code 9.9},
 * {@code 9.90}, {@code 0009.90} (leading zeros do not change the value). Nothing else is one: no sign, no
 * exponent, no spaces, no grouping, no {@code .5} or {@code 5.}, no third decimal even when it is a zero.
 */
public final class Yuan {

    public static final BigDecimal MIN = new BigDecimal("0.01");
    public static final BigDecimal MAX = new BigDecimal("100000000.00");

    /** Possessive: a long run of digits before a bad character fails in one pass, without backtracking. */
    private static final Pattern TEXT = Pattern.compile("([0-9]++)(?:\\.([0-9]{1,2}))?");
    /** Whole yuan digits that cannot fit below {@link #MAX}, whatever follows them. */
    private static final int MAX_WHOLE_DIGITS = 9;

    /** Why a value is not an amount. */
    public enum Problem {
        /** Not written as above (text), or more than two decimals (a number). */
        MALFORMED,
        /** Less than 0.01: zero or negative. */
        TOO_SMALL,
        /** More than 100000000.00. */
        TOO_LARGE
    }

    private Yuan() {}

    /** Why {@code text} is not an amount; null when it is one. */
    public static Problem problem(String text) {
        return text == null ? Problem.MALFORMED : read(text).problem;
    }

    /** The amount {@code text} writes, with scale 2; null when it is not one ({@link #problem(String)}). */
    public static BigDecimal parse(String text) {
        return text == null ? null : read(text).value;
    }

    /** Why {@code amount} is not an amount (null is {@link Problem#MALFORMED}); null when it is one. */
    public static Problem problem(BigDecimal amount) {
        if (amount == null || amount.stripTrailingZeros().scale() > 2) {
            return Problem.MALFORMED;
        }
        return range(amount);
    }

    /** As Alipay writes amounts: two decimals, never an exponent ({@code 9.9} gives {@code 9.90}). */
    public static String format(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    private record Reading(BigDecimal value, Problem problem) {}

    private static Reading read(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return new Reading(null, Problem.MALFORMED);
        }
        String whole = m.group(1);
        int first = 0;
        while (first < whole.length() - 1 && whole.charAt(first) == '0') {
            first++;
        }
        // no BigDecimal of a thousand digits: ten whole digits (leading zeros aside) are already too many
        if (whole.length() - first > MAX_WHOLE_DIGITS) {
            return new Reading(null, Problem.TOO_LARGE);
        }
        String decimals = m.group(2) == null ? "" : "." + m.group(2);
        BigDecimal value = new BigDecimal(whole.substring(first) + decimals).setScale(2);
        Problem problem = range(value);
        return new Reading(problem == null ? value : null, problem);
    }

    private static Problem range(BigDecimal amount) {
        if (amount.compareTo(MIN) < 0) {
            return Problem.TOO_SMALL;
        }
        return amount.compareTo(MAX) > 0 ? Problem.TOO_LARGE : null;
    }
}
