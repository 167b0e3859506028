package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.crypto.KeyMaterialException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Resolves a key or certificate setting that may be a file path or the material inline. Errors name the
 * setting and the file, never the key.
 */
public final class KeyMaterial {

    private KeyMaterial() {
    }

    /** The text of {@code value}: the file's content when it names a file, else the value itself. */
    public static String resolve(String value, String setting) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        if (looksInline(trimmed)) {
            return trimmed;
        }
        Path file;
        try {
            file = Path.of(trimmed.startsWith("file:") ? trimmed.substring(5) : trimmed);
        } catch (InvalidPathException e) {
            throw new KeyMaterialException(setting + ": neither a readable file nor a key");
        }
        if (!Files.isRegularFile(file)) {
            throw new KeyMaterialException(setting + ": file " + file + " does not exist");
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new KeyMaterialException(setting + ": file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** PEM armour, or one long run of base64 (a path has separators or an extension and is short). */
    static boolean looksInline(String value) {
        if (value.contains("-----BEGIN")) {
            return true;
        }
        return value.length() > 200 && value.matches("[A-Za-z0-9+/=\\s]+");
    }
}
