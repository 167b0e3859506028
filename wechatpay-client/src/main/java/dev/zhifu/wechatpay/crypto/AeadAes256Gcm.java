package dev.zhifu.wechatpay.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code AEAD_AES_256_GCM} with the APIv3 key, as notifications and downloaded platform certificates are
 * encrypted: the key is the 32 ASCII characters themselves, the nonce the UTF-8 of the 12-character
 * {@code nonce}, the associated data the UTF-8 of {@code associated_data}, the ciphertext Base64 of the
 * encrypted bytes followed by the 16-byte tag (docs/wechatpay-protocol.md#s6).
 */
public final class AeadAes256Gcm {

    public static final String ALGORITHM = "AEAD_AES_256_GCM";
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    /** @throws KeyMaterialException when {@code apiV3Key} is not 32 ASCII characters */
    public AeadAes256Gcm(String apiV3Key) {
        if (apiV3Key == null
                || apiV3Key.length() != 32
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(apiV3Key)) {
            throw new KeyMaterialException("the APIv3 key must be 32 ASCII characters");
        }
        this.key = new SecretKeySpec(apiV3Key.getBytes(StandardCharsets.US_ASCII), "AES");
    }

    /** @throws DecryptionException when the text was not encrypted with this key, nonce and associated data */
    public String decrypt(String associatedData, String nonce, String ciphertextBase64) {
        if (nonce == null || nonce.isEmpty() || ciphertextBase64 == null) {
            throw new DecryptionException("nonce and ciphertext are required");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(ciphertextBase64);
        } catch (IllegalArgumentException e) {
            throw new DecryptionException("ciphertext is not Base64", e);
        }
        if (sealed.length < TAG_BITS / 8) {
            throw new DecryptionException("ciphertext shorter than the GCM tag");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, associatedData);
            return new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new DecryptionException("authentication tag mismatch: wrong APIv3 key, nonce or associated data", e);
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("cannot decrypt: " + e.getMessage(), e);
        }
    }

    /** The inverse of {@link #decrypt}, for the sandbox and for tests that build notifications. */
    public String encrypt(String associatedData, String nonce, String plaintext) {
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData);
            return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt", e);
        }
    }

    private Cipher cipher(int mode, String nonce, String associatedData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce.getBytes(StandardCharsets.UTF_8)));
        if (associatedData != null) {
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        }
        return cipher;
    }

    /** Something that should have been encrypted with the APIv3 key was not, or was altered. */
    public static final class DecryptionException extends RuntimeException {
        public DecryptionException(String message) {
            super(message);
        }

        public DecryptionException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
