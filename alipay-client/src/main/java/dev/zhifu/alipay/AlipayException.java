package dev.zhifu.alipay;

/**
 * Base of every failure the client reports. The subclass says where the call failed:
 * {@link AlipayRequestException} (before anything was sent), {@link AlipayTransportException} (sending, or a
 * non-2xx answer), {@link AlipayGatewayException} (Alipay answered with an error code),
 * {@link AlipaySignatureException} (the answer's signature did not verify) and
 * {@link AlipayMalformedResponseException} (the answer could not be read).
 */
public abstract sealed class AlipayException extends RuntimeException
        permits AlipayRequestException,
                AlipayTransportException,
                AlipayGatewayException,
                AlipaySignatureException,
                AlipayMalformedResponseException {

    private final String method;

    protected AlipayException(String method, String message, Throwable cause) {
        super(message, cause);
        this.method = method;
    }

    /** The API method, e.g. {@code alipay.trade.query}. */
    public String method() {
        return method;
    }

    /**
     * True when Alipay may have acted on the request although the caller cannot tell (a time-out after
     * sending, a 5xx, a 10003/20000/ACQ.SYSTEM_ERROR answer): query before assuming anything.
     */
    public boolean isResultUnknown() {
        return false;
    }
}
