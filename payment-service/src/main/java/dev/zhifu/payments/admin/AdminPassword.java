package dev.zhifu.payments.admin;

import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.secrets.Hashing;
import dev.zhifu.payments.secrets.SecretFiles;
import dev.zhifu.payments.storage.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin console's password: {@code payments.admin.password}, or in demo mode one generated once and kept
 * beside the demo API key ({@code <data-dir>/demo-keys/admin_password.txt}). Without either the console is off.
 */
public final class AdminPassword {

    static final String FILE = "admin_password.txt";

    private final String sha256;
    private final boolean generated;

    private AdminPassword(String password, boolean generated) {
        this.sha256 = password == null ? null : Hashing.sha256Hex(password);
        this.generated = generated;
    }

    public static AdminPassword of(String configured, boolean demo, String dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new AdminPassword(configured, false);
        }
        return demo ? new AdminPassword(demoPassword(dataDir), true) : new AdminPassword(null, false);
    }

    /** The demo's generated password, created on first use. */
    public static String demoPassword(String dataDir) {
        Path file = DemoKeys.dirOf(dataDir).resolve(FILE);
        try {
            if (!Files.exists(file)) {
                SecretFiles.createDirectories(file.getParent());
                SecretFiles.replace(file, "admin_" + Ids.random(16) + "\n");
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the demo admin password in " + file.toAbsolutePath(), e);
        }
    }

    public boolean enabled() {
        return sha256 != null;
    }

    public boolean generated() {
        return generated;
    }

    /** Compares in time independent of where the passwords differ. */
    public boolean matches(String presented) {
        return sha256 != null && presented != null && Hashing.constantTimeEquals(sha256, Hashing.sha256Hex(presented));
    }
}
