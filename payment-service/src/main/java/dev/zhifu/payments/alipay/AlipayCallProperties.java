package dev.zhifu.payments.alipay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code alipay.calls.*}: how gateway calls are bounded, so that a slow or failing Alipay cannot exhaust the
 * service. Every call has a connect and a read timeout ({@code alipay.read-timeout}); only calls safe to repeat
 * (query, close, cancel, refund with its {@code out_request_no}, refund query) are retried, by the client, never
 * {@code alipay.trade.pay}.
 *
 * @param connectTimeout how long connecting to the gateway may take
 * @param maxAttempts    attempts of a call safe to repeat, the first included (1 = no retries)
 * @param maxConcurrent  gateway calls in progress at once; one more is refused at once as {@code alipay_unavailable}
 * @param circuitBreaker when to stop calling a failing gateway for a while
 */
@ConfigurationProperties("alipay.calls")
public record AlipayCallProperties(
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("32") int maxConcurrent,
        @DefaultValue CircuitBreaker circuitBreaker) {

    public AlipayCallProperties {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("alipay.calls.max-attempts: 1 to 10, got " + maxAttempts);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("alipay.calls.max-concurrent: at least 1, got " + maxConcurrent);
        }
    }

    /**
     * Resilience4j circuit breaker over the last {@code window} calls: once at least {@code minimumCalls} were made
     * and {@code failureRate} % of them failed (no answer, time-out, HTTP 5xx, {@code ACQ.SYSTEM_ERROR} / 20000,
     * unreadable answer; business refusals such as {@code ACQ.TRADE_NOT_EXIST} are answers, not failures), calls are
     * refused without being sent for {@code openFor}, then {@code halfOpenCalls} trial calls decide.
     */
    public record CircuitBreaker(
            @DefaultValue("50") float failureRate,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("20") int window,
            @DefaultValue("30s") Duration openFor,
            @DefaultValue("3") int halfOpenCalls) {}
}
