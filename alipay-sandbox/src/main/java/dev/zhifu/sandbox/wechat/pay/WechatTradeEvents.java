package dev.zhifu.sandbox.wechat.pay;

/** What the merchant hears about asynchronously; called under the book's lock, so implementations only queue. */
public interface WechatTradeEvents {

    void paid(WechatTrade trade);

    void refunded(WechatTrade trade, WechatRefund refund);
}
