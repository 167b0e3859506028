package dev.zhifu.sandbox.trade;

import dev.zhifu.alipay.Yuan;
import dev.zhifu.sandbox.gateway.AlipayError;
import java.math.BigDecimal;

/**
 * Amounts in yuan: strings with at most 2 decimals, 0.01 to 100000000 (docs/alipay-protocol.md#s11), by the one
 * rule of {@link Yuan}; here with the gateway's error codes (docs/sandbox.md#validation).
 */
public final class Money {

    private Money() {}

    /** Parses and range-checks; {@code field} names the parameter in the error. */
    public static BigDecimal parse(String field, String text) {
        Yuan.Problem problem = Yuan.problem(text);
        if (problem == Yuan.Problem.MALFORMED) {
            throw AlipayError.invalidParameter(field + " 格式错误：金额单位为元，精确到小数点后两位 (" + text + ")");
        }
        if (problem == Yuan.Problem.TOO_LARGE) {
            throw AlipayError.business("ACQ.TOTAL_FEE_EXCEED", field + " 超过最大金额 100000000 元");
        }
        if (problem == Yuan.Problem.TOO_SMALL) {
            throw AlipayError.invalidParameter(field + " 必须在 [0.01, 100000000] 之间");
        }
        return Yuan.parse(text);
    }

    public static String format(BigDecimal amount) {
        return Yuan.format(amount);
    }
}
