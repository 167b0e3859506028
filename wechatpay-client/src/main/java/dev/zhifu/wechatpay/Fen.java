package dev.zhifu.wechatpay;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amounts: yuan with at most two decimals in this client's API, integer fen on WeChat Pay's wire
 * (docs/wechatpay-protocol.md#s9).
 */
public final class Fen {

    private Fen() {}

    /** @throws IllegalArgumentException for null, more than two decimals, zero, negative or beyond a long */
    public static long fromYuan(BigDecimal yuan) {
        if (yuan == null) {
            throw new IllegalArgumentException("amount is required");
        }
        if (yuan.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("amount " + yuan.toPlainString() + " has more than two decimals");
        }
        if (yuan.signum() <= 0) {
            throw new IllegalArgumentException("amount " + yuan.toPlainString() + " is not positive");
        }
        try {
            return yuan.movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + yuan.toPlainString() + " is too large", e);
        }
    }

    /** Fen as yuan with scale 2 ({@code 1} gives {@code 0.01}). */
    public static BigDecimal toYuan(long fen) {
        return BigDecimal.valueOf(fen, 2).setScale(2, RoundingMode.UNNECESSARY);
    }
}
