package dev.zhifu.alipay;

/** The request was refused before sending: an invalid field, or it could not be signed or encrypted. */
public final class AlipayRequestException extends AlipayException {
    public AlipayRequestException(String method, String message) {
        super(method, message, null);
    }

    public AlipayRequestException(String method, String message, Throwable cause) {
        super(method, message, cause);
    }
}
