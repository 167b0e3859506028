package dev.zhifu.payments.alipay;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Demo mode ({@link DemoMode}) listens on 127.0.0.1: its /sandbox/* control API pays any trade, injects faults
 * and hands out the demo's keys without asking who calls, so it must not be reachable from the network. The
 * address is a default of the lowest precedence: a {@code server.address} given anywhere (arguments,
 * environment, application.properties) wins, e.g. {@code --server.address=0.0.0.0} to show the demo to another
 * machine. Production mode is left as configured. Registered in {@code META-INF/spring.factories}.
 */
public class DemoListensOnLoopback implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "demoListensOnLoopback";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String gateway = environment.getProperty("alipay.gateway-url"); // as DemoMode decides
        if (gateway != null && !gateway.isBlank()) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of("server.address", "127.0.0.1")));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read: they may set the gateway
    }
}
