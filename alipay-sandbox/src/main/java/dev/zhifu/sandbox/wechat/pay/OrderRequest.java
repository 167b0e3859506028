package dev.zhifu.sandbox.wechat.pay;

/** A validated prepay request: what the four {@code /v3/pay/transactions/*} paths have in common. */
public record OrderRequest(
        String mchid,
        String appid,
        String outTradeNo,
        TradeType type,
        String description,
        long totalFen,
        String currency,
        String attach,
        String notifyUrl,
        String payerOpenid,
        /** {@code time_expire}; null: WeChat Pay's default of two hours after the order */
        java.time.Instant timeExpire) {}
