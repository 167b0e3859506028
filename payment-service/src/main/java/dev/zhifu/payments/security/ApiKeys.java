package dev.zhifu.payments.security;

import dev.zhifu.payments.secrets.Hashing;
import java.util.List;

/** The bearer keys that may call {@code /api/**}. */
public final class ApiKeys {

    private final List<String> keys;

    public ApiKeys(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("payments.api-keys: at least one key is required");
        }
        this.keys = List.copyOf(keys);
    }

    /** Checks every key, in time that does not depend on which one matches or where they differ. */
    public boolean accepts(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        boolean match = false;
        for (String key : keys) {
            match |= Hashing.constantTimeEquals(Hashing.sha256Hex(key), Hashing.sha256Hex(presented));
        }
        return match;
    }

    public String first() {
        return keys.get(0);
    }
}
