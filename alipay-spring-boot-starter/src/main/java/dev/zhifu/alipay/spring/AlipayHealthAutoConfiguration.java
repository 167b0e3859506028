package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.AlipayConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code alipay} health indicator, when the application has Spring Boot's health support. */
@AutoConfiguration(after = AlipayAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AlipayConfig.class)
@ConditionalOnEnabledHealthIndicator("alipay")
public class AlipayHealthAutoConfiguration {

    @Bean(name = "alipayHealthIndicator")
    @ConditionalOnMissingBean(name = "alipayHealthIndicator")
    public AlipayGatewayHealthIndicator alipayHealthIndicator(AlipayConfig config) {
        return new AlipayGatewayHealthIndicator(config);
    }
}
