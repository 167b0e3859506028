package dev.zhifu.alipay.crypto;

import java.nio.charset.Charset;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alipay's {@code encrypt_type=AES} content encryption (docs/alipay-protocol.md#s8): AES/CBC/PKCS5Padding with an all-zero IV,
 * key from the console as base64. Deterministic by design, which is why vectors compare exact ciphertext.
 */
public final class AesContent {

    private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[16]);

    private final SecretKeySpec key;

    public AesContent(String base64Key, String what) {
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(base64Key == null ? "" : base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException(what + ": is not base64");
        }
        if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
            throw new KeyMaterialException(what + ": an AES key must be 16, 24 or 32 bytes, got " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public String encrypt(String plaintext, Charset charset) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key, ZERO_IV);
            return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(charset)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES encryption failed", e);
        }
    }

    /** @throws IllegalArgumentException when the text is not base64 or does not decrypt with this key */
    public String decrypt(String base64Ciphertext, Charset charset) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, key, ZERO_IV);
            return new String(cipher.doFinal(Base64.getMimeDecoder().decode(base64Ciphertext)), charset);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("content does not decrypt with the configured AES key", e);
        }
    }
}
