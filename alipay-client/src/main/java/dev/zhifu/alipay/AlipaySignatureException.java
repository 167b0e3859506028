package dev.zhifu.alipay;

/** A response, notification or return_url did not carry a valid signature from a configured Alipay key. */
public final class AlipaySignatureException extends AlipayException {
    public AlipaySignatureException(String method, String message) {
        super(method, message, null);
    }

    public AlipaySignatureException(String method, String message, Throwable cause) {
        super(method, message, cause);
    }
}
