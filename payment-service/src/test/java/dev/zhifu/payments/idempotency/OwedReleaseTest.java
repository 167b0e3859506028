package dev.zhifu.payments.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request whose database fails mid-way cannot give its Idempotency-Key back; the claim is owed and given back
 * once the database answers, so the client's retry runs instead of meeting 409 for minutes.
 */
class OwedReleaseTest {

    private static final String SCOPE = "POST /api/v1/payments";
    private static final String KEY = "order-42";
    private static final String HASH = "h1";

    /** idempotency_keys in memory, with a switch that makes every statement fail as a lost database does. */
    static final class KeysTable extends IdempotencyRepository {
        final Map<String, Entry> rows = new HashMap<>();
        boolean down;

        KeysTable() {
            super(null);
        }

        private void check() {
            if (down) {
                throw new DataAccessResourceFailureException("connection refused");
            }
        }

        @Override
        void insert(String scope, String key, String hash, Instant now, Instant expires) {
            check();
            if (rows.containsKey(key)) {
                throw new DuplicateKeyException(key);
            }
            rows.put(key, new Entry(scope, key, hash, IdempotencyService.IN_PROGRESS, null, null, now, expires));
        }

        @Override
        Optional<Entry> find(String scope, String key) {
            check();
            return Optional.ofNullable(rows.get(key));
        }

        @Override
        void complete(String scope, String key, int status, String body) {
            check();
            Entry e = rows.get(key);
            rows.put(
                    key,
                    new Entry(
                            scope,
                            key,
                            e.requestHash(),
                            IdempotencyService.COMPLETED,
                            status,
                            body,
                            e.createdAt(),
                            e.expiresAt()));
        }

        @Override
        void release(String scope, String key, Instant claimedAt) {
            check();
            Entry e = rows.get(key);
            if (e != null && !e.completed() && !e.createdAt().isAfter(claimedAt)) {
                rows.remove(key);
            }
        }

        @Override
        boolean deleteIfVacant(String scope, String key, Instant now, Instant claimedBefore) {
            check();
            Entry e = rows.get(key);
            boolean vacant = e != null
                    && (e.expiresAt().isBefore(now)
                            || (!e.completed() && e.createdAt().isBefore(claimedBefore)));
            if (vacant) {
                rows.remove(key);
            }
            return vacant;
        }
    }

    private final KeysTable table = new KeysTable();
    private Instant now = Instant.parse("2026-12-07T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final IdempotencyService service = new IdempotencyService(
            table,
            JsonMapper.builder().build(),
            new PaymentsProperties(
                    List.of(), null, null, "./data", null, Duration.ofHours(24), Duration.ofMillis(200), null, null),
            clock);

    /** The request: it loses its database half way through, as a create does when the connection drops. */
    private ResponseEntity<?> failingWithTheDatabase() {
        table.down = true;
        throw new DataAccessResourceFailureException("connection reset while storing the payment");
    }

    @Test
    void aClaimTheDatabaseTookDownWithItIsGivenBackWhenTheDatabaseReturns() {
        assertThatThrownBy(() -> service.run(KEY, SCOPE, HASH, this::failingWithTheDatabase))
                .as("the caller sees the request's own failure, not the failed clean-up")
                .hasMessageContaining("connection reset while storing the payment");
        assertThat(table.rows).containsKey(KEY);
        assertThat(service.owedReleases()).isEqualTo(1);

        service.releaseOwed(); // the database is still down: nothing changes, nothing is lost
        assertThat(service.owedReleases()).isEqualTo(1);

        table.down = false;
        service.releaseOwed();
        assertThat(service.owedReleases()).isZero();
        assertThat(table.rows).doesNotContainKey(KEY);

        AtomicInteger runs = new AtomicInteger();
        ResponseEntity<?> retry = service.run(KEY, SCOPE, HASH, () -> {
            runs.incrementAndGet();
            return ResponseEntity.status(201).body(Map.of("id", "pay_1"));
        });
        assertThat(retry.getStatusCode().value()).isEqualTo(201);
        assertThat(runs).hasValue(1);
    }

    @Test
    void withoutTheReleaseTheRetryWouldMeetTheClaim() {
        assertThatThrownBy(() -> service.run(KEY, SCOPE, HASH, this::failingWithTheDatabase))
                .isInstanceOf(DataAccessResourceFailureException.class);
        table.down = false;

        assertThatThrownBy(() ->
                        service.run(KEY, SCOPE, HASH, () -> ResponseEntity.ok().build()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("idempotency_request_in_progress"));
    }

    @Test
    void aClaimTakenAfreshByAnotherRequestIsNotGivenBack() {
        assertThatThrownBy(() -> service.run(KEY, SCOPE, HASH, this::failingWithTheDatabase))
                .isInstanceOf(DataAccessResourceFailureException.class);
        table.down = false;
        // the owed claim is past abandonment, another request took the key afresh and is still running
        now = now.plus(IdempotencyService.ABANDONED).plusSeconds(1);
        table.rows.clear();
        table.insert(SCOPE, KEY, HASH, now, now.plus(Duration.ofHours(24)));

        service.releaseOwed();

        assertThat(table.rows).containsKey(KEY);
        assertThat(service.owedReleases()).isZero();
    }

    @Test
    void aDefiniteRefusalIsStoredAndNotOwed() {
        assertThatThrownBy(() -> service.run(KEY, SCOPE, HASH, () -> {
                    throw ApiException.unprocessable("amount_invalid", "amount: at most 2 decimals");
                }))
                .isInstanceOf(ApiException.class);
        assertThat(service.owedReleases()).isZero();
        assertThat(table.rows.get(KEY).completed()).isTrue();
    }
}
