package dev.zhifu.wechatpay;

/**
 * Every failure of a call to WeChat Pay. {@link #isOutcomeUnknown()} separates the two cases a caller must treat
 * differently: a definite failure (nothing happened; fix and retry) and an unknown outcome (time-out, 5xx, an
 * answer that could not be verified): the payment or refund may exist, so query before acting again
 * (docs/wechatpay-protocol.md#s8).
 */
public abstract class WechatPayException extends RuntimeException {

    private final boolean outcomeUnknown;

    protected WechatPayException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** True when WeChat Pay may have acted on the request although this call failed. */
    public boolean isOutcomeUnknown() {
        return outcomeUnknown;
    }
}
