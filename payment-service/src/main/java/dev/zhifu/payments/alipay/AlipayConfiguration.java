package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.AlipayCallListener;
import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.payments.PaymentsProperties;
import dev.zhifu.payments.operations.AlipayCallTracing;
import dev.zhifu.payments.security.ApiKeyFilter;
import dev.zhifu.payments.security.ApiKeys;
import java.net.URI;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires Alipay and the API keys for both modes. Production is checked here, before anything listens.
 */
@Configuration(proxyBeanMethods = false)
public class AlipayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AlipayGateway alipayGateway(AlipayProperties alipay, PaymentsProperties payments,
                                ObjectProvider<AlipayCallListener> listeners) {
        if (alipay.demo()) {
            // completed by DemoConfiguration once the server's port is known
            return new AlipayGateway(true, alipay.sellerId());
        }
        AlipayConfig config = ProductionSettings.check(alipay, payments, AlipayCallTracing.fanOut(listeners));
        AlipayGateway gateway = new AlipayGateway(false, alipay.sellerId());
        String publicUrl = payments.publicUrl() != null && !payments.publicUrl().isBlank() ? payments.publicUrl().strip()
                : origin(config.notifyUrl());
        gateway.connect(new AlipayClient(config), publicUrl, config.notifyUrl());
        return gateway;
    }

    @Bean
    ApiKeys apiKeys(AlipayProperties alipay, PaymentsProperties payments, AlipayGateway checkedFirst) {
        // the gateway bean checks production settings, api keys included, and reports every problem at once
        if (!payments.apiKeys().isEmpty()) {
            return new ApiKeys(payments.apiKeys());
        }
        if (alipay.demo()) {
            return new ApiKeys(java.util.List.of(DemoKeys.loadOrCreate(payments.dataDir()).apiKey()));
        }
        throw new ConfigurationProblems(java.util.List.of("payments.api-keys is required outside demo mode"));
    }

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys, JsonMapper json) {
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(new ApiKeyFilter(keys, json));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(-100);
        return registration;
    }

    /** {@code https://shop.example.com} of {@code https://shop.example.com/notify/alipay}. */
    static String origin(String notifyUrl) {
        URI uri = URI.create(notifyUrl);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = path.endsWith("/notify/alipay") ? path.substring(0, path.length() - "/notify/alipay".length()) : "";
        return uri.getScheme() + "://" + uri.getRawAuthority() + prefix;
    }
}
