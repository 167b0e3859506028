package dev.zhifu.payments.alipay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A key or certificate setting: a file path, or the key itself inline (PEM or the bare base64 that Alipay's key
 * tool prints). Messages name the setting and the file, never the key.
 *
 * @param setting the property, e.g. {@code alipay.app-private-key}
 * @param text    the key text
 * @param file    the file it was read from, or null when inline
 */
public record KeyText(String setting, String text, Path file) {

    /** What to call this key in a message: the setting, and the file when there is one. */
    public String source() {
        return file == null ? setting + " (inline)" : setting + " (file " + file.toAbsolutePath() + ")";
    }

    public static KeyText read(String setting, String value) {
        String v = value.strip();
        if (v.contains("-----BEGIN")) {
            return new KeyText(setting, v, null);
        }
        Path path = null;
        try {
            path = Path.of(v);
        } catch (InvalidPathException notAPath) {
            // fall through: inline base64
        }
        if (path != null && Files.isRegularFile(path)) {
            try {
                return new KeyText(setting, Files.readString(path, StandardCharsets.US_ASCII), path);
            } catch (IOException | RuntimeException e) {
                throw new KeyMaterialProblem(setting + ": cannot read file " + path.toAbsolutePath() + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (v.length() >= 100 && v.matches("[A-Za-z0-9+/=\\s]+")) {
            return new KeyText(setting, v, null);
        }
        if (path != null && Files.isDirectory(path)) {
            throw new KeyMaterialProblem(setting + ": " + path.toAbsolutePath() + " is a directory, not a key file");
        }
        // neither an existing file nor key material: name the path only when it cannot be a key
        throw new KeyMaterialProblem(setting + ": file not found: "
                + (path == null || v.length() > 200 || v.matches("[A-Za-z0-9+/=]{40,}")
                ? "(value is neither a readable file nor a key)" : path.toAbsolutePath()));
    }

    /** A key or certificate that cannot be used; the message is safe to print. */
    public static final class KeyMaterialProblem extends RuntimeException {
        public KeyMaterialProblem(String message) {
            super(message);
        }
    }
}
