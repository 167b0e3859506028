package dev.zhifu.payments.wechatpay;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.alipay.DemoMode;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.jobs.CallBudget;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.wechatpay.WechatPayClient;
import dev.zhifu.wechatpay.WechatPayConfig;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * WeChat Pay for both modes. Production ({@code alipay.gateway-url} set): on when {@code wechatpay.mchid} is set,
 * every setting checked before anything listens ({@link WechatPayProductionSettings}). Demo: always on, connected to the
 * embedded sandbox's WeChat Pay side once the web server's port is known.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WechatPayProperties.class)
public class WechatPayConfiguration {

    @Bean
    WechatPayGateway wechatPayGateway(
            WechatPayProperties wechat, AlipayProperties alipay, PaymentsProperties payments, CallBudget budget) {
        WechatPayGateway gateway = new WechatPayGateway(budget);
        if (DemoMode.isDemo(alipay)) {
            return gateway; // the demo's is connected once the port is known
        }
        if (!wechat.configured()) {
            String meantToBeOn = WechatPayProductionSettings.offButConfigured(wechat);
            if (meantToBeOn != null) {
                throw new dev.zhifu.payments.alipay.ConfigurationProblems(java.util.List.of(meantToBeOn));
            }
            return gateway; // production without a merchant: off
        }
        WechatPayConfig config = WechatPayProductionSettings.check(wechat, payments);
        gateway.connect(new WechatPayClient(config), wechat.notifyUrl().strip());
        return gateway;
    }

    /** 1 while calls to WeChat Pay are refused by the circuit breaker ({@code payments_wechatpay_circuit_open}). */
    @Bean
    io.micrometer.core.instrument.Gauge wechatPayCircuitGauge(
            WechatPayGateway gateway, io.micrometer.core.instrument.MeterRegistry meters) {
        return io.micrometer.core.instrument.Gauge.builder(
                        "payments.wechatpay.circuit.open",
                        gateway,
                        g -> g.circuitBreaker().getState()
                                        == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN
                                ? 1
                                : 0)
                .description("1 while calls to WeChat Pay are refused by the circuit breaker")
                .register(meters);
    }

    @Bean
    DemoWechatConnector demoWechatConnector(
            WechatPayGateway gateway,
            ObjectProvider<AlipaySandbox> sandbox,
            ObjectProvider<DemoKeys> keys,
            WechatPayProperties wechat,
            PaymentsProperties payments) {
        return new DemoWechatConnector(gateway, sandbox, keys, wechat, payments);
    }

    /** In demo mode, connects WeChat Pay to the sandbox in this process once the port is known. */
    public static final class DemoWechatConnector {
        private final WechatPayGateway gateway;
        private final ObjectProvider<AlipaySandbox> sandbox;
        private final ObjectProvider<DemoKeys> keys;
        private final WechatPayProperties wechat;
        private final PaymentsProperties payments;

        DemoWechatConnector(
                WechatPayGateway gateway,
                ObjectProvider<AlipaySandbox> sandbox,
                ObjectProvider<DemoKeys> keys,
                WechatPayProperties wechat,
                PaymentsProperties payments) {
            this.gateway = gateway;
            this.sandbox = sandbox;
            this.keys = keys;
            this.wechat = wechat;
            this.payments = payments;
        }

        @EventListener
        public void onServer(WebServerInitializedEvent event) {
            AlipaySandbox box = sandbox.getIfAvailable();
            DemoKeys demo = keys.getIfAvailable();
            if (box == null || demo == null || event.getApplicationContext().getServerNamespace() != null) {
                return; // production, or a management server on its own port
            }
            String local = "http://localhost:" + event.getWebServer().getPort();
            String publicUrl =
                    payments.publicUrl() != null && !payments.publicUrl().isBlank()
                            ? payments.publicUrl().strip()
                            : local;
            String notifyUrl = wechat.notifyUrl() != null && !wechat.notifyUrl().isBlank()
                    ? wechat.notifyUrl().strip()
                    : publicUrl + "/notify/wechatpay";
            var settings = box.wechatPay();
            WechatPayConfig config = WechatPayConfig.builder()
                    .mchid(settings.mchid())
                    .appId(settings.appid())
                    .merchantSerialNumber(settings.merchantSerial())
                    .merchantPrivateKey(AlipayKeys.toPem(demo.wechatMerchantPrivateKey()))
                    .apiV3Key(settings.apiV3Key())
                    .wechatPayPublicKey(AlipayKeys.toPem(box.wechatPayPublicKey()), settings.publicKeyId())
                    .baseUrl(local + "/sandbox")
                    // the sandbox in this process signs with the service's clock; so must its answers be checked
                    .clock(event.getApplicationContext()
                            .getBeanProvider(java.time.Clock.class)
                            .getIfAvailable(java.time.Clock::systemUTC))
                    .readTimeout(wechat.readTimeout() == null ? Duration.ofSeconds(5) : wechat.readTimeout())
                    .build();
            gateway.connect(new WechatPayClient(config), notifyUrl);
        }
    }
}
