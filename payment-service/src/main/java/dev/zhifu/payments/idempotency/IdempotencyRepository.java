package dev.zhifu.payments.idempotency;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class IdempotencyRepository {

    record Entry(
            String scope,
            String key,
            String requestHash,
            String state,
            Integer responseStatus,
            String responseBody,
            Instant createdAt,
            Instant expiresAt) {
        boolean completed() {
            return IdempotencyService.COMPLETED.equals(state);
        }
    }

    private final JdbcClient jdbc;

    IdempotencyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Claims the key; a unique-key violation means someone else has it. Runs in its own (auto-commit) statement. */
    void insert(String scope, String key, String hash, Instant now, Instant expires) {
        jdbc.sql("INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")
                .params(scope, key, hash, IdempotencyService.IN_PROGRESS, db(now), db(expires))
                .update();
    }

    Optional<Entry> find(String scope, String key) {
        return jdbc.sql("SELECT * FROM idempotency_keys WHERE scope = ? AND idempotency_key = ?")
                .params(scope, key)
                .query((rs, n) -> new Entry(
                        rs.getString("scope"),
                        rs.getString("idempotency_key"),
                        rs.getString("request_hash"),
                        rs.getString("state"),
                        (Integer) rs.getObject("response_status", Integer.class),
                        rs.getString("response_body"),
                        instant(rs, "created_at"),
                        instant(rs, "expires_at")))
                .optional();
    }

    void complete(String scope, String key, int status, String body) {
        jdbc.sql("UPDATE idempotency_keys SET state = ?, response_status = ?, response_body = ? "
                        + "WHERE scope = ? AND idempotency_key = ?")
                .params(IdempotencyService.COMPLETED, status, body, scope, key)
                .update();
    }

    /**
     * Gives back a claim that stored no answer. Only a claim made no later than {@code claimedAt}: after the
     * database failed, a later claim of the same key by another request may stand in its place.
     */
    void release(String scope, String key, Instant claimedAt) {
        jdbc.sql("DELETE FROM idempotency_keys WHERE scope = ? AND idempotency_key = ? AND state = ? "
                        + "AND created_at <= ?")
                .params(scope, key, IdempotencyService.IN_PROGRESS, db(claimedAt))
                .update();
    }

    /**
     * Removes an entry that no longer holds its key: expired, or a claim whose holder died mid-request (it never
     * stored an answer). Answers whether there was one, so that the key can be claimed afresh.
     */
    boolean deleteIfVacant(String scope, String key, Instant now, Instant claimedBefore) {
        return jdbc.sql("DELETE FROM idempotency_keys WHERE scope = ? AND idempotency_key = ? "
                                + "AND (expires_at < ? OR (state = ? AND created_at < ?))")
                        .params(scope, key, db(now), IdempotencyService.IN_PROGRESS, db(claimedBefore))
                        .update()
                > 0;
    }

    int deleteExpired(Instant now) {
        return jdbc.sql("DELETE FROM idempotency_keys WHERE expires_at < ?")
                .param(db(now))
                .update();
    }
}
