package dev.zhifu.payments.wechatpay;

import dev.zhifu.payments.jobs.CallBudget;
import dev.zhifu.payments.jobs.GatewayCalls;
import dev.zhifu.wechatpay.WechatPayApiException;
import dev.zhifu.wechatpay.WechatPayClient;
import dev.zhifu.wechatpay.WechatPayException;
import dev.zhifu.wechatpay.WechatPayTransportException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.function.Function;

/**
 * The service's way to WeChat Pay, as {@code alipay.AlipayGateway} is to Alipay: the client in use, the address
 * WeChat Pay notifies, and every call bounded by the same rules (the background call budget, a concurrency limit
 * and a circuit breaker; a refused call was not sent: its outcome is known). Disabled when no merchant is
 * configured: then every WeChat Pay method is refused with {@code wechatpay_not_configured}.
 */
public final class WechatPayGateway {

    private final GatewayCalls guard;
    private volatile Ready ready;
    private volatile boolean enabled;

    private record Ready(WechatPayClient client, String notifyUrl) {}

    /** @param budget counts the calls of background work; null: none counted */
    public WechatPayGateway(CallBudget budget) {
        // the same bounds as Alipay's defaults (alipay.calls.*)
        this.guard = new GatewayCalls(
                "wechatpay", new GatewayCalls.Breaker(50, 10, 20, Duration.ofSeconds(30), 3), 32, budget);
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
        return guard.circuitBreaker();
    }

    /**
     * Calls WeChat Pay through the budget, the concurrency limit and the circuit breaker.
     *
     * @throws WechatPayException as the client does; when refused here, a {@link WechatPayTransportException} whose
     *                            outcome is known (not sent)
     */
    public <R> R execute(Function<WechatPayClient, R> call) {
        WechatPayClient client = client();
        return guard.call(
                () -> call.apply(client),
                e -> !(e instanceof WechatPayException w) || isGatewayFailure(w),
                why -> new WechatPayTransportException("WeChat Pay unavailable: " + why, false, null));
    }

    /** No usable answer (as opposed to WeChat Pay refusing the request with a 4xx and its code). */
    static boolean isGatewayFailure(WechatPayException e) {
        return !(e instanceof WechatPayApiException api) || api.status() >= 500;
    }
}
