package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.AlipayCallListener;
import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.AlipayException;
import dev.zhifu.alipay.AlipayGatewayException;
import dev.zhifu.alipay.AlipayMalformedResponseException;
import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayTransportException;
import dev.zhifu.alipay.RetryPolicy;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.spring.AlipayClientSource;
import dev.zhifu.payments.jobs.CallBudget;
import dev.zhifu.payments.jobs.GatewayCalls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;

/**
 * The service's way to Alipay: the client, the verifier of notifications, and the addresses Alipay and the
 * buyer's browser use to reach us. In demo mode it is completed once the web server knows its port.
 *
 * <p>Every gateway call goes through {@link #execute}: at most {@code alipay.calls.max-concurrent} at once, and a
 * Resilience4j circuit breaker that stops calling a failing gateway for a while. A refused call was not sent: it
 * fails at once as an {@link AlipayTransportException} whose result is known (nothing happened at Alipay), which the
 * API answers 503 {@code alipay_unavailable} and the background jobs retry later.
 *
 * <p>The client is swapped atomically when keys are reloaded ({@link #connect}); a call in progress finishes with
 * the client it started with.
 */
public final class AlipayGateway implements AlipayClientSource {

    private final boolean demo;
    private final String sellerId;
    private final AlipayCallProperties calls;
    private final AlipayCallListener listener;
    private final GatewayCalls guard;
    private volatile Ready ready;

    private record Ready(AlipayClient client, NotificationVerifier verifier, String publicUrl, String notifyUrl) {}

    public AlipayGateway(boolean demo, String sellerId) {
        this(
                demo,
                sellerId,
                new AlipayCallProperties(
                        Duration.ofSeconds(3),
                        3,
                        32,
                        new AlipayCallProperties.CircuitBreaker(50, 10, 20, Duration.ofSeconds(30), 3)),
                AlipayCallListener.NONE,
                null);
    }

    /** @param budget counts the calls of background work ({@link CallBudget}); null: none counted */
    public AlipayGateway(
            boolean demo, String sellerId, AlipayCallProperties calls, AlipayCallListener listener, CallBudget budget) {
        this.demo = demo;
        this.sellerId = sellerId == null || sellerId.isBlank() ? null : sellerId.strip();
        this.calls = calls;
        this.listener = listener;
        AlipayCallProperties.CircuitBreaker cb = calls.circuitBreaker();
        this.guard = new GatewayCalls(
                "alipay",
                new GatewayCalls.Breaker(
                        cb.failureRate(), cb.minimumCalls(), cb.window(), cb.openFor(), cb.halfOpenCalls()),
                calls.maxConcurrent(),
                budget);
    }

    /**
     * Builds the client from {@code config} (adding timeouts, retries and the call listener) and makes it the one
     * in use. Called at start-up and on every key reload.
     */
    public void connect(AlipayConfig.Builder config, String publicUrl) {
        AlipayClient client = new AlipayClient(config.connectTimeout(calls.connectTimeout())
                .retryPolicy(new RetryPolicy(calls.maxAttempts(), Duration.ofMillis(200), Duration.ofSeconds(2)))
                .listener(listener)
                .build());
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.ready =
                new Ready(client, client.notifications(), base, client.config().notifyUrl());
    }

    /** Swaps in a client built from new key material, keeping the addresses. */
    public void reconnect(AlipayConfig.Builder config) {
        connect(config, ready().publicUrl());
    }

    private Ready ready() {
        Ready r = ready;
        if (r == null) {
            throw new IllegalStateException("Alipay is not connected yet (the demo waits for the web server's port)");
        }
        return r;
    }

    /**
     * Calls the gateway through the concurrency limit and the circuit breaker.
     *
     * @throws AlipayException as {@link AlipayClient#execute}; when refused here, an {@link AlipayTransportException}
     *                         with a known result (not sent)
     */
    public <R> R execute(AlipayRequest<R> request) {
        AlipayClient client = client();
        return guard.call(
                () -> client.execute(request),
                e -> !(e instanceof AlipayException a) || isGatewayFailure(a),
                why -> notSent(request, why));
    }

    /** No usable answer: the gateway (or the way to it) is failing, as opposed to Alipay refusing a request. */
    static boolean isGatewayFailure(AlipayException e) {
        return e instanceof AlipayTransportException
                || e instanceof AlipayMalformedResponseException
                || (e instanceof AlipayGatewayException g && g.isResultUnknown() && !"10003".equals(g.code()));
    }

    private static AlipayTransportException notSent(AlipayRequest<?> request, String why) {
        return new AlipayTransportException(request.method(), "Alipay unavailable: " + why, -1, false, null);
    }

    /** The circuit breaker, for metrics and tests. */
    public CircuitBreaker circuitBreaker() {
        return guard.circuitBreaker();
    }

    public boolean isDemo() {
        return demo;
    }

    /** The client in use now (browser and app payments are signed locally with it; calls go through execute). */
    @Override
    public AlipayClient client() {
        return ready().client();
    }

    public NotificationVerifier verifier() {
        return ready().verifier();
    }

    public String appId() {
        return ready().client().config().appId();
    }

    /** The configured seller id, or null when notifications are not checked for it. */
    public String sellerId() {
        return sellerId;
    }

    public String notifyUrl() {
        return ready().notifyUrl();
    }

    /** Where the buyer's browser lands after page / wap pay. */
    public String returnUrl() {
        return ready().publicUrl() + "/return/alipay";
    }

    public String publicUrl() {
        return ready().publicUrl();
    }
}
