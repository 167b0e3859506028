package dev.zhifu.sandbox.trade;

import dev.zhifu.sandbox.gateway.AlipayError;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** Amounts in yuan: strings with at most 2 decimals, 0.01 to 100000000 (docs/alipay-protocol.md#s11). */
public final class Money {

    public static final BigDecimal MIN = new BigDecimal("0.01");
    public static final BigDecimal MAX = new BigDecimal("100000000");
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,12}(\\.\\d{1,2})?");

    private Money() {
    }

    /** Parses and range-checks; {@code field} names the parameter in the error. */
    public static BigDecimal parse(String field, String text) {
        if (text == null || !AMOUNT.matcher(text).matches()) {
            throw AlipayError.invalidParameter(field + " 格式错误：金额单位为元，精确到小数点后两位 (" + text + ")");
        }
        BigDecimal amount = new BigDecimal(text).setScale(2, RoundingMode.UNNECESSARY);
        if (amount.compareTo(MAX) > 0) {
            throw AlipayError.business("ACQ.TOTAL_FEE_EXCEED", field + " 超过最大金额 100000000 元");
        }
        if (amount.compareTo(MIN) < 0) {
            throw AlipayError.invalidParameter(field + " 必须在 [0.01, 100000000] 之间");
        }
        return amount;
    }

    public static String format(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }
}
