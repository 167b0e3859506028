package dev.zhifu.payments.payments;

import java.math.BigDecimal;

/**
 * The one check of an amount Alipay reports for a payment against the payment's own amount, whether it came in a
 * notification or in a query's answer: a trade whose amount differs is never applied to the payment
 * (docs/alipay-protocol.md#s9.3, last paragraph). Each caller says what to do with a mismatch (refuse the
 * notification, leave the payment as it is) in its own words.
 */
public final class AmountGuard {

    /** Where the amount was read, which decides what a missing one means. */
    public enum Source {
        /** {@code total_amount} of a notification: always sent, so one without it does not match. */
        NOTIFICATION,
        /** {@code total_amount} of a trade query's answer: an answer without it says nothing against the payment. */
        QUERY
    }

    private AmountGuard() {}

    /** Whether the reported amount may be applied to the payment. */
    public static boolean matches(Payment payment, BigDecimal reported, Source source) {
        if (reported == null) {
            return source == Source.QUERY;
        }
        return Money.equal(reported, payment.amount());
    }
}
