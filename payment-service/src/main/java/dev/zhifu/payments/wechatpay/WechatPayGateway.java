package dev.zhifu.payments.wechatpay;

import dev.zhifu.payments.jobs.CallBudget;
import dev.zhifu.wechatpay.WechatPayApiException;
import dev.zhifu.wechatpay.WechatPayClient;
import dev.zhifu.wechatpay.WechatPayException;
import dev.zhifu.wechatpay.WechatPayTransportException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The service's way to WeChat Pay, as {@code alipay.AlipayGateway} is to Alipay: the client in use, the address
 * WeChat Pay notifies, and every call bounded by the same rules (the background call budget, a concurrency limit
 * and a circuit breaker; a refused call was not sent: its outcome is known). Disabled when no merchant is
 * configured: then every WeChat Pay method is refused with {@code wechatpay_not_configured}.
 */
public final class WechatPayGateway {

    private static final int MAX_CONCURRENT = 32;

    private final CallBudget budget;
    private final CircuitBreaker breaker;
    private final Semaphore concurrent = new Semaphore(MAX_CONCURRENT);
    private volatile Ready ready;
    private volatile boolean enabled;

    private record Ready(WechatPayClient client, String notifyUrl) {}

    /** @param budget counts the calls of background work; null: none counted */
    public WechatPayGateway(CallBudget budget) {
        this.budget = budget;
        this.breaker = CircuitBreaker.of(
                "wechatpay",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(20)
                        .minimumNumberOfCalls(10)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(Duration.ofSeconds(30))
                        .permittedNumberOfCallsInHalfOpenState(3)
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        .build());
    }

    /** Makes {@code client} the one in use (start-up, and the demo once the port is known). */
    public void connect(WechatPayClient client, String notifyUrl) {
        this.ready = new Ready(client, notifyUrl);
        this.enabled = true;
    }

    /** Whether WeChat Pay payments can be taken (a merchant configured, or the demo's sandbox). */
    public boolean isEnabled() {
        return enabled;
    }

    public WechatPayClient client() {
        Ready r = ready;
        if (r == null) {
            throw new IllegalStateException(
                    "WeChat Pay is not connected (wechatpay.mchid unset, or the demo is starting)");
        }
        return r.client();
    }

    public String notifyUrl() {
        client();
        return ready.notifyUrl();
    }

    public String mchid() {
        return client().config().mchid();
    }

    public String appid() {
        return client().config().appId();
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /**
     * Calls WeChat Pay through the budget, the concurrency limit and the circuit breaker.
     *
     * @throws WechatPayException as the client does; when refused here, a {@link WechatPayTransportException} whose
     *                            outcome is known (not sent)
     */
    public <R> R execute(Function<WechatPayClient, R> call) {
        WechatPayClient client = client();
        if (budget != null && budget.appliesToThisThread() && !budget.tryAcquire()) {
            throw notSent("background work made its " + budget.perSecond() + " gateway calls of this second "
                    + "(payments.sync.max-calls-per-second)");
        }
        if (!breaker.tryAcquirePermission()) {
            throw notSent("the circuit breaker is open after repeated WeChat Pay failures");
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
            throw notSent(MAX_CONCURRENT + " WeChat Pay calls are already in progress");
        }
        long started = System.nanoTime();
        try {
            R result = call.apply(client);
            breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return result;
        } catch (WechatPayException e) {
            if (isGatewayFailure(e)) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            } else {
                breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS); // WeChat Pay answered
            }
            throw e;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            throw e;
        } finally {
            concurrent.release();
        }
    }

    /** No usable answer (as opposed to WeChat Pay refusing the request with a 4xx and its code). */
    static boolean isGatewayFailure(WechatPayException e) {
        return !(e instanceof WechatPayApiException api) || api.status() >= 500;
    }

    private static WechatPayTransportException notSent(String why) {
        return new WechatPayTransportException("WeChat Pay unavailable: " + why + "; nothing was sent", false, null);
    }
}
