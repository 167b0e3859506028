package dev.zhifu.alipay.trade;

/** {@code trade_status} (docs/alipay-protocol.md#s9.4). */
public enum TradeStatus {
    /** Created, waiting for the buyer to pay. */
    WAIT_BUYER_PAY,
    /** Closed unpaid (time-out, close, cancel), or fully refunded after payment. */
    TRADE_CLOSED,
    /** Paid; refunds possible. */
    TRADE_SUCCESS,
    /** Paid and final: no more refunds. */
    TRADE_FINISHED;

    /** Parses a wire value; null for null, {@link IllegalArgumentException} for an unknown one. */
    public static TradeStatus fromWire(String value) {
        return value == null ? null : TradeStatus.valueOf(value);
    }

    public boolean isPaid() {
        return this == TRADE_SUCCESS || this == TRADE_FINISHED;
    }
}
