package dev.zhifu.payments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.fixtures.Vectors;
import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.sandbox.AlipaySandbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor}: each broken configuration gets its own message; a sound one passes against a real gateway. */
class DoctorTest {

    static AlipaySandbox gateway;
    /** The TEST keys and certificates of test-fixtures, as files: doctor reads them by path. */
    @TempDir
    static Path fixtures;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Vectors.copyTo(
                fixtures,
                "keys/app_private_key.pem",
                "keys/app_public_key.pem",
                "keys/app_public_key.txt",
                "keys/alipay_private_key.pem",
                "keys/alipay_public_key.pem",
                "certs/appCertPublicKey.crt",
                "certs/appCertPublicKey_expired.crt",
                "certs/alipayCertPublicKey_RSA2.crt",
                "certs/alipayRootCert.crt",
                "certs/real_alipayRootCert.crt");
        gateway = AlipaySandbox.builder()
                .appPublicKey(AlipayKeys.readPublicKey(fixtures.resolve("app_public_key.pem")))
                .alipayPrivateKey(AlipayKeys.readPrivateKey(fixtures.resolve("alipay_private_key.pem")))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private record Run(int exit, String output) {}

    private static String f(String name) {
        return fixtures.resolve(name).toString();
    }

    private Run doctor(Clock clock, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "doctor",
                "--payments.data-dir=" + dir,
                "--alipay.gateway-url=" + gateway.gatewayUrl(),
                "--alipay.app-id=" + gateway.appId(),
                "--alipay.notify-url=https://shop.example.com/notify/alipay",
                "--payments.api-keys=sk_live_doctor"));
        Map<String, String> given = new LinkedHashMap<>();
        for (String s : settings) {
            given.put(s.substring(0, s.indexOf('=')), s);
        }
        args.removeIf(a -> a.contains("=") && given.containsKey(a.substring(0, a.indexOf('='))));
        if (!given.containsKey("--alipay.app-private-key")) {
            args.add("--alipay.app-private-key=" + f("app_private_key.pem"));
        }
        boolean certs = given.keySet().stream().anyMatch(k -> k.endsWith("-cert"));
        if (!certs && !given.containsKey("--alipay.alipay-public-key")) {
            args.add("--alipay.alipay-public-key=" + f("alipay_public_key.pem"));
        }
        args.addAll(given.values().stream().filter(s -> !s.equals("--offline=")).collect(Collectors.toList()));
        if (given.containsKey("--offline")) {
            args.add("--offline");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Commands.doctor(
                args.toArray(String[]::new), new PrintStream(bytes, true, StandardCharsets.UTF_8), clock);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    private Run doctor(String... settings) {
        return doctor(Clock.systemUTC(), settings);
    }

    @Test
    void aSoundConfigurationPassesAgainstTheGateway() {
        Run run = doctor();
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("OK    alipay.app-private-key: RSA-2048 private key")
                .contains("reachable")
                .contains("OK    clock:")
                .contains("Alipay accepted a signed request")
                .doesNotContain("PROBLEM");
    }

    @Test
    void aPublicKeyWhereThePrivateKeyGoes() {
        Run run = doctor("--alipay.app-private-key=" + f("app_public_key.pem"), "--offline=");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("PROBLEM alipay.app-private-key: holds a public key");
    }

    @Test
    void aPrivateKeyFileThatDoesNotExist() {
        Run run = doctor("--alipay.app-private-key=/nonexistent/app_private_key.pem");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("alipay.app-private-key: file not found");
    }

    @Test
    void aPrivateKeyThatIsNoKey() throws IOException {
        Path junk = Files.writeString(
                dir.resolve("junk.pem"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        Run run = doctor("--alipay.app-private-key=" + junk);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("PROBLEM alipay.app-private-key: cannot be read as an RSA private key");
    }

    @Test
    void aPrivateKeyWhereTheAlipayPublicKeyGoes() {
        Run run = doctor("--alipay.alipay-public-key=" + f("alipay_private_key.pem"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("PROBLEM alipay.alipay-public-key: holds a private key");
    }

    @Test
    void theAppPublicKeyMistakenForTheAlipayPublicKey() {
        Run run = doctor("--alipay.alipay-public-key=" + f("app_public_key.txt"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .contains("PROBLEM alipay.alipay-public-key: is your APP public key (应用公钥)")
                .contains("验签失败");
        assertThat(run.output().lines().filter(l -> l.startsWith("PROBLEM"))).hasSize(1);
    }

    @Test
    void anUploadedAppPublicKeyThatIsNotThePairOfThePrivateKey() {
        Run run = doctor("--alipay.app-public-key=" + f("alipay_public_key.pem"), "--offline=");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .contains("PROBLEM alipay.app-public-key: is not the public half of alipay.app-private-key");
        Run pair = doctor("--alipay.app-public-key=" + f("app_public_key.txt"));
        assertThat(pair.output()).contains("OK    alipay.app-private-key and alipay.app-public-key are a pair");
    }

    @Test
    void anAlipayPublicKeyThatDoesNotVerifyTheGatewaysAnswers() {
        Run run = doctor("--alipay.alipay-public-key="
                + AlipayKeys.toBase64(AlipayKeys.generateRsa2048().getPublic()));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("PROBLEM alipay.alipay-public-key: Alipay's answer does not verify");
    }

    @Test
    void anAppKeyAlipayDoesNotKnow() {
        Run run = doctor("--alipay.app-private-key="
                + AlipayKeys.toBase64(AlipayKeys.generateRsa2048().getPrivate()));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .contains("PROBLEM alipay.app-private-key: Alipay refused our signature (isv.invalid-signature");
    }

    @Test
    void anUnreachableGateway() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run run = doctor("--alipay.gateway-url=http://127.0.0.1:" + closed + "/gateway.do");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("PROBLEM alipay.gateway-url: cannot reach 127.0.0.1");
    }

    @Test
    void aPlainHttpGatewayElsewhereThanThisMachine() {
        Run run = doctor("--alipay.gateway-url=http://openapi.alipay.com/gateway.do", "--offline=");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("PROBLEM alipay.gateway-url must be https");
    }

    @Test
    void aClockFarFromTheGateways() {
        Run run = doctor(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(42)));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .contains("PROBLEM clock: this machine's clock is")
                .contains("ahead of the gateway's");
    }

    /** Certificate mode, offline, with these three files (from the fixtures) and perhaps other settings. */
    private Run certificates(String app, String alipayCert, String root, String... more) {
        List<String> settings = new ArrayList<>(List.of(
                "--alipay.app-cert=" + f(app),
                "--alipay.alipay-cert=" + f(alipayCert),
                "--alipay.alipay-root-cert=" + f(root),
                "--offline="));
        settings.addAll(List.of(more));
        return doctor(settings.toArray(String[]::new));
    }

    @Test
    void soundCertificatesArePrintedWithTheirSns() {
        Run run = certificates("appCertPublicKey.crt", "alipayCertPublicKey_RSA2.crt", "alipayRootCert.crt");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("alipay.app-cert: SN 37125db8960e495f0388c96bf597e4d4")
                .contains("alipay_root_cert_sn = ")
                .contains("alipay.alipay-cert chains to alipay.alipay-root-cert")
                .contains("alipay.app-cert and alipay.app-private-key are a pair");
    }

    @Test
    void anExpiredCertificate() {
        Run run = certificates("appCertPublicKey_expired.crt", "alipayCertPublicKey_RSA2.crt", "alipayRootCert.crt");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("PROBLEM alipay.app-cert: expired on 2021-01-01");
    }

    @Test
    void certificatesThatDoNotChainToTheRoot() {
        Run run = certificates("appCertPublicKey.crt", "alipayCertPublicKey_RSA2.crt", "real_alipayRootCert.crt");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .contains("PROBLEM alipay.alipay-cert: does not chain to a root of alipay.alipay-root-cert");
    }

    @Test
    void theAppCertificateWhereAlipaysGoes() {
        Run run = certificates("appCertPublicKey.crt", "appCertPublicKey.crt", "alipayRootCert.crt");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("PROBLEM alipay.alipay-cert: is your APP certificate, not Alipay's");
    }

    @Test
    void anAppCertificateForAnotherKey() {
        Run run = certificates(
                "appCertPublicKey.crt",
                "alipayCertPublicKey_RSA2.crt",
                "alipayRootCert.crt",
                "--alipay.app-private-key="
                        + AlipayKeys.toBase64(AlipayKeys.generateRsa2048().getPrivate()));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .contains("PROBLEM alipay.app-cert: does not hold the public key of alipay.app-private-key");
    }

    @Test
    void keygenOutputLoadsAndIsAPairForDoctor() {
        assertThat(Commands.run(new String[] {"keygen", dir.resolve("keys").toString()}))
                .isZero();
        Run run = doctor(
                "--alipay.app-private-key=" + dir.resolve("keys/app_private_key.pem"),
                "--alipay.app-public-key=" + dir.resolve("keys/app_public_key.txt"),
                "--offline=");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("are a pair").contains("RSA-2048 private key");
    }

    // --explain

    private Run explain(String content) {
        try {
            Path file = Files.writeString(dir.resolve("params.txt"), content, StandardCharsets.UTF_8);
            return doctor("--explain=" + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> notification() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("notify_time", "2024-06-01 12:00:00");
        p.put("notify_type", "trade_status_sync");
        p.put("notify_id", "ntf1");
        p.put("charset", "utf-8");
        p.put("app_id", "2021000000000001");
        p.put("out_trade_no", "order-1");
        p.put("trade_status", "TRADE_SUCCESS");
        p.put("total_amount", "9.90");
        p.put("subject", "咖啡 a+b=c");
        return p;
    }

    private static PrivateKey alipayKey() {
        return AlipayKeys.readPrivateKey(fixtures.resolve("alipay_private_key.pem"));
    }

    private static String form(Map<String, String> p) {
        return NotificationSigner.encode(p, StandardCharsets.UTF_8);
    }

    private static String sign(PrivateKey key, SignType type, String content, Charset charset) {
        return new AlipaySigner(key, type, RsaProvider.jdk()).sign(content, charset);
    }

    @Test
    void explainsAGenuineNotification() {
        Run run = explain(form(new NotificationSigner(alipayKey()).sign(notification())));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("String to sign as a NOTIFICATION from Alipay (without sign and sign_type):\n"
                        + "app_id=2021000000000001&charset=utf-8&notify_id=ntf1")
                .contains("VERIFIED as a notification signed by Alipay (alipay.alipay-public-key)");
    }

    @Test
    void explainsARequestSignedWithTheAppKey() {
        Map<String, String> p = new LinkedHashMap<>(Map.of(
                "app_id",
                "2021000000000001",
                "method",
                "alipay.trade.query",
                "charset",
                "utf-8",
                "sign_type",
                "RSA2",
                "timestamp",
                "2024-06-01 12:00:00",
                "version",
                "1.0",
                "biz_content",
                "{\"out_trade_no\":\"order-1\"}"));
        p.put(
                "sign",
                sign(
                        AlipayKeys.readPrivateKey(fixtures.resolve("app_private_key.pem")),
                        SignType.RSA2,
                        SignContent.ofRequest(p),
                        StandardCharsets.UTF_8));
        Run run =
                explain(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(p));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("VERIFIED as a request signed with the app private key");
    }

    @Test
    void aNotificationSignedWithSignTypeIncluded() {
        Map<String, String> p = notification();
        p.put("sign_type", "RSA2");
        p.put("sign", sign(alipayKey(), SignType.RSA2, SignContent.ofRequest(p), StandardCharsets.UTF_8));
        Run run = explain(form(p));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("NOT VERIFIED").contains("LIKELY CAUSE: sign_type was included");
    }

    @Test
    void aNotificationSignedInAnotherCharset() {
        Map<String, String> p = notification();
        p.put("sign", sign(alipayKey(), SignType.RSA2, SignContent.ofNotification(p), Charset.forName("GBK")));
        Run run = explain(form(p));
        assertThat(run.output()).contains("LIKELY CAUSE: the bytes signed were GBK, not UTF-8");
    }

    @Test
    void aNotificationSignedWithSha1() {
        Map<String, String> p = notification();
        p.put("sign_type", "RSA2");
        p.put("sign", sign(alipayKey(), SignType.RSA, SignContent.ofNotification(p), StandardCharsets.UTF_8));
        Run run = explain(form(p));
        assertThat(run.output()).contains("LIKELY CAUSE: signed with RSA (SHA1withRSA)");
    }

    @Test
    void parametersDecodedTwice() {
        Map<String, String> p = notification();
        p.put("subject", "1+1=2");
        p.put("sign", sign(alipayKey(), SignType.RSA2, SignContent.ofNotification(p), StandardCharsets.UTF_8));
        Map<String, String> twice = new LinkedHashMap<>(p);
        twice.put("subject", "1 1=2"); // what a receiver that decodes the form twice sees
        Run run = explain(form(twice));
        assertThat(run.output()).contains("LIKELY CAUSE: the values were URL-decoded twice");
    }

    @Test
    void aSignatureNoKeyExplains() {
        Map<String, String> p = notification();
        p.put(
                "sign",
                sign(
                        AlipayKeys.generateRsa2048().getPrivate(),
                        SignType.RSA2,
                        SignContent.ofNotification(p),
                        StandardCharsets.UTF_8));
        Run run = explain(form(p));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("No usual mistake explains it");
    }

    // WeChat Pay (docs/payment-channels.md#settings): with wechatpay.mchid set, start-up's checks, one line each

    private Run wechatDoctor(String... overrides) throws IOException {
        Map<String, String> w = new LinkedHashMap<>();
        w.put("--wechatpay.mchid", WechatPayTestKeys.MCHID);
        w.put("--wechatpay.appid", WechatPayTestKeys.APP_ID);
        w.put("--wechatpay.merchant-serial-number", WechatPayTestKeys.MERCHANT_SERIAL);
        w.put("--wechatpay.private-key", wechatFile("merchant_private_key.pem"));
        w.put("--wechatpay.merchant-certificate", wechatFile("merchant_certificate.pem"));
        w.put("--wechatpay.apiv3-key", WechatPayTestKeys.APIV3_KEY);
        w.put("--wechatpay.public-key", wechatFile("wechatpay_public_key.pem"));
        w.put("--wechatpay.public-key-id", WechatPayTestKeys.PUBLIC_KEY_ID);
        w.put("--wechatpay.notify-url", "https://shop.example.com/notify/wechatpay");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                w.remove(overrides[i]);
            } else {
                w.put(overrides[i], overrides[i + 1]);
            }
        }
        List<String> settings = new ArrayList<>();
        w.forEach((name, value) -> settings.add(name + "=" + value));
        settings.add("--offline=");
        return doctor(settings.toArray(String[]::new));
    }

    /** A TEST key or certificate of test-fixtures' wechatpay directory, as a file. */
    private String wechatFile(String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            Files.writeString(file, WechatPayTestKeys.text(name), StandardCharsets.US_ASCII);
        }
        return file.toString();
    }

    private static void assertOneWechatProblem(Run run, String startsWith) {
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output().lines().filter(l -> l.startsWith("PROBLEM")))
                .as(run.output())
                .singleElement()
                .asString()
                .startsWith("PROBLEM " + startsWith);
        assertThat(run.output()).doesNotContain("-----BEGIN").doesNotContainPattern("[A-Za-z0-9+/]{60,}");
    }

    @Test
    void aSoundWechatPayConfigurationPassesWithItsModeExplained() throws IOException {
        Run run = wechatDoctor();
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("OK    wechatpay: merchant " + WechatPayTestKeys.MCHID)
                .contains("OK    wechatpay.merchant-certificate has serial wechatpay.merchant-serial-number and the "
                        + "public key of wechatpay.private-key")
                .contains("NOTE  wechatpay: WeChat Pay public key mode")
                .doesNotContain("PROBLEM");
    }

    @Test
    void neitherWechatPublicKeyNorCertificatesIsValidAndSaidToDownloadCertificates() throws IOException {
        Run run = wechatDoctor(
                "--wechatpay.public-key",
                null,
                "--wechatpay.public-key-id",
                null,
                "--wechatpay.merchant-certificate",
                null);
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("NOTE  wechatpay: neither wechatpay.public-key nor wechatpay.platform-certificates is set: "
                        + "platform certificates are downloaded")
                .contains("NOTE  wechatpay.merchant-certificate is not set")
                .contains("openssl x509 -noout -serial -in apiclient_cert.pem");
    }

    @Test
    void bothWechatPublicKeyAndCertificatesAreTheSwitchOver() throws IOException {
        Run run = wechatDoctor("--wechatpay.platform-certificates", wechatFile("platform_certificate.pem"));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("NOTE  wechatpay: both wechatpay.public-key and wechatpay.platform-certificates");
    }

    @Test
    void theMerchantKeyWhereWechatPaysPublicKeyBelongs() throws IOException {
        Run run = wechatDoctor("--wechatpay.public-key", wechatFile("merchant_private_key.pem"));
        assertOneWechatProblem(run, "wechatpay.public-key (file ");
        assertThat(run.output())
                .contains("holds a private key: wechatpay.public-key is WeChat Pay's public key, pub_key.pem")
                .contains("belongs in wechatpay.private-key");
    }

    @Test
    void theMerchantsOwnPublicKeyGivenAsWechatPays() throws IOException {
        Path own = dir.resolve("own_public.pem");
        Files.writeString(
                own,
                AlipayKeys.toPem(AlipayKeys.publicKeyOf(
                        AlipayKeys.privateKey(WechatPayTestKeys.text("merchant_private_key.pem"), "test"))));
        Run run = wechatDoctor("--wechatpay.public-key", own.toString());
        assertOneWechatProblem(run, "wechatpay.public-key (file ");
        assertThat(run.output()).contains("is the public key of your own merchant key (wechatpay.private-key)");
    }

    @Test
    void aPlatformCertificateWhereWechatPaysPublicKeyBelongsAndViceVersa() throws IOException {
        Run certificate = wechatDoctor("--wechatpay.public-key", wechatFile("platform_certificate.pem"));
        assertOneWechatProblem(certificate, "wechatpay.public-key (file ");
        assertThat(certificate.output())
                .contains("holds a certificate: platform certificates belong in " + "wechatpay.platform-certificates");
        Run key = wechatDoctor(
                "--wechatpay.public-key",
                null,
                "--wechatpay.public-key-id",
                null,
                "--wechatpay.platform-certificates",
                wechatFile("wechatpay_public_key.pem"));
        assertOneWechatProblem(key, "wechatpay.platform-certificates (file ");
        assertThat(key.output()).contains("holds a public key, not a certificate");
    }

    @Test
    void anApiV3KeyThatIsNot32Characters() throws IOException {
        Run run = wechatDoctor("--wechatpay.apiv3-key", "0123456789abcdef");
        assertOneWechatProblem(run, "wechatpay.apiv3-key must be exactly 32 ASCII characters");
        assertThat(run.output()).contains("has 16").doesNotContain("0123456789abcdef");
    }

    @Test
    void aMerchantSerialNumberThatIsNotHex() throws IOException {
        Run run = wechatDoctor("--wechatpay.merchant-serial-number", "serial=" + WechatPayTestKeys.MERCHANT_SERIAL);
        assertOneWechatProblem(run, "wechatpay.merchant-serial-number must be the hex digits alone");
    }

    @Test
    void aSerialNumberThatIsNotTheMerchantCertificates() throws IOException {
        Run run = wechatDoctor("--wechatpay.merchant-serial-number", WechatPayTestKeys.PLATFORM_SERIAL);
        assertOneWechatProblem(
                run,
                "wechatpay.merchant-serial-number is " + WechatPayTestKeys.PLATFORM_SERIAL + " but "
                        + "wechatpay.merchant-certificate (file ");
        assertThat(run.output()).contains("has serial " + WechatPayTestKeys.MERCHANT_SERIAL);
    }

    @Test
    void aPrivateKeyThatIsNotTheMerchantCertificates() throws IOException {
        Run run = wechatDoctor("--wechatpay.private-key", wechatFile("platform_private_key.pem"));
        assertOneWechatProblem(run, "wechatpay.private-key and wechatpay.merchant-certificate (file ");
        assertThat(run.output()).contains("are not a pair");
    }

    @Test
    void aPlainHttpWechatNotifyUrl() throws IOException {
        Run run = wechatDoctor("--wechatpay.notify-url", "http://shop.example.com/notify/wechatpay");
        assertOneWechatProblem(run, "wechatpay.notify-url must be https");
    }

    @Test
    void theDemosWechatMerchantKey() throws IOException {
        DemoKeys demo = DemoKeys.loadOrCreate(dir.toString());
        Run run = wechatDoctor(
                "--wechatpay.private-key",
                demo.dir().resolve("wechatpay_merchant_private_key.pem").toString(),
                "--wechatpay.merchant-certificate",
                null);
        assertOneWechatProblem(run, "wechatpay.private-key (file ");
        assertThat(run.output()).contains("is the demo's generated merchant key");
    }

    @Test
    void wechatSettingsWithoutAMerchantNumber() throws IOException {
        Run run = wechatDoctor("--wechatpay.mchid", null);
        assertOneWechatProblem(run, "wechatpay.mchid is not set, so WeChat Pay is off");
    }

    @Test
    void aMisspeltWechatSettingIsRefusedWithTheRightName() throws IOException {
        Run run = wechatDoctor("--wechatpay.apiv3-kye", WechatPayTestKeys.APIV3_KEY);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .isEqualTo("PROBLEM unknown setting wechatpay.apiv3-kye (command line): did you mean "
                        + "wechatpay.apiv3-key?\n");
    }
}
