package dev.zhifu.wechatpay.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * Sensitive fields (names, ID numbers, phone numbers) travel encrypted with RSA-OAEP, SHA-1 and MGF1, under
 * WeChat Pay's public key or platform certificate; the request then names that key in {@code Wechatpay-Serial}
 * (docs/wechatpay-protocol.md#s7).
 */
public final class RsaOaep {

    private RsaOaep() {}

    public static String encrypt(PublicKey key, String plaintext) {
        try {
            Cipher cipher = RsaProvider.oaep();
            cipher.init(Cipher.ENCRYPT_MODE, key);
            return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encrypt the field (too long for one RSA block?)", e);
        }
    }

    /** @throws IllegalArgumentException when the text was not encrypted for {@code key} */
    public static String decrypt(PrivateKey key, String ciphertextBase64) {
        try {
            Cipher cipher = RsaProvider.oaep();
            cipher.init(Cipher.DECRYPT_MODE, key);
            return new String(cipher.doFinal(Base64.getDecoder().decode(ciphertextBase64)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA-OAEP ciphertext for this key", e);
        }
    }
}
