package dev.zhifu.payments.idempotency;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claims a failed request could not give back because the database failed with it. Without this, a retry of the
 * same request met {@code 409 idempotency_request_in_progress} until the claim counted as abandoned (minutes);
 * with it, the claim is given back as soon as the database answers again.
 * <p>
 * Bounded: past {@link #LIMIT} claims owed at once, further ones are left to the abandonment rule.
 */
final class OwedReleases {

    static final int LIMIT = 10_000;

    record Claim(String scope, String key) {}

    /** Each claim owed, with the time it was made (only a claim made no later than that is given back). */
    private final Map<Claim, Instant> owed = new ConcurrentHashMap<>();

    /** Answers false when the bound is reached and the claim is left to expire. */
    boolean add(String scope, String key, Instant claimedAt) {
        if (owed.size() >= LIMIT) {
            return false;
        }
        owed.put(new Claim(scope, key), claimedAt);
        return true;
    }

    boolean isEmpty() {
        return owed.isEmpty();
    }

    int size() {
        return owed.size();
    }

    Map<Claim, Instant> snapshot() {
        return Map.copyOf(owed);
    }

    void remove(Claim claim, Instant claimedAt) {
        owed.remove(claim, claimedAt);
    }
}
