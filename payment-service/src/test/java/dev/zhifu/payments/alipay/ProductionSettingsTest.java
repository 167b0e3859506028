package dev.zhifu.payments.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.config.PaymentsProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductionSettingsTest {

    static final KeyPair APP = AlipayKeys.generateRsa2048();
    static final KeyPair ALIPAY = AlipayKeys.generateRsa2048();

    @TempDir
    Path dir;

    AlipayProperties alipay(String appPrivateKey, String alipayPublicKey) {
        return withGateway("https://openapi.alipay.com/gateway.do", appPrivateKey, alipayPublicKey);
    }

    /** As Spring binds them: a list from one comma-separated value. */
    private static AlipayProperties properties(
            String gatewayUrl, String appPrivateKey, String alipayPublicKey, String appCert) {
        return new AlipayProperties(
                gatewayUrl,
                "2021000000000001",
                appPrivateKey,
                null,
                alipayPublicKey == null ? null : List.of(alipayPublicKey.split(",")),
                appCert,
                null,
                null,
                "https://shop.example.com/notify/alipay",
                null,
                null,
                null,
                Duration.ofSeconds(3),
                Duration.ofSeconds(15));
    }

    PaymentsProperties payments(List<String> apiKeys) {
        return new PaymentsProperties(
                apiKeys,
                null,
                null,
                dir.toString(),
                null,
                Duration.ofHours(24),
                Duration.ofSeconds(10),
                new PaymentsProperties.Barcode(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(45)),
                new PaymentsProperties.Demo(Duration.ofSeconds(5)));
    }

    @Test
    void acceptsEveryKeyFormatAlipayUsersHave() throws Exception {
        Path pem = dir.resolve("app.pem");
        Files.writeString(pem, AlipayKeys.toPem(APP.getPrivate()));
        String bareBase64 = AlipayKeys.toBase64(ALIPAY.getPublic());
        AlipayConfig config = ProductionSettings.check(alipay(pem.toString(), bareBase64), payments(List.of("k")));
        assertThat(config.appId()).isEqualTo("2021000000000001");

        // inline PEM and inline base64 work as well as files
        ProductionSettings.check(
                alipay(AlipayKeys.toPem(APP.getPrivate()), AlipayKeys.toPem(ALIPAY.getPublic())),
                payments(List.of("k")));
        ProductionSettings.check(alipay(AlipayKeys.toBase64(APP.getPrivate()), bareBase64), payments(List.of("k")));
    }

    @Test
    void anUnreadableKeyNamesTheSettingAndTheFileButNeverTheKey() throws Exception {
        Path broken = dir.resolve("broken.pem");
        String secretLooking = Base64.getEncoder().encodeToString("not a key but secret-looking material".getBytes());
        Files.writeString(
                broken,
                "-----BEGIN PRIVATE KEY-----\n" + secretLooking + "\n-----END PRIVATE KEY-----\n",
                StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ProductionSettings.check(
                        alipay(broken.toString(), AlipayKeys.toBase64(ALIPAY.getPublic())), payments(List.of("k"))))
                .isInstanceOf(ConfigurationProblems.class)
                .hasMessageContaining("alipay.app-private-key")
                .hasMessageContaining(broken.toAbsolutePath().toString())
                .hasMessageNotContaining(secretLooking);
    }

    @Test
    void aMissingKeyFileIsNamed() {
        Path missing = dir.resolve("nope/app_private_key.pem");
        assertThatThrownBy(() -> ProductionSettings.check(
                        alipay(missing.toString(), AlipayKeys.toBase64(ALIPAY.getPublic())), payments(List.of("k"))))
                .hasMessageContaining("alipay.app-private-key: file not found: " + missing.toAbsolutePath());
    }

    @Test
    void aDirectoryGivenAsAKeyFileIsNamedAsOne() {
        assertThatThrownBy(() -> ProductionSettings.check(
                        alipay(dir.toString(), AlipayKeys.toBase64(ALIPAY.getPublic())), payments(List.of("k"))))
                .hasMessageContaining(
                        "alipay.app-private-key: " + dir.toAbsolutePath() + " is a directory, not a key file");
    }

    @Test
    void theDemosKeysAndApiKeyAreRefused() {
        DemoKeys demo = DemoKeys.loadOrCreate(dir.toString());
        Path demoKey = demo.dir().resolve("app_private_key.pem");
        assertThatThrownBy(() -> ProductionSettings.check(
                        alipay(demoKey.toString(), AlipayKeys.toBase64(demo.alipayPublicKey())),
                        payments(List.of(demo.apiKey()))))
                .isInstanceOf(ConfigurationProblems.class)
                .hasMessageContaining("alipay.app-private-key")
                .hasMessageContaining("demo")
                .hasMessageContaining("alipay.alipay-public-key")
                .hasMessageContaining("payments.api-keys contains the demo's API key");
    }

    @Test
    void theAppsOwnPublicKeyInPlaceOfAlipaysIsExplained() {
        assertThatThrownBy(() -> ProductionSettings.check(
                        alipay(AlipayKeys.toBase64(APP.getPrivate()), AlipayKeys.toBase64(APP.getPublic())),
                        payments(List.of("k"))))
                .hasMessageContaining("alipay.alipay-public-key");
    }

    @Test
    void certificateModeNamesEachMissingCertificate() {
        AlipayProperties partial = properties(
                "https://openapi.alipay.com/gateway.do",
                AlipayKeys.toBase64(APP.getPrivate()),
                null,
                dir.resolve("appCert.crt").toString());
        assertThatThrownBy(() -> ProductionSettings.check(partial, payments(List.of("k"))))
                .hasMessageContaining("alipay.app-cert")
                .hasMessageContaining("alipay.alipay-cert is required")
                .hasMessageContaining("alipay.alipay-root-cert is required");
    }

    @Test
    void aPlainHttpGatewayIsRefusedUnlessItIsOnThisMachine() {
        String appKey = AlipayKeys.toBase64(APP.getPrivate());
        String alipayKey = AlipayKeys.toBase64(ALIPAY.getPublic());
        for (String url : List.of(
                "http://openapi.alipay.com/gateway.do",
                "http://10.0.0.5:8080/gateway.do",
                "http://127.0.0.1.example.com/gateway.do",
                "http://localhost.example.com/gateway.do",
                "http://[::2]/gateway.do",
                "http://0.0.0.0:8080/gateway.do",
                "HTTP://openapi.alipay.com/gateway.do")) {
            assertThatThrownBy(
                            () -> ProductionSettings.check(withGateway(url, appKey, alipayKey), payments(List.of("k"))))
                    .as(url)
                    .isInstanceOf(ConfigurationProblems.class)
                    .hasMessageContaining("alipay.gateway-url must be https");
        }
        // a sandbox on the same machine, as the tests and the load tool run it
        for (String url : List.of(
                "http://127.0.0.1:8080/gateway.do",
                "http://127.3.4.5/gateway.do",
                "http://localhost:8080/gateway.do",
                "http://LocalHost/gateway.do",
                "http://[::1]:8080/gateway.do",
                "https://openapi.alipay.com/gateway.do",
                "https://10.0.0.5/gateway.do")) {
            assertThat(ProductionSettings.check(withGateway(url, appKey, alipayKey), payments(List.of("k")))
                            .gatewayUrl())
                    .as(url)
                    .isNotNull();
        }
    }

    private AlipayProperties withGateway(String url, String appPrivateKey, String alipayPublicKey) {
        return properties(url, appPrivateKey, alipayPublicKey, null);
    }

    @Test
    void demoKeysAreGeneratedOnceAndKept() {
        DemoKeys first = DemoKeys.loadOrCreate(dir.toString());
        DemoKeys second = DemoKeys.loadOrCreate(dir.toString());
        assertThat(second.appPrivateKey()).isEqualTo(first.appPrivateKey());
        assertThat(second.alipayPublicKey()).isEqualTo(first.alipayPublicKey());
        assertThat(second.apiKey()).isEqualTo(first.apiKey()).startsWith("sk_demo_");
    }
}
