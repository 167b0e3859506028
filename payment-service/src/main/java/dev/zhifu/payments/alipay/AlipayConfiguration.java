package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.AlipayCallListener;
import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.jobs.CallBudget;
import dev.zhifu.payments.operations.AlipayCallTracing;
import java.net.URI;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Alipay and the API keys for both modes. Production is checked here, before anything listens.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlipayCallProperties.class)
public class AlipayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The service's way to Alipay. Being an {@code AlipayClientSource}, it takes precedence over the starter's own
     * client ({@code @ConditionalOnMissingBean}), and the starter's {@code alipay} health indicator checks its gateway.
     *
     * @param listeners every {@link AlipayCallListener} bean is told about each gateway call attempt (metrics, tests)
     * @param keySource a KMS or secret manager for the app key, when the application declares one
     */
    @Bean
    AlipayGateway alipayGateway(
            AlipayProperties alipay,
            PaymentsProperties payments,
            AlipayCallProperties calls,
            ObjectProvider<AlipayCallListener> listeners,
            ObjectProvider<AlipayKeySource> keySource,
            CallBudget budget) {
        AlipayGateway gateway = new AlipayGateway(
                DemoMode.isDemo(alipay), alipay.sellerId(), calls, AlipayCallTracing.fanOut(listeners), budget);
        if (DemoMode.isDemo(alipay)) {
            return gateway; // completed by DemoConfiguration once the server's port is known
        }
        AlipayConfig.Builder config = ProductionSettings.builder(alipay, payments, keySource.getIfAvailable());
        String notifyUrl = alipay.notifyUrl().strip();
        String publicUrl = payments.publicUrl() != null && !payments.publicUrl().isBlank()
                ? payments.publicUrl().strip()
                : origin(notifyUrl);
        gateway.connect(config, publicUrl);
        return gateway;
    }

    /** 1 while the circuit breaker refuses gateway calls ({@code payments_alipay_circuit_open}). */
    @Bean
    io.micrometer.core.instrument.Gauge alipayCircuitGauge(
            AlipayGateway gateway, io.micrometer.core.instrument.MeterRegistry meters) {
        return io.micrometer.core.instrument.Gauge.builder(
                        "payments.alipay.circuit.open",
                        gateway,
                        g -> g.circuitBreaker().getState()
                                        == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN
                                ? 1
                                : 0)
                .description("1 while calls to Alipay are refused by the circuit breaker")
                .register(meters);
    }

    /** The breaker's state for {@code alipay_circuit_state} (operations.AlipayCircuit). */
    @Bean
    dev.zhifu.payments.operations.AlipayCircuit.State alipayCircuitState(AlipayGateway gateway) {
        return () -> gateway.circuitBreaker().getState().name();
    }

    /** {@code https://shop.example.com} of {@code https://shop.example.com/notify/alipay}. */
    static String origin(String notifyUrl) {
        URI uri = URI.create(notifyUrl);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix =
                path.endsWith("/notify/alipay") ? path.substring(0, path.length() - "/notify/alipay".length()) : "";
        return uri.getScheme() + "://" + uri.getRawAuthority() + prefix;
    }
}
