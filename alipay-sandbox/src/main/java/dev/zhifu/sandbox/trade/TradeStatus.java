package dev.zhifu.sandbox.trade;

/** Alipay's {@code trade_status} values (docs/alipay-protocol.md#s9.4). */
public enum TradeStatus {
    WAIT_BUYER_PAY,
    TRADE_SUCCESS,
    TRADE_CLOSED,
    TRADE_FINISHED
}
