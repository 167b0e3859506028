package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.http.SandboxServlet;
import io.micrometer.observation.ObservationPredicate;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Demo mode: the offline Alipay and WeChat Pay gateway runs inside this process under {@code /sandbox/*}, with
 * keys generated
 * once under the data directory, so the whole payment flow works on a laptop with no settings at all.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DemoMode.class)
public class DemoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DemoConfiguration.class);

    @Bean
    DemoKeys demoKeys(PaymentsProperties payments) {
        return DemoKeys.loadOrCreate(payments.dataDir());
    }

    @Bean(destroyMethod = "close")
    AlipaySandbox alipaySandbox(DemoKeys keys, AlipayProperties alipay, PaymentsProperties payments, Clock clock) {
        // the service's clock, so that the sandbox's days (and so its bills) are the service's days
        AlipaySandbox.Builder builder = AlipaySandbox.builder()
                .clock(clock)
                .appPublicKey(keys.appPublicKey())
                .alipayPrivateKey(keys.alipayPrivateKey())
                .basePath("/sandbox")
                .userPayingDelay(payments.demo().buyerConfirmDelay())
                // the demo's database outlives the process: so do the trades Alipay would remember
                .stateFile(java.nio.file.Path.of(payments.dataDir(), "sandbox-trades.jsonl"))
                // WeChat Pay's side with the demo's kept keys: no key pair is generated at start-up
                .wechatMerchantPublicKey(AlipayKeys.publicKeyOf(keys.wechatMerchantPrivateKey()))
                .wechatPrivateKey(keys.wechatPlatformPrivateKey())
                .wechatApiV3Key(keys.wechatApiV3Key());
        if (alipay.sellerId() != null && !alipay.sellerId().isBlank()) {
            builder.sellerId(alipay.sellerId().strip());
        }
        if (alipay.appId() != null && !alipay.appId().isBlank()) {
            builder.appId(alipay.appId().strip());
        }
        // mounted, not started: still close expired trades on time and notify, as Alipay does on its own
        return builder.build().startBackgroundWork();
    }

    /**
     * The mounted sandbox stands in for Alipay: its requests are not this service's traffic. Without this each
     * Alipay call of the service would also count as a server request here, with a span and a timer of its own.
     */
    @Bean
    ObservationPredicate sandboxRequestsAreNotObserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && server.getCarrier() != null
                && server.getCarrier().getRequestURI().startsWith("/sandbox/"));
    }

    @Bean
    ServletRegistrationBean<SandboxServlet> sandboxServlet(AlipaySandbox sandbox) {
        ServletRegistrationBean<SandboxServlet> registration =
                new ServletRegistrationBean<>(new SandboxServlet(sandbox.handler()), "/sandbox/*");
        registration.setName("alipaySandbox");
        return registration;
    }

    @Bean
    DemoConnector demoConnector(
            AlipayGateway gateway,
            AlipaySandbox sandbox,
            DemoKeys keys,
            AlipayProperties alipay,
            PaymentsProperties payments) {
        return new DemoConnector(gateway, sandbox, keys, alipay, payments);
    }

    /** Connects the client to the in-process gateway once the port is known, and says how to try it. */
    public static final class DemoConnector {
        private final AlipayGateway gateway;
        private final AlipaySandbox sandbox;
        private final DemoKeys keys;
        private final AlipayProperties alipay;
        private final PaymentsProperties payments;
        private volatile String base;

        @org.springframework.beans.factory.annotation.Autowired
        private org.springframework.core.env.Environment environment;

        DemoConnector(
                AlipayGateway gateway,
                AlipaySandbox sandbox,
                DemoKeys keys,
                AlipayProperties alipay,
                PaymentsProperties payments) {
            this.gateway = gateway;
            this.sandbox = sandbox;
            this.keys = keys;
            this.alipay = alipay;
            this.payments = payments;
        }

        @EventListener
        public void onServer(WebServerInitializedEvent event) {
            if (event.getApplicationContext().getServerNamespace() != null) {
                return; // a management server on its own port
            }
            String local = "http://localhost:" + event.getWebServer().getPort();
            String publicUrl =
                    payments.publicUrl() != null && !payments.publicUrl().isBlank()
                            ? payments.publicUrl().strip()
                            : local;
            String notifyUrl = alipay.notifyUrl() != null && !alipay.notifyUrl().isBlank()
                    ? alipay.notifyUrl().strip()
                    : publicUrl + "/notify/alipay";
            AlipayConfig.Builder config = AlipayConfig.builder()
                    .appId(sandbox.appId())
                    .gatewayUrl(local + "/sandbox/gateway.do")
                    .appPrivateKey(AlipayKeys.toPem(keys.appPrivateKey()))
                    .alipayPublicKey(AlipayKeys.toPem(keys.alipayPublicKey()))
                    .notifyUrl(notifyUrl)
                    .readTimeout(alipay.readTimeout());
            gateway.connect(config, publicUrl); // the gateway adds its call settings and listeners
            this.base = local;
        }

        /** Where the demo can be reached from: /sandbox/* pays any trade without a key (DemoListensOnLoopback). */
        private String listens() {
            String address = environment.getProperty("server.address");
            if (address == null || address.isBlank() || address.equals("0.0.0.0") || address.equals("::")) {
                return "on every interface: anyone who reaches this port can pay trades through /sandbox/*";
            }
            if (address.equals("127.0.0.1")) {
                return "on 127.0.0.1 only (--server.address=0.0.0.0 opens it, /sandbox/* included, to the network)";
            }
            return "on " + address;
        }

        private boolean adminPasswordConfigured() {
            String configured = environment.getProperty("payments.admin.password");
            return configured != null && !configured.isBlank();
        }

        @EventListener(ApplicationReadyEvent.class)
        public void announce() {
            // only the generated demo key is printed; keys someone configured stay out of the log
            boolean generated = payments.apiKeys().isEmpty();
            // the demo's API key is the one these keys hold (security.ApiKeysConfiguration)
            String key = generated ? keys.apiKey() : "<one of payments.api-keys>";
            if (generated) {
                dev.zhifu.payments.operations.LogRedaction.shown(key);
            }
            String adminPassword = adminPasswordConfigured()
                    ? "<payments.admin.password>"
                    : DemoKeys.adminPassword(payments.dataDir());
            log.info(
                    """

                    ==================================================================================
                     payment-service DEMO MODE: the Alipay and WeChat Pay sandbox runs in this process
                       gateway   {}/sandbox/gateway.do      (demo keys in {})
                       API docs  {}/swagger-ui.html
                       API key   {}
                       shop      {}/            admin {}/admin  (password {})
                       listens   {}
                     Try it:
                       curl -s -X POST {}/api/v1/payments -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' -d '{"amount":"9.90","subject":"Coffee","method":"qr"}'
                     Then let the sandbox's buyer pay it:
                       curl -s -X POST {}/sandbox/trades/<out_trade_no>/pay
                     WeChat Pay too: "method":"wechat_native" (or any_qr: one code for either wallet)
                    ==================================================================================""",
                    base,
                    keys.dir().toAbsolutePath().normalize(),
                    base,
                    key,
                    base,
                    base,
                    adminPassword,
                    listens(),
                    base,
                    key,
                    base);
        }
    }
}
