package dev.zhifu.sandbox.wechat.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code AEAD_AES_256_GCM} with the merchant's APIv3 key: how WeChat Pay hides notification resources and the
 * platform certificates of {@code /v3/certificates}. The key and the nonce are used as their ASCII bytes; the
 * 16-byte tag follows the ciphertext inside the base64.
 */
public final class ApiV3Cipher {

    public static final String ALGORITHM = "AEAD_AES_256_GCM";
    private static final String NONCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One encrypted resource: what goes into {@code resource} or {@code encrypt_certificate}. */
    public record Sealed(String associatedData, String nonce, String ciphertext) {}

    private final SecretKeySpec key;

    public ApiV3Cipher(String apiV3Key) {
        byte[] bytes = apiV3Key.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length != 32) {
            throw new IllegalArgumentException("the APIv3 key must be 32 ASCII characters, got " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public Sealed seal(String associatedData, String plaintext) {
        String nonce = randomNonce();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.US_ASCII)));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return new Sealed(associatedData, nonce, Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
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
