package dev.zhifu.payments.idempotency;

import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.web.ProblemHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key}: the key is claimed by inserting it (the primary key makes concurrent claims answer
 * once), the request runs, and its answer is stored with the request's hash. A repeat with the same body gets
 * the stored answer without calling Alipay again; a repeat with another body gets 422
 * {@code idempotency_key_reused}; a repeat while the first is still running waits for its answer.
 */
@Service
public class IdempotencyService {

    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private static final Logger log = LoggerFactory.getLogger(IdempotencyService.class);
    /** Far longer than any request runs (Alipay calls time out within a minute): a claim this old was abandoned. */
    static final java.time.Duration ABANDONED = java.time.Duration.ofMinutes(5);

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final IdempotencyRepository repository;
    private final JsonMapper json;
    private final PaymentsProperties properties;
    private final Clock clock;
    private final OwedReleases owed = new OwedReleases();

    public IdempotencyService(
            IdempotencyRepository repository, JsonMapper json, PaymentsProperties properties, Clock clock) {
        this.repository = repository;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Runs {@code call} at most once per key and scope.
     *
     * @param key         the header's value, or null to run the call as it is
     * @param scope       the call, e.g. {@code POST /api/v1/payments}
     * @param requestHash the canonical request's hash
     */
    public ResponseEntity<?> run(String key, String scope, String requestHash, Supplier<ResponseEntity<?>> call) {
        if (key == null) {
            return call.get();
        }
        if (!KEY.matcher(key).matches()) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "idempotency_key_invalid",
                    "Idempotency-Key: 1-255 printable ASCII characters without spaces");
        }
        long waitUntil = System.nanoTime() + properties.idempotencyWait().toNanos();
        while (true) {
            Instant now = clock.instant();
            try {
                // a new key is the common case: one statement to claim it, the clean-up only when it is taken
                repository.insert(scope, key, requestHash, now, now.plus(properties.idempotencyRetention()));
                return runClaimed(key, scope, now, call);
            } catch (DuplicateKeyException taken) {
                if (repository.deleteIfVacant(scope, key, now, now.minus(ABANDONED))) {
                    continue; // expired, or abandoned by a holder that died: claim it afresh
                }
                IdempotencyRepository.Entry entry = repository.find(scope, key).orElse(null);
                if (entry == null) {
                    continue; // the holder failed and released it: claim it ourselves
                }
                if (!entry.requestHash().equals(requestHash)) {
                    throw ApiException.unprocessable(
                            "idempotency_key_reused", "This Idempotency-Key was used with a different request");
                }
                if (entry.completed()) {
                    return replay(entry);
                }
                if (System.nanoTime() - waitUntil > 0) {
                    throw ApiException.conflict(
                            "idempotency_request_in_progress",
                            "A request with this Idempotency-Key is still being processed; retry shortly");
                }
                pause();
            }
        }
    }

    private ResponseEntity<?> runClaimed(
            String key, String scope, Instant claimedAt, Supplier<ResponseEntity<?>> call) {
        ResponseEntity<?> answer;
        try {
            answer = call.get();
        } catch (ApiException refused) {
            if (refused.status().is4xxClientError()) {
                // a definite answer about this request: the same request gets it again
                var problem = ProblemHandler.response(refused).getBody();
                repository.complete(
                        scope, key, refused.status().value(), json.writeValueAsString(ProblemHandler.asMap(problem)));
            } else {
                release(scope, key, claimedAt); // nothing definite happened: let a retry run again
            }
            throw refused;
        } catch (RuntimeException | Error e) {
            release(scope, key, claimedAt);
            throw e;
        }
        if (answer.getStatusCode().is5xxServerError()) {
            release(scope, key, claimedAt);
        } else {
            repository.complete(scope, key, answer.getStatusCode().value(), json.writeValueAsString(answer.getBody()));
        }
        return answer;
    }

    /**
     * Gives the claim back so that a retry runs again. When the database fails with the request, the claim is
     * owed and given back by {@link #releaseOwed()} once the database answers; the request's own error is what
     * its caller sees either way.
     */
    private void release(String scope, String key, Instant claimedAt) {
        try {
            repository.release(scope, key, claimedAt);
        } catch (DataAccessException databaseFailed) {
            if (owed.add(scope, key, claimedAt)) {
                log.debug("Idempotency-Key claim kept while the database fails; given back when it answers");
            } else {
                log.warn("{} Idempotency-Key claims owed already: this one is left to expire", OwedReleases.LIMIT);
            }
        }
    }

    /** Gives back the claims owed, oldest rule first: one past {@link #ABANDONED} is anyone's to take anyway. */
    @Scheduled(fixedDelayString = "PT1S", initialDelayString = "PT1S")
    public void releaseOwed() {
        if (owed.isEmpty()) {
            return;
        }
        Instant abandonedBefore = clock.instant().minus(ABANDONED);
        for (var claim : owed.snapshot().entrySet()) {
            Instant claimedAt = claim.getValue();
            if (claimedAt.isAfter(abandonedBefore)) {
                try {
                    repository.release(claim.getKey().scope(), claim.getKey().key(), claimedAt);
                } catch (DataAccessException stillFailing) {
                    return; // the next round tries again
                }
            }
            owed.remove(claim.getKey(), claimedAt);
        }
    }

    /** Claims owed to the database (for tests and the log). */
    int owedReleases() {
        return owed.size();
    }

    private ResponseEntity<?> replay(IdempotencyRepository.Entry entry) {
        HttpStatus status = HttpStatus.valueOf(entry.responseStatus());
        MediaType type = status.isError() ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON;
        return ResponseEntity.status(status)
                .contentType(type)
                .header(REPLAYED_HEADER, "true")
                .body(entry.responseBody());
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.conflict("idempotency_request_in_progress", "interrupted while waiting");
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public void purgeExpired() {
        int removed = repository.deleteExpired(clock.instant());
        if (removed > 0) {
            log.info("Removed {} expired idempotency keys", removed);
        }
    }
}
