package dev.zhifu.wechatpay.payments;

import java.math.BigDecimal;

/**
 * A refund of a payment named by exactly one of {@code transactionId} and {@code outTradeNo}: {@code refund} out
 * of the payment's {@code total}, both in yuan. {@code reason} and {@code notifyUrl} are optional.
 */
public record RefundRequest(
        String outRefundNo,
        String transactionId,
        String outTradeNo,
        BigDecimal refund,
        BigDecimal total,
        String reason,
        String notifyUrl) {

    public RefundRequest {
        Order.checkRefundNumber(outRefundNo, "outRefundNo");
        if ((transactionId == null) == (outTradeNo == null)) {
            throw new IllegalArgumentException("name the payment by exactly one of transactionId and outTradeNo");
        }
        if (outTradeNo != null) {
            Order.checkMerchantNumber(outTradeNo, "outTradeNo");
        }
        if (transactionId != null && !transactionId.matches("[0-9A-Za-z]{1,32}")) {
            throw new IllegalArgumentException("transactionId is malformed: " + transactionId);
        }
        long refundFen = dev.zhifu.wechatpay.Fen.fromYuan(refund);
        if (refundFen > dev.zhifu.wechatpay.Fen.fromYuan(total)) {
            throw new IllegalArgumentException("refund " + refund + " exceeds the payment's total " + total);
        }
        if (reason != null && reason.length() > 80) {
            throw new IllegalArgumentException("reason must be at most 80 characters");
        }
        if (notifyUrl != null) {
            Order.checkNotifyUrl(notifyUrl);
        }
    }

    public static RefundRequest ofOutTradeNo(
            String outRefundNo, String outTradeNo, BigDecimal refund, BigDecimal total) {
        return new RefundRequest(outRefundNo, null, outTradeNo, refund, total, null, null);
    }
}
