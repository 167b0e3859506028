package dev.zhifu.payments.events;

/** The event types of docs/rest-api.md#webhooks. */
public enum EventType {
    PAYMENT_SUCCEEDED("payment.succeeded"),
    PAYMENT_CLOSED("payment.closed"),
    PAYMENT_REFUNDED("payment.refunded"),
    REFUND_SUCCEEDED("refund.succeeded"),
    REFUND_FAILED("refund.failed");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
