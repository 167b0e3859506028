package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.spring.AlipayGatewayHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code alipay} health contributor: the starter's TCP reachability check of the gateway the service
 * actually uses (in demo mode, known once the web server has its port). Part of the readiness group only: an
 * Alipay outage should take the instance out of the load balancer, never get it restarted.
 */
@Component("alipayHealthIndicator")
public class AlipayReachability implements HealthIndicator {

    private final AlipayGateway gateway;
    private volatile AlipayGatewayHealthIndicator indicator;
    private volatile AlipayConfig checked;

    public AlipayReachability(AlipayGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Health health() {
        AlipayConfig config;
        try {
            config = gateway.client().config();
        } catch (IllegalStateException notYet) {
            return Health.outOfService().withDetail("reason", "not connected to Alipay yet").build();
        }
        if (config != checked) {
            indicator = new AlipayGatewayHealthIndicator(config);
            checked = config;
        }
        return indicator.health();
    }
}
