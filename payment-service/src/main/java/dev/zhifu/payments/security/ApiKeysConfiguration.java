package dev.zhifu.payments.security;

import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.ConfigurationProblems;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.alipay.DemoMode;
import dev.zhifu.payments.config.PaymentsProperties;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The bearer keys of {@code /api/**}: {@code payments.api-keys}, or in demo mode the demo's generated key. */
@Configuration(proxyBeanMethods = false)
public class ApiKeysConfiguration {

    @Bean
    ApiKeys apiKeys(AlipayProperties alipay, PaymentsProperties payments, AlipayGateway checkedFirst) {
        // the gateway bean checks production settings, api keys included, and reports every problem at once
        if (!payments.apiKeys().isEmpty()) {
            return new ApiKeys(payments.apiKeys());
        }
        if (DemoMode.isDemo(alipay)) {
            return new ApiKeys(List.of(DemoKeys.loadOrCreate(payments.dataDir()).apiKey()));
        }
        throw new ConfigurationProblems(List.of("payments.api-keys is required outside demo mode"));
    }
}
