package dev.zhifu.payments.payments;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Yuan with two decimals, as the API, the database and Alipay write it. */
public final class Money {

    public static final BigDecimal MIN = new BigDecimal("0.01");
    public static final BigDecimal MAX = new BigDecimal("100000000.00");

    private Money() {
    }

    public static BigDecimal of(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    public static String format(BigDecimal amount) {
        return amount == null ? null : of(amount).toPlainString();
    }

    /** Parses a decimal string; null when it is not one, has more than 2 decimals, or is out of range. */
    public static BigDecimal parse(String text) {
        if (text == null || !text.matches("\\d{1,9}(\\.\\d{1,2})?")) {
            return null;
        }
        BigDecimal value = new BigDecimal(text).setScale(2, RoundingMode.UNNECESSARY);
        return value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0 ? null : value;
    }

    public static boolean equal(BigDecimal a, BigDecimal b) {
        return a != null && b != null && a.compareTo(b) == 0;
    }
}
