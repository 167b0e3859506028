package dev.zhifu.alipay.crypto;

/**
 * A key or certificate could not be read. The message names what was being read (a setting or a file)
 * and never contains the key material itself.
 */
public class KeyMaterialException extends IllegalArgumentException {
    public KeyMaterialException(String message) {
        super(message);
    }

    public KeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
