package dev.zhifu.sandbox.wechat.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A merchant certificate serial number derived from the key when none is configured: 40 upper-case hex digits like
 * the real ones, and the same for the same key on every start.
 */
public final class MerchantSerial {

    private MerchantSerial() {}

    public static String of(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
