package dev.zhifu.alipay.trade;

/**
 * Which trade a call is about: the merchant's {@code out_trade_no}, Alipay's {@code trade_no}, or both
 * (Alipay then goes by {@code trade_no}).
 */
public record TradeRef(String outTradeNo, String tradeNo) {

    public TradeRef {
        if ((outTradeNo == null || outTradeNo.isBlank()) && (tradeNo == null || tradeNo.isBlank())) {
            throw new IllegalArgumentException("out_trade_no or trade_no: one is required");
        }
    }

    public static TradeRef outTradeNo(String outTradeNo) {
        return new TradeRef(outTradeNo, null);
    }

    public static TradeRef tradeNo(String tradeNo) {
        return new TradeRef(null, tradeNo);
    }

    Biz into(Biz biz) {
        return biz.put("out_trade_no", outTradeNo).put("trade_no", tradeNo);
    }

    /** The merchant's reference when given, else Alipay's: for messages and derived request numbers. */
    public String label() {
        return outTradeNo != null ? outTradeNo : tradeNo;
    }
}
