package dev.zhifu.payments.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.payments.alipay.ConfigurationProblems;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.wechatpay.WechatPayConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code wechatpay.*} in production (docs/payment-channels.md#settings): each check on its own, with the TEST keys of
 * test-fixtures; every message names its setting and quotes no key.
 */
class WechatPayProductionSettingsTest {

    static final String MERCHANT_KEY = WechatPayTestKeys.text("merchant_private_key.pem");
    static final String MERCHANT_CERT = WechatPayTestKeys.text("merchant_certificate.pem");
    static final String WECHAT_PUBLIC_KEY = WechatPayTestKeys.text("wechatpay_public_key.pem");
    static final String PLATFORM_CERT = WechatPayTestKeys.text("platform_certificate.pem");
    static final String PLATFORM_KEY = WechatPayTestKeys.text("platform_private_key.pem");

    @TempDir
    Path dir;

    /** A sound public key mode configuration, with {@code overrides} ({@code null} removes a setting). */
    private WechatPayProperties wechat(String... overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wechatpay.mchid", WechatPayTestKeys.MCHID);
        settings.put("wechatpay.appid", WechatPayTestKeys.APP_ID);
        settings.put("wechatpay.merchant-serial-number", WechatPayTestKeys.MERCHANT_SERIAL);
        settings.put("wechatpay.private-key", MERCHANT_KEY);
        settings.put("wechatpay.apiv3-key", WechatPayTestKeys.APIV3_KEY);
        settings.put("wechatpay.public-key", WECHAT_PUBLIC_KEY);
        settings.put("wechatpay.public-key-id", WechatPayTestKeys.PUBLIC_KEY_ID);
        settings.put("wechatpay.notify-url", "https://shop.example.com/notify/wechatpay");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                settings.remove(overrides[i]);
            } else {
                settings.put(overrides[i], overrides[i + 1]);
            }
        }
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("wechatpay", WechatPayProperties.class);
    }

    private PaymentsProperties payments() {
        return new Binder(new MapConfigurationPropertySource(Map.of("payments.data-dir", dir.toString())))
                .bindOrCreate("payments", PaymentsProperties.class);
    }

    private List<String> problems(String... overrides) {
        ConfigurationProblems thrown = catchThrowableOfType(
                ConfigurationProblems.class, () -> WechatPayProductionSettings.check(wechat(overrides), payments()));
        assertThat(thrown).as("expected problems").isNotNull();
        for (String problem : thrown.problems()) {
            assertThat(problem)
                    .as("a problem names its setting")
                    .startsWith("wechatpay")
                    .doesNotContain("-----BEGIN")
                    .doesNotContainPattern("[A-Za-z0-9+/]{60,}"); // no key or certificate text
        }
        return thrown.problems();
    }

    private Path file(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    @Test
    void aSoundPublicKeyModeConfigurationBuilds() {
        WechatPayConfig config = WechatPayProductionSettings.check(wechat(), payments());
        assertThat(config.mchid()).isEqualTo(WechatPayTestKeys.MCHID);
        assertThat(config.publicKeyId()).isEqualTo(WechatPayTestKeys.PUBLIC_KEY_ID);
        assertThat(config.downloadsPlatformCertificates()).isFalse();
    }

    @Test
    void neitherPublicKeyNorCertificatesMeansCertificatesDownloadedWithTheApiV3Key() {
        WechatPayProperties w = wechat("wechatpay.public-key", null, "wechatpay.public-key-id", null);
        assertThat(WechatPayProductionSettings.check(w, payments()).downloadsPlatformCertificates())
                .isTrue();
        assertThat(WechatPayProductionSettings.mode(w))
                .isEqualTo(WechatPayProductionSettings.Mode.DOWNLOADED_CERTIFICATES);
        assertThat(WechatPayProductionSettings.modeNote(w))
                .contains("downloaded from WeChat Pay")
                .contains("wechatpay.apiv3-key");
    }

    @Test
    void platformCertificateModeAndBothModesBuildAndAreExplained() throws Exception {
        WechatPayProperties certificates = wechat(
                "wechatpay.public-key", null,
                "wechatpay.public-key-id", null,
                "wechatpay.platform-certificates",
                        file("platform.pem", PLATFORM_CERT).toString());
        assertThat(WechatPayProductionSettings.check(certificates, payments())).isNotNull();
        assertThat(WechatPayProductionSettings.modeNote(certificates)).contains("platform certificate mode");

        WechatPayProperties both = wechat("wechatpay.platform-certificates", PLATFORM_CERT);
        assertThat(WechatPayProductionSettings.check(both, payments())).isNotNull();
        assertThat(WechatPayProductionSettings.mode(both)).isEqualTo(WechatPayProductionSettings.Mode.BOTH);
        assertThat(WechatPayProductionSettings.modeNote(both)).contains("Wechatpay-Serial");
        assertThat(WechatPayProductionSettings.modeNote(wechat())).contains("public key mode");
    }

    @Test
    void theMerchantsPrivateKeyWhereWechatPaysPublicKeyBelongsIsRefusedSayingWhereEachGoes() throws Exception {
        Path key = file("apiclient_key.pem", MERCHANT_KEY);
        assertThat(problems("wechatpay.public-key", key.toString()))
                .singleElement()
                .asString()
                .startsWith("wechatpay.public-key (file " + key.toAbsolutePath() + ") holds a private key")
                .contains("pub_key.pem")
                .contains("belongs in wechatpay.private-key");
    }

    @Test
    void thePublicHalfOfTheMerchantKeyGivenAsWechatPaysPublicKeyIsRefused() {
        String merchantPublic = AlipayKeys.toPem(AlipayKeys.publicKeyOf(AlipayKeys.privateKey(MERCHANT_KEY, "test")));
        assertThat(problems("wechatpay.public-key", merchantPublic))
                .singleElement()
                .asString()
                .contains("wechatpay.public-key (inline) is the public key of your own merchant key")
                .contains("pub_key.pem");
    }

    @Test
    void aCertificateWhereThePublicKeyBelongsAndAPublicKeyWhereCertificatesBelongAreRefused() {
        assertThat(problems("wechatpay.public-key", PLATFORM_CERT))
                .singleElement()
                .asString()
                .contains("wechatpay.public-key (inline) holds a certificate")
                .contains("wechatpay.platform-certificates");
        assertThat(problems("wechatpay.platform-certificates", WECHAT_PUBLIC_KEY))
                .singleElement()
                .asString()
                .contains("wechatpay.platform-certificates (inline) holds a public key, not a certificate")
                .contains("belongs in wechatpay.public-key");
        assertThat(problems("wechatpay.platform-certificates", MERCHANT_CERT))
                .singleElement()
                .asString()
                .contains("is your merchant certificate (apiclient_cert.pem)");
    }

    @Test
    void aPublicKeyOrACertificateWhereTheMerchantPrivateKeyBelongsIsRefused() {
        assertThat(problems("wechatpay.private-key", WECHAT_PUBLIC_KEY))
                .singleElement()
                .asString()
                .contains("wechatpay.private-key (inline) holds a public key")
                .contains("apiclient_key.pem");
        assertThat(problems("wechatpay.private-key", MERCHANT_CERT))
                .singleElement()
                .asString()
                .contains("holds a certificate")
                .contains("wechatpay.merchant-certificate");
    }

    @Test
    void publicKeyModeNeedsTheKeyAndItsId() {
        assertThat(problems("wechatpay.public-key-id", null))
                .singleElement()
                .asString()
                .startsWith("wechatpay.public-key-id is required");
        assertThat(problems("wechatpay.public-key", null))
                .singleElement()
                .asString()
                .startsWith("wechatpay.public-key is required");
        assertThat(problems("wechatpay.public-key-id", "0000000000000001"))
                .singleElement()
                .asString()
                .contains("PUB_KEY_ID_");
    }

    @Test
    void theApiV3KeyIsExactly32AsciiCharactersAndIsNeverQuoted() {
        assertThat(problems("wechatpay.apiv3-key", "TESTONLYapiv3key0123456789abcde"))
                .singleElement()
                .asString()
                .contains("wechatpay.apiv3-key must be exactly 32 ASCII characters")
                .contains("has 31")
                .doesNotContain("TESTONLY");
        assertThat(problems("wechatpay.apiv3-key", "TESTONLYapiv3key0123456789abcdé"))
                .singleElement()
                .asString()
                .contains("outside ASCII")
                .doesNotContain("TESTONLY");
        assertThat(problems("wechatpay.apiv3-key", null))
                .singleElement()
                .asString()
                .contains("required");
    }

    @Test
    void theMerchantSerialNumberIsHex() {
        assertThat(problems("wechatpay.merchant-serial-number", "not-a-serial"))
                .singleElement()
                .asString()
                .contains("hex digits")
                .contains("openssl x509 -noout -serial -in apiclient_cert.pem");
        assertThat(problems("wechatpay.merchant-serial-number", "serial=" + WechatPayTestKeys.MERCHANT_SERIAL))
                .singleElement()
                .asString()
                .contains("without openssl's \"serial=\"");
        assertThat(problems("wechatpay.merchant-serial-number", "37:75:B6:A4:5A:CD:58:88"))
                .singleElement()
                .asString()
                .contains("without colons");
    }

    @Test
    void theMerchantCertificateMustHaveTheSerialAndThePublicKeyOfThePrivateKey() throws Exception {
        Path cert = file("apiclient_cert.pem", MERCHANT_CERT);
        // sound: the fixtures' certificate is the merchant key's, of MERCHANT_SERIAL (lower case is the same serial)
        WechatPayProductionSettings.check(
                wechat(
                        "wechatpay.merchant-certificate",
                        cert.toString(),
                        "wechatpay.merchant-serial-number",
                        WechatPayTestKeys.MERCHANT_SERIAL.toLowerCase()),
                payments());

        assertThat(problems(
                        "wechatpay.merchant-certificate",
                        cert.toString(),
                        "wechatpay.merchant-serial-number",
                        "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"))
                .singleElement()
                .asString()
                .startsWith("wechatpay.merchant-serial-number is 5157F09EFDC096DE15EBE81A47057A7232F1B8E1 but "
                        + "wechatpay.merchant-certificate (file " + cert.toAbsolutePath() + ") has serial "
                        + WechatPayTestKeys.MERCHANT_SERIAL);
        assertThat(problems("wechatpay.merchant-certificate", cert.toString(), "wechatpay.private-key", PLATFORM_KEY))
                .singleElement()
                .asString()
                .startsWith("wechatpay.private-key and wechatpay.merchant-certificate (file " + cert.toAbsolutePath()
                        + ") are not a pair");
        assertThat(problems("wechatpay.merchant-certificate", MERCHANT_KEY))
                .singleElement()
                .asString()
                .contains("holds a private key")
                .contains("belongs in wechatpay.private-key");
    }

    @Test
    void theDemosWechatKeysAreRefusedInProduction() {
        DemoKeys demo = DemoKeys.loadOrCreate(dir.toString());
        Path merchantKey = demo.dir().resolve("wechatpay_merchant_private_key.pem");
        Path platformKey = demo.dir().resolve("wechatpay_platform_public_key.pem");
        assertThat(problems("wechatpay.private-key", merchantKey.toString()))
                .singleElement()
                .asString()
                .contains("is the demo's generated merchant key");
        // by value too, wherever the file is
        assertThat(problems("wechatpay.private-key", AlipayKeys.toPem(demo.wechatMerchantPrivateKey())))
                .singleElement()
                .asString()
                .contains("is the demo's generated merchant key");
        assertThat(problems("wechatpay.public-key", platformKey.toString()))
                .singleElement()
                .asString()
                .contains("is the demo sandbox's WeChat Pay key");
        assertThat(problems("wechatpay.apiv3-key", demo.wechatApiV3Key()))
                .singleElement()
                .asString()
                .isEqualTo("wechatpay.apiv3-key is the demo's generated APIv3 key; production needs the APIv3 key "
                        + "set in the merchant platform (API安全, APIv3密钥)");
    }

    @Test
    void httpsIsRequiredOffThisMachineForTheGatewayAndTheNotifyUrl() {
        assertThat(problems("wechatpay.gateway-url", "http://api.mch.weixin.qq.com"))
                .singleElement()
                .asString()
                .startsWith("wechatpay.gateway-url must be https");
        assertThat(problems("wechatpay.notify-url", "http://shop.example.com/notify/wechatpay"))
                .singleElement()
                .asString()
                .startsWith("wechatpay.notify-url must be https")
                .contains("WeChat Pay calls https notify URLs only");
        assertThat(problems("wechatpay.notify-url", "https://shop.example.com/notify/wechatpay?x=1"))
                .singleElement()
                .asString()
                .contains("without a query");
        WechatPayProductionSettings.check(
                wechat(
                        "wechatpay.gateway-url", "http://127.0.0.1:9999",
                        "wechatpay.notify-url", "http://localhost:8080/notify/wechatpay"),
                payments());
    }

    @Test
    void shortKeysMissingFilesAndJunkAreNamedBySettingAndFile() throws Exception {
        String short1024 = AlipayKeys.toPem(generate(java.security.KeyPairGenerator.getInstance("RSA"), 1024));
        assertThat(problems("wechatpay.private-key", short1024))
                .singleElement()
                .asString()
                .isEqualTo("wechatpay.private-key (inline) holds an RSA-1024 key; WeChat Pay's keys are RSA 2048 bits");
        Path missing = dir.resolve("nowhere/apiclient_key.pem");
        assertThat(problems("wechatpay.private-key", missing.toString()))
                .singleElement()
                .asString()
                .isEqualTo("wechatpay.private-key: file not found: " + missing.toAbsolutePath());
        Path junk = file("junk.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        assertThat(problems("wechatpay.merchant-certificate", junk.toString()))
                .singleElement()
                .asString()
                .isEqualTo("wechatpay.merchant-certificate (file " + junk.toAbsolutePath()
                        + ") is not an X.509 certificate (PEM, BEGIN CERTIFICATE)");
    }

    private static java.security.PrivateKey generate(java.security.KeyPairGenerator g, int bits) {
        g.initialize(bits);
        return g.generateKeyPair().getPrivate();
    }

    @Test
    void everyProblemAtOnce() {
        assertThat(problems(
                        "wechatpay.appid", null,
                        "wechatpay.private-key", null,
                        "wechatpay.apiv3-key", "short",
                        "wechatpay.notify-url", null))
                .hasSize(4);
    }

    @Test
    void wechatSettingsWithoutAMerchantNumberAreSaidToBeIgnored() {
        assertThat(WechatPayProductionSettings.offButConfigured(wechat())).isNull();
        assertThat(WechatPayProductionSettings.offButConfigured(wechat("wechatpay.mchid", null)))
                .startsWith("wechatpay.mchid is not set, so WeChat Pay is off, yet wechatpay.appid, ");
        assertThat(WechatPayProductionSettings.offButConfigured(WechatPayProperties.none()))
                .isNull();
    }
}
