package dev.zhifu.alipay;

/** The answer was not what Alipay sends: not JSON, no node for the method, truncated, undecryptable. */
public final class AlipayMalformedResponseException extends AlipayException {
    public AlipayMalformedResponseException(String method, String message) {
        super(method, message, null);
    }

    public AlipayMalformedResponseException(String method, String message, Throwable cause) {
        super(method, message, cause);
    }
}
