package dev.zhifu.payments.alipay;

import java.security.PrivateKey;

/**
 * Where the app's private key comes from when it is neither in a file nor in a property: declare a bean of this
 * type (for a KMS or a secret manager) and {@code alipay.app-private-key} is not needed. The key is asked for at
 * start-up and again whenever {@link #version()} changes ({@code alipay.key-reload-interval}); the client is then
 * rebuilt and swapped atomically. Implementations must never log the key.
 */
public interface AlipayKeySource {

    /** The app's private key (RSA2). A failure here at start-up stops the service; later, the old key stays. */
    PrivateKey appPrivateKey();

    /** Changes whenever {@link #appPrivateKey()} would answer another key, e.g. the KMS key version. */
    default String version() {
        return "1";
    }
}
