package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.alipay.crypto.PemCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/**
 * A key or certificate setting read: its text, from the file the setting names or from the setting itself. The one
 * reader of {@code alipay.*} key material, for the starter and payment-service. Messages name the setting and the
 * file, never the key.
 *
 * <p>Which it is: PEM armour is the key itself; else an existing file ({@code file:} prefix optional); else a run of
 * at least 100 base64 characters is the key itself (Alipay's tool prints an RSA-2048 public key as 392); anything
 * else is a file that is missing.
 *
 * @param setting the property, e.g. {@code alipay.app-private-key}
 * @param text    the key or certificate text (PEM or bare base64)
 * @param file    the file it was read from, or null when inline
 */
public record KeyText(String setting, String text, Path file) {

    private static final int MIN_INLINE_BASE64 = 100;

    /**
     * @throws KeyMaterialException naming the setting and the file when the file is missing, a directory or unreadable
     */
    public static KeyText read(String setting, String value) {
        String v = value.strip();
        Path path = fileOf(v);
        if (path == null) {
            return new KeyText(setting, v, null);
        }
        if (Files.isRegularFile(path)) {
            try {
                return new KeyText(setting, Files.readString(path, StandardCharsets.US_ASCII), path);
            } catch (IOException | RuntimeException e) {
                throw new KeyMaterialException(setting + ": cannot read file " + path.toAbsolutePath() + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (Files.isDirectory(path)) {
            throw new KeyMaterialException(setting + ": " + path.toAbsolutePath() + " is a directory, not a key file");
        }
        // name the path only when the value cannot be a mistyped key
        throw new KeyMaterialException(setting + ": file not found: "
                + (v.length() > 200 || v.matches("[A-Za-z0-9+/=]{40,}")
                        ? "(value is neither a readable file nor a key)"
                        : path.toAbsolutePath()));
    }

    /** The file a setting's value names, or null when the value is the key or certificate itself. */
    public static Path fileOf(String value) {
        String v = value.strip();
        if (v.contains("-----BEGIN")) {
            return null;
        }
        Path path;
        try {
            path = Path.of(v.startsWith("file:") ? v.substring("file:".length()) : v);
        } catch (InvalidPathException notAPath) {
            return null;
        }
        if (!Files.isRegularFile(path) && v.length() >= MIN_INLINE_BASE64 && v.matches("[A-Za-z0-9+/=\\s]+")) {
            return null;
        }
        return path;
    }

    /** What to call this key in a message: the setting, and the file when there is one. */
    public String source() {
        return file == null ? setting + " (inline)" : setting + " (file " + file.toAbsolutePath() + ")";
    }

    /** @throws KeyMaterialException naming {@link #source()} when the text is no RSA private key */
    public PrivateKey privateKey() {
        return AlipayKeys.privateKey(text, source());
    }

    /** @throws KeyMaterialException naming {@link #source()} when the text is no RSA public key */
    public PublicKey publicKey() {
        return AlipayKeys.publicKey(text, source());
    }

    /** The first certificate (Alipay's certificate files carry their issuer after it). */
    public X509Certificate certificate() {
        return PemCertificates.first(text, source());
    }
}
