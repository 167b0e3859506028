package dev.zhifu.sandbox.trade;

/** State changes that Alipay announces with an asynchronous notification (docs/alipay-protocol.md#s9). */
public interface TradeEvents {

    void paid(Trade trade);

    /** Closed without payment: close/cancel call or expiry. */
    void closed(Trade trade);

    /** After the refund is recorded; the trade is {@code TRADE_CLOSED} when it is now fully refunded. */
    void refunded(Trade trade, Refund refund);
}
