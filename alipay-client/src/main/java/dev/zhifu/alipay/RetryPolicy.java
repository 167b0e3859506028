package dev.zhifu.alipay;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to call again and how long to wait, as plain functions. Only requests that say they are safe to
 * repeat are retried (query, close, cancel, refund with its {@code out_request_no}, refund query, bill URL);
 * never a call whose repetition could charge twice.
 *
 * @param maxAttempts    total attempts including the first (1 disables retries)
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff     cap of the exponential growth
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1..10, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be 0 <= initial <= max");
        }
    }

    /** 3 attempts, 200 ms doubling up to 2 s, with full jitter. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** Whether attempt {@code attempt} (1-based) that failed with {@code failure} may be repeated. */
    public boolean shouldRetry(boolean requestIsRepeatable, int attempt, AlipayException failure) {
        if (!requestIsRepeatable || attempt >= maxAttempts) {
            return false;
        }
        if (failure instanceof AlipayTransportException transport) {
            int status = transport.httpStatus();
            return status == -1 || status == 429 || status >= 500;
        }
        if (failure instanceof AlipayGatewayException gateway) {
            // 10003 belongs to alipay.trade.pay, which is never repeatable; the others are "try again"
            return gateway.isResultUnknown() && !"10003".equals(gateway.code());
        }
        return false;
    }

    /** Exponential backoff with "full jitter": uniformly random in [0, min(max, initial * 2^(attempt-1))]. */
    public Duration backoff(int attempt, double random01) {
        long initial = initialBackoff.toMillis();
        long ceiling = Math.min(maxBackoff.toMillis(), initial << Math.min(attempt - 1, 20));
        return Duration.ofMillis((long) (ceiling * random01));
    }

    Duration backoff(int attempt) {
        return backoff(attempt, ThreadLocalRandom.current().nextDouble());
    }
}
