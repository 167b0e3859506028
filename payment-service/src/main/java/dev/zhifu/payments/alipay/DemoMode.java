package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.spring.AlipayProperties;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Demo mode: {@code alipay.gateway-url} is absent or blank. */
public class DemoMode implements Condition {

    public static boolean isDemo(AlipayProperties alipay) {
        return isDemo(alipay.gatewayUrl());
    }

    private static boolean isDemo(String gatewayUrl) {
        return gatewayUrl == null || gatewayUrl.isBlank();
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return isDemo(context.getEnvironment().getProperty("alipay.gateway-url"));
    }
}
