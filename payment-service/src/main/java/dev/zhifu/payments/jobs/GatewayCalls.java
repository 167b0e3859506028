package dev.zhifu.payments.jobs;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What every call to a payment gateway (Alipay, WeChat Pay) passes: the background call budget ({@link CallBudget}),
 * a limit on calls in progress at once, and a Resilience4j circuit breaker that stops calling a failing gateway for
 * a while. A call refused here was not sent; the caller's {@code notSent} turns the reason into its gateway's own
 * "unavailable, nothing happened" exception.
 */
public final class GatewayCalls {

    /** When the breaker opens: over the last {@code window} calls, {@code failureRate} % failed, at least {@code minimumCalls} made. */
    public record Breaker(float failureRate, int minimumCalls, int window, Duration openFor, int halfOpenCalls) {}

    private final String gateway;
    private final CallBudget budget;
    private final CircuitBreaker breaker;
    private final Semaphore concurrent;
    private final int maxConcurrent;

    /** @param budget counts the calls of background work; null: none counted */
    public GatewayCalls(String gateway, Breaker settings, int maxConcurrent, CallBudget budget) {
        this.gateway = gateway;
        this.budget = budget;
        this.maxConcurrent = maxConcurrent;
        this.concurrent = new Semaphore(maxConcurrent);
        this.breaker = CircuitBreaker.of(
                gateway,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(settings.window())
                        .minimumNumberOfCalls(settings.minimumCalls())
                        .failureRateThreshold(settings.failureRate())
                        .waitDurationInOpenState(settings.openFor())
                        .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        .build());
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /**
     * Makes the call if the budget, the breaker and the concurrency limit allow it.
     *
     * @param failure  whether a thrown exception means the gateway is failing (no usable answer), as opposed to it
     *                 refusing the request with an answer of its own
     * @param notSent  the exception to throw, given the reason, when the call is refused here
     */
    public <R> R call(
            Supplier<R> call, Predicate<RuntimeException> failure, Function<String, RuntimeException> notSent) {
        if (budget != null && budget.appliesToThisThread() && !budget.tryAcquire()) {
            throw notSent.apply("background work made its " + budget.perSecond() + " gateway calls of this second "
                    + "(payments.sync.max-calls-per-second); nothing was sent");
        }
        if (!breaker.tryAcquirePermission()) {
            throw notSent.apply(
                    "the circuit breaker is open after repeated " + gateway + " failures; nothing was sent");
        }
        boolean slot;
        try {
            slot = concurrent.tryAcquire(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            slot = false;
        }
        if (!slot) {
            breaker.releasePermission();
            throw notSent.apply(maxConcurrent + " gateway calls are already in progress; nothing was sent");
        }
        long started = System.nanoTime();
        try {
            R result = call.get();
            breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException e) {
            if (failure.test(e)) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            } else {
                breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS); // the gateway answered
            }
            throw e;
        } finally {
            concurrent.release();
        }
    }
}
