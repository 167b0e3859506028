package dev.zhifu.alipay.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code alipay} health indicator, when the application has Spring Boot's health support and an Alipay client. */
@AutoConfiguration(after = AlipayAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AlipayClientSource.class)
@ConditionalOnEnabledHealthIndicator("alipay")
public class AlipayHealthAutoConfiguration {

    @Bean(name = "alipayHealthIndicator")
    @ConditionalOnMissingBean(name = "alipayHealthIndicator")
    public AlipayGatewayHealthIndicator alipayHealthIndicator(AlipayClientSource source) {
        return new AlipayGatewayHealthIndicator(source);
    }
}
