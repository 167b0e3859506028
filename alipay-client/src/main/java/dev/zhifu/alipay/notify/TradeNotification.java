package dev.zhifu.alipay.notify;

import dev.zhifu.alipay.trade.TradeStatus;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * A verified asynchronous notification (docs/alipay-protocol.md#s9.2) or return_url redirect (#s10). Typed fields for what a
 * merchant acts on; {@link #params()} keeps every parameter as received (read-only).
 * Verification proves Alipay sent it; the merchant must still check app_id, out_trade_no, total_amount and
 * seller_id against its own order before acting.
 */
public record TradeNotification(
        String notifyId,
        String notifyType,
        LocalDateTime notifyTime,
        String appId,
        String tradeNo,
        String outTradeNo,
        String outBizNo,
        TradeStatus tradeStatus,
        BigDecimal totalAmount,
        BigDecimal receiptAmount,
        BigDecimal buyerPayAmount,
        BigDecimal refundFee,
        String sellerId,
        String buyerId,
        String buyerLogonId,
        String subject,
        LocalDateTime gmtCreate,
        LocalDateTime gmtPayment,
        LocalDateTime gmtRefund,
        LocalDateTime gmtClose,
        String passbackParams,
        Map<String, String> params) {

    /** A refund notification: it carries {@code refund_fee} (cumulative) and usually {@code gmt_refund}. */
    public boolean isRefund() {
        return refundFee != null || gmtRefund != null;
    }

    /** A parameter as received, or null. */
    public String param(String name) {
        return params.get(name);
    }
}
