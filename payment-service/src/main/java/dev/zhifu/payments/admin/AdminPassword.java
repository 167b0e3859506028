package dev.zhifu.payments.admin;

import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.secrets.Hashing;

/**
 * The admin console's password: {@code payments.admin.password}, or in demo mode one generated once and kept
 * beside the demo API key ({@code <data-dir>/demo-keys/admin_password.txt}). Without either the console is off.
 */
public final class AdminPassword {

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

    /** The demo's generated password, created on first use; kept with the demo's other secrets. */
    public static String demoPassword(String dataDir) {
        return DemoKeys.adminPassword(dataDir);
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
