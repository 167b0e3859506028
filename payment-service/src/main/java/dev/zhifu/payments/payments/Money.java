package dev.zhifu.payments.payments;

import dev.zhifu.alipay.Yuan;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Yuan with two decimals, as the API, the database and Alipay write it. Which text is an amount is Alipay's
 * rule, kept in one place for every module: {@link Yuan}.
 */
public final class Money {

    private Money() {}

    public static BigDecimal of(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    public static String format(BigDecimal amount) {
        return amount == null ? null : Yuan.format(amount);
    }

    /** Parses a decimal string; null when it is not one, has more than 2 decimals, or is out of range. */
    public static BigDecimal parse(String text) {
        return Yuan.parse(text);
    }

    public static boolean equal(BigDecimal a, BigDecimal b) {
        return a != null && b != null && a.compareTo(b) == 0;
    }
}
