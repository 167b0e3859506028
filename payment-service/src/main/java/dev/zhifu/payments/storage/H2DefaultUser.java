package dev.zhifu.payments.storage;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * H2's user {@code sa} with an empty password, for H2 URLs only (the demo's file database among them), and only
 * when {@code spring.datasource.username} is not given. Set for every URL in application.properties, it made a
 * PostgreSQL URL without a user fail with {@code role "sa" does not exist}; now such a URL works as it is (the
 * driver's own default user, e.g. the operating-system user for PostgreSQL). Registered in
 * {@code META-INF/spring.factories}.
 */
public class H2DefaultUser implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "h2DefaultUser";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.datasource.url");
        if (url == null
                || !url.regionMatches(true, 0, "jdbc:h2:", 0, 8)
                || environment.containsProperty("spring.datasource.username")) {
            return;
        }
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.datasource.username", "sa");
        if (!environment.containsProperty("spring.datasource.password")) {
            defaults.put("spring.datasource.password", "");
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read: they may set the URL
    }
}
