package dev.zhifu.payments.alipay;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Demo mode: {@code alipay.gateway-url} is absent or blank. */
public class DemoMode implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String gateway = context.getEnvironment().getProperty("alipay.gateway-url");
        return gateway == null || gateway.isBlank();
    }
}
