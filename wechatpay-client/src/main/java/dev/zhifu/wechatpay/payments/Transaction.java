package dev.zhifu.wechatpay.payments;

import java.math.BigDecimal;

/**
 * A payment as WeChat Pay reports it, from a query or a notification. {@code tradeState} is one of
 * {@code SUCCESS REFUND NOTPAY CLOSED REVOKED USERPAYING PAYERROR}; amounts are in yuan ({@code payerTotal} null
 * until paid). Times are WeChat Pay's RFC 3339 text.
 */
public record Transaction(
        String appid,
        String mchid,
        String outTradeNo,
        String transactionId,
        String tradeType,
        String tradeState,
        String tradeStateDesc,
        String bankType,
        String attach,
        String successTime,
        String payerOpenid,
        BigDecimal total,
        BigDecimal payerTotal,
        String currency) {

    public boolean isPaid() {
        return "SUCCESS".equals(tradeState);
    }
}
