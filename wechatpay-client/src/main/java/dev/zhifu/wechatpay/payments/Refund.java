package dev.zhifu.wechatpay.payments;

import java.math.BigDecimal;

/**
 * A refund as WeChat Pay reports it, from the create and query APIs or a refund notification. {@code status} is
 * {@code SUCCESS CLOSED PROCESSING ABNORMAL}; amounts in yuan ({@code payerRefund} may be null).
 */
public record Refund(
        String refundId,
        String outRefundNo,
        String transactionId,
        String outTradeNo,
        String channel,
        String userReceivedAccount,
        String successTime,
        String status,
        BigDecimal refund,
        BigDecimal total,
        BigDecimal payerRefund) {

    public boolean isSuccessful() {
        return "SUCCESS".equals(status);
    }
}
