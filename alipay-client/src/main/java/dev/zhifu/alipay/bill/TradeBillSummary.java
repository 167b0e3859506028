package dev.zhifu.alipay.bill;

import java.math.BigDecimal;

/**
 * What a trade bill says about itself: its account and period, the lines read, and the footer totals
 * ({@code #交易合计} / {@code #退款合计}) to check the lines against.
 */
public record TradeBillSummary(
        String account,
        String period,
        long lines,
        long paymentLines,
        long refundLines,
        BigDecimal paymentReceived,
        BigDecimal refundReceived,
        Long footerPaymentCount,
        BigDecimal footerPaymentReceived,
        Long footerRefundCount,
        BigDecimal footerRefundReceived) {

    /** True when the footer totals, where present, agree with the lines. */
    public boolean footerMatchesLines() {
        return (footerPaymentCount == null || footerPaymentCount == paymentLines)
                && (footerPaymentReceived == null || footerPaymentReceived.compareTo(paymentReceived) == 0)
                && (footerRefundCount == null || footerRefundCount == refundLines)
                && (footerRefundReceived == null || footerRefundReceived.compareTo(refundReceived) == 0);
    }
}
