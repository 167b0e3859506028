package dev.zhifu.payments.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.wechatpay.WechatPayProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class UnknownSettingsCheckTest {

    private final SettingNames service = SettingNames.ofService();

    @Test
    void theServicesBindingsAreKnownInEveryRelaxedSpelling() {
        assertThat(service.leaves())
                .contains(
                        "alipay.gateway-url",
                        "alipay.app-private-key",
                        "payments.api-keys",
                        "payments.webhook-url",
                        "payments.barcode.first-poll",
                        "payments.admin.password",
                        "payments.reconciliation.fee-rate",
                        "payments.reconciliation.wechatpay.fee-rate",
                        "alipay.key-reload-interval");
        assertThat(service.knows("alipay.gateway-url")).isTrue();
        assertThat(service.knows("alipay.gatewayUrl")).isTrue();
        assertThat(service.knows("ALIPAY.GATEWAY_URL")).isTrue();
        assertThat(service.knows("payments.api-keys[0]")).isTrue();
        assertThat(service.knows("payments.barcode.max-poll")).isTrue();
        assertThat(service.knowsEnvironmentVariable("ALIPAY_GATEWAY_URL")).isTrue();
        assertThat(service.knowsEnvironmentVariable("ALIPAY_GATEWAYURL")).isTrue();
        assertThat(service.knowsEnvironmentVariable("PAYMENTS_API_KEYS_0")).isTrue();

        assertThat(service.knows("alipay.gateway-ur")).isFalse();
        assertThat(service.knows("alipay.gateway.url")).isFalse();
        assertThat(service.knows("payments.barcode")).isFalse();
        assertThat(service.knowsEnvironmentVariable("ALIPAY_GATEWAY_UR")).isFalse();
    }

    @Test
    void theNearestNameIsSuggested() {
        assertThat(service.closest("alipay.gateway-ur")).isEqualTo("alipay.gateway-url");
        assertThat(service.closest("payments.webhook-secrit")).isEqualTo("payments.webhook-secret");
        assertThat(service.closestEnvironmentVariable("ALIPAY_APP_PRIVATEKEY"))
                .isEqualTo("ALIPAY_APP_PRIVATE_KEY (alipay.app-private-key)");
    }

    @Test
    void wechatPaysSettingsAreKnownAndAMisspeltOneIsRefusedWithTheNearestName() {
        assertThat(service.leaves())
                .contains(
                        "wechatpay.mchid",
                        "wechatpay.apiv3-key",
                        "wechatpay.merchant-serial-number",
                        "wechatpay.merchant-certificate",
                        "wechatpay.public-key-id",
                        "wechatpay.platform-certificates");
        assertThat(service.knowsEnvironmentVariable("WECHATPAY_APIV3_KEY")).isTrue();
        // relaxed binding: Spring binds these spellings to apiv3-key, so they are not mistakes
        assertThat(service.knows("wechatpay.apiv3Key")).isTrue();
        assertThat(service.knows("wechatpay.apiv3key")).isTrue();
        WechatPayProperties bound = new Binder(new MapConfigurationPropertySource(Map.of("wechatpay.apiv3key", "k")))
                .bindOrCreate("wechatpay", WechatPayProperties.class);
        assertThat(bound.apiv3Key()).isEqualTo("k");

        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources()
                .addFirst(new SimpleCommandLinePropertySource(
                        "--wechatpay.mchid=1900000001",
                        "--wechatpay.apiv3-kye=x",
                        "--wechatpay.serial-number=x",
                        "--wechatpay.platform-certificate=x"));
        env.getPropertySources()
                .addLast(new SystemEnvironmentPropertySource(
                        "test-environment", Map.of("WECHATPAY_NOTIFY_UR", "x", "WECHATPAY_APPID", "wx1")));
        assertThat(UnknownSettingsCheck.problems(env, service))
                .containsExactlyInAnyOrder(
                        "wechatpay.apiv3-kye (command line): did you mean wechatpay.apiv3-key?",
                        "wechatpay.serial-number (command line): did you mean wechatpay.merchant-serial-number?",
                        "wechatpay.platform-certificate (command line): did you mean "
                                + "wechatpay.platform-certificates?",
                        "WECHATPAY_NOTIFY_UR (environment variable): did you mean WECHATPAY_NOTIFY_URL"
                                + " (wechatpay.notify-url)?");
    }

    record Merchant(String appId, @Name("key") String privateKey) {}

    record Shops(Map<String, Merchant> merchants, List<Merchant> fallbacks, Duration timeout) {}

    @Test
    void belowAMapAnyKeyIsASettingAndListsOfRecordsBindTheirFields() {
        SettingNames names = SettingNames.of(Map.of(Shops.class, "payments.shops"), List.of());
        assertThat(names.maps()).containsExactly("payments.shops.merchants");
        assertThat(names.leaves())
                .containsExactly(
                        "payments.shops.fallbacks.app-id", "payments.shops.fallbacks.key", "payments.shops.timeout");
        assertThat(names.knows("payments.shops.merchants.shop-1.app-id")).isTrue();
        assertThat(names.knows("payments.shops.merchants[shop.2].anything")).isTrue();
        assertThat(names.knowsEnvironmentVariable("PAYMENTS_SHOPS_MERCHANTS_SHOP1_APPID"))
                .isTrue();
        assertThat(names.knows("payments.shops.fallbacks[0].key")).isTrue();
        assertThat(names.knows("payments.shops.fallbacks[0].private-key")).isFalse();
        assertThat(names.knows("payments.shops.merchants")).isFalse();
    }

    @Test
    void everySourceIsLookedAtAndEachProblemSaysWhere() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources()
                .addFirst(new SimpleCommandLinePropertySource(
                        "--alipay.gateway-ur=x",
                        "--alipay.app-id=2021",
                        "--server.port=1",
                        "--spring.datasource.url=jdbc:h2:mem:x"));
        env.getPropertySources()
                .addLast(new SystemEnvironmentPropertySource(
                        "test-environment",
                        Map.of("PAYMENTS_WEBHOOK_URL", "http://x", "PAYMENTS_WEBHOOKURL_SECRET", "s", "PATH", "/bin")));
        env.getPropertySources()
                .addLast(new MapPropertySource(
                        "application.properties",
                        Map.of("payments.dataDir", "./d", "payments.sync.intervall", "1s", "paymentsx.anything", "1")));
        assertThat(UnknownSettingsCheck.problems(env, service))
                .containsExactly(
                        "alipay.gateway-ur (command line): did you mean alipay.gateway-url?",
                        "PAYMENTS_WEBHOOKURL_SECRET (environment variable): did you mean PAYMENTS_WEBHOOK_SECRET"
                                + " (payments.webhook-secret)?",
                        "payments.sync.intervall (application.properties): did you mean payments.sync.interval?");
    }

    @Configuration(proxyBeanMethods = false)
    @Import(UnknownSettingsCheck.class)
    @EnableConfigurationProperties(PaymentsProperties.class)
    static class Payments {
        static final java.util.concurrent.atomic.AtomicInteger MADE = new java.util.concurrent.atomic.AtomicInteger();

        @Bean
        Object anyBean() {
            MADE.incrementAndGet();
            return new Object();
        }
    }

    @Test
    void aStartWithAMisspeltSettingStopsBeforeAnyBeanIsMade() {
        SpringApplication app = new SpringApplication(Payments.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--payments.webhook-ulr=http://x").close())
                .isInstanceOfSatisfying(
                        UnknownSettings.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "payments.webhook-ulr (command line): did you mean payments.webhook-url?"));
        assertThat(Payments.MADE).hasValue(0);
        try (var started = app.run("--payments.webhook-url=http://x")) {
            assertThat(Payments.MADE).hasValue(1);
        }
    }

    /**
     * The names the code reads outside a binding (placeholders, {@code @ConditionalOnProperty},
     * {@code getProperty}) must be known too, or setting them would be refused: declare them in
     * {@code META-INF/additional-spring-configuration-metadata.json}.
     */
    @Test
    void everyNameTheCodeReadsIsKnown() throws IOException {
        Pattern read = Pattern.compile(
                "(?:\\$\\{|getProperty\\(\"|ConditionalOnProperty\\(\")((?:alipay|payments|wechatpay)\\.[a-z0-9.-]+)");
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = read.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        assertThat(names).contains("alipay.key-reload-interval", "payments.sync.interval", "payments.notify.port");
        assertThat(names)
                .allSatisfy(name -> assertThat(service.knows(name)).as(name).isTrue());
    }
}
