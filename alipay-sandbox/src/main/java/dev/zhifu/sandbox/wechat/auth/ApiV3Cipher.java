package dev.zhifu.sandbox.wechat.auth;

import dev.zhifu.wechatpay.crypto.AeadAes256Gcm;
import java.security.SecureRandom;

/**
 * {@code AEAD_AES_256_GCM} with the merchant's APIv3 key, as WeChat Pay hides notification resources and the
 * platform certificates of {@code /v3/certificates}: the client's {@link AeadAes256Gcm} (the merchant's side
 * decrypts with the same class), with the fresh nonce WeChat Pay picks for each resource.
 */
public final class ApiV3Cipher {

    public static final String ALGORITHM = AeadAes256Gcm.ALGORITHM;
    private static final String NONCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One encrypted resource: what goes into {@code resource} or {@code encrypt_certificate}. */
    public record Sealed(String associatedData, String nonce, String ciphertext) {}

    private final AeadAes256Gcm aead;

    /** @throws IllegalArgumentException when {@code apiV3Key} is not 32 ASCII characters */
    public ApiV3Cipher(String apiV3Key) {
        this.aead = new AeadAes256Gcm(apiV3Key);
    }

    public Sealed seal(String associatedData, String plaintext) {
        String nonce = randomNonce();
        return new Sealed(associatedData, nonce, aead.encrypt(associatedData, nonce, plaintext));
    }

    /** Twelve characters, as WeChat Pay's nonces are: the IV is their ASCII bytes. */
    static String randomNonce() {
        return randomString(12);
    }

    static String randomString(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(NONCE_ALPHABET.charAt(RANDOM.nextInt(NONCE_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** A fresh APIv3 key: 32 letters and digits. */
    public static String generateKey() {
        return randomString(32);
    }
}
