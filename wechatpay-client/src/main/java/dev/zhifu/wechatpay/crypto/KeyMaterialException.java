package dev.zhifu.wechatpay.crypto;

/** Key or certificate text that cannot be read: the message says what was expected. */
public final class KeyMaterialException extends IllegalArgumentException {

    public KeyMaterialException(String message) {
        super(message);
    }

    public KeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
