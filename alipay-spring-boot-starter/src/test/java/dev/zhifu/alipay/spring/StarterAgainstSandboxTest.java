package dev.zhifu.alipay.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.AlipayGatewayException;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.trade.PrecreateRequest;
import dev.zhifu.alipay.trade.QueryRequest;
import dev.zhifu.alipay.trade.TradeStatus;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.support.GenericApplicationContext;

/** A minimal Spring Boot application gets its AlipayClient from alipay.* properties and talks to the sandbox. */
class StarterAgainstSandboxTest {

    @RegisterExtension
    static AlipaySandboxExtension sandbox = new AlipaySandboxExtension();

    @SpringBootApplication
    static class ShopApplication {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(ShopApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
    }

    @Test
    void anApplicationPaysThroughTheSandboxWithKeysFromFiles(@TempDir Path dir) throws Exception {
        AlipaySandbox s = sandbox.sandbox();
        Path appKey = Files.writeString(
                dir.resolve("app_private_key.pem"),
                AlipayKeys.toPem(AlipayKeys.privateKey(s.appPrivateKeyBase64(), "sandbox app key")));
        try (ConfigurableApplicationContext app = start(
                "alipay.app-id=" + s.appId(),
                "alipay.gateway-url=" + s.gatewayUrl(),
                "alipay.app-private-key=" + appKey,
                "alipay.alipay-public-key=" + s.alipayPublicKeyBase64())) {
            AlipayClient alipay = app.getBean(AlipayClient.class);

            PrecreateRequest.Response qr =
                    alipay.execute(PrecreateRequest.of("starter-1", new BigDecimal("12.34"), "Starter test"));
            assertThat(qr.qrCode()).isNotBlank();
            s.control().pay("starter-1");
            assertThat(alipay.execute(QueryRequest.byOutTradeNo("starter-1")).tradeStatus())
                    .isEqualTo(TradeStatus.TRADE_SUCCESS);

            MeterRegistry registry = app.getBean(MeterRegistry.class);
            assertThat(registry.find(MicrometerAlipayCallListener.METER)
                            .tags("method", "alipay.trade.precreate", "outcome", "success")
                            .timer()
                            .count())
                    .isEqualTo(1);

            Health health = app.getBean(AlipayGatewayHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void businessErrorsAreCountedWithTheirSubCode() {
        AlipaySandbox s = sandbox.sandbox();
        try (ConfigurableApplicationContext app = start(
                "alipay.app-id=" + s.appId(),
                "alipay.gateway-url=" + s.gatewayUrl(),
                "alipay.app-private-key=" + s.appPrivateKeyBase64(),
                "alipay.alipay-public-key=" + s.alipayPublicKeyBase64())) {
            AlipayClient alipay = app.getBean(AlipayClient.class);
            assertThatThrownBy(() -> alipay.execute(QueryRequest.byOutTradeNo("never-created")))
                    .isInstanceOfSatisfying(
                            AlipayGatewayException.class,
                            e -> assertThat(e.subCode()).isEqualTo("ACQ.TRADE_NOT_EXIST"));
            assertThat(app.getBean(MeterRegistry.class)
                            .find(MicrometerAlipayCallListener.METER)
                            .tags("sub_code", "ACQ.TRADE_NOT_EXIST", "outcome", "business_error")
                            .timer())
                    .isNotNull();
        }
    }

    @Test
    void aMissingKeyFileStopsStartUpNamingTheSettingAndFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> start(
                        "alipay.app-id=2021000000000001",
                        "alipay.app-private-key=" + missing,
                        "alipay.alipay-public-key=" + sandbox.sandbox().alipayPublicKeyBase64()))
                .hasRootCauseMessage("alipay.app-private-key: file not found: " + missing.toAbsolutePath());
    }

    @Test
    void everyUnusableSettingIsNamedAtOnce(@TempDir Path dir) {
        Path missing = dir.resolve("alipay_public_key.pem");
        assertThatThrownBy(() -> start(
                        "alipay.app-id=2021000000000001",
                        "alipay.app-private-key=" + dir,
                        "alipay.alipay-public-key=file:" + missing))
                .hasRootCauseMessage("alipay.app-private-key: " + dir.toAbsolutePath() + " is a directory, not a key "
                        + "file; alipay.alipay-public-key: file not found: " + missing.toAbsolutePath());
    }

    @Test
    void withoutAnAlipayKeyTheClientIsNotBuilt() {
        AlipaySandbox s = sandbox.sandbox();
        assertThatThrownBy(
                        () -> start("alipay.app-id=" + s.appId(), "alipay.app-private-key=" + s.appPrivateKeyBase64()))
                .hasStackTraceContaining("IllegalStateException: alipay.alipay-public-key is required");
    }

    @Test
    void anApplicationsOwnClientSourceTakesPrecedence() {
        AlipaySandbox s = sandbox.sandbox();
        AtomicReference<AlipayClient> current = new AtomicReference<>();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ShopApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(context -> ((GenericApplicationContext) context)
                        .registerBean(AlipayClientSource.class, () -> () -> {
                            AlipayClient client = current.get();
                            if (client == null) {
                                throw new IllegalStateException("no client before the shop opens");
                            }
                            return client;
                        }))
                .properties(
                        "alipay.app-id=" + s.appId(),
                        "alipay.app-private-key=" + s.appPrivateKeyBase64(),
                        "alipay.alipay-public-key=" + s.alipayPublicKeyBase64(),
                        "alipay.gateway-url=" + s.gatewayUrl())
                .run()) {
            assertThat(app.getBeanNamesForType(AlipayClient.class))
                    .as("the starter builds no client")
                    .isEmpty();
            AlipayGatewayHealthIndicator health = app.getBean(AlipayGatewayHealthIndicator.class);
            assertThat(health.health(true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(health.health(true).getDetails()).containsEntry("reason", "no client before the shop opens");

            current.set(new AlipayClient(AlipayConfig.builder()
                    .appId(s.appId())
                    .gatewayUrl(s.gatewayUrl())
                    .appPrivateKey(s.appPrivateKeyBase64())
                    .alipayPublicKey(s.alipayPublicKeyBase64())
                    .build()));
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void noAppIdNoClient() {
        try (ConfigurableApplicationContext app = start("spring.main.banner-mode=off")) {
            assertThat(app.getBeanNamesForType(AlipayClient.class)).isEmpty();
        }
    }
}
