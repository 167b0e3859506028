package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.alipay.trade.AppPayRequest;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.KeyReloader;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Key rotation without downtime. Alipay's key changes: with both public keys configured, answers signed by the
 * new key are accepted while notifications signed by the old one still verify, and a key nobody configured is
 * refused. The app's key file is replaced: the client is rebuilt and swapped, and unusable key material leaves
 * the working client in place.
 */
class KeyRotationTest {

    static final KeyPair oldAlipayKey = AlipayKeys.generateRsa2048();
    static final KeyPair newAlipayKey = AlipayKeys.generateRsa2048();
    /** Alipay has switched to its new key. */
    @RegisterExtension
    static final AlipaySandboxExtension ALIPAY =
            new AlipaySandboxExtension(b -> b.alipayPrivateKey(newAlipayKey.getPrivate()));

    static AlipaySandbox alipay;
    static PrivateKey app;

    @TempDir
    Path dir;

    @BeforeEach
    void alipay() {
        alipay = ALIPAY.sandbox();
        app = ProductionInstance.appKey(alipay);
    }

    private ConfigurableApplicationContext start(int port, Path appKey) throws Exception {
        Path oldPem = dir.resolve("alipay_public_old.pem");
        Path newPem = dir.resolve("alipay_public_new.pem");
        Files.writeString(oldPem, AlipayKeys.toPem(oldAlipayKey.getPublic()), StandardCharsets.US_ASCII);
        Files.writeString(newPem, AlipayKeys.toPem(newAlipayKey.getPublic()), StandardCharsets.US_ASCII);
        List<String> args = new java.util.ArrayList<>(ProductionInstance.args(
                port,
                alipay,
                appKey,
                Map.of("spring.datasource.url", "jdbc:h2:mem:rot-" + port + ";DB_CLOSE_DELAY=-1"),
                dir.resolve("data"),
                null,
                "--alipay.key-reload-interval=1h"));
        args.removeIf(a -> a.startsWith("--alipay.alipay-public-key="));
        args.add("--alipay.alipay-public-key=" + oldPem + "," + newPem); // the changeover: both accepted
        return ProductionInstance.start(args);
    }

    @Test
    void answersSignedByTheNewAlipayKeyAreAcceptedWhileTheOldOneStillVerifies() throws Exception {
        int port = ProductionInstance.freePort();
        try (ConfigurableApplicationContext service = start(port, ProductionInstance.appKeyFile(dir, app))) {
            Api api = new Api("http://127.0.0.1:" + port, ProductionInstance.API_KEY);
            JsonNode paid = qr(api);
            alipay.control().pay(paid.get("out_trade_no").asString()); // notification signed with the new key
            awaitStatus(api, paid.get("id").asString(), "PAID");

            JsonNode late = qr(api); // precreate answered with the new key's signature
            Api.Response byOldKey = notify(api, late, oldAlipayKey);
            assertThat(byOldKey.body())
                    .as("a notification signed before the change still verifies")
                    .isEqualTo("success");
            assertThat(api.get("/api/v1/payments/" + late.get("id").asString())
                            .json()
                            .get("status")
                            .asString())
                    .isEqualTo("PAID");

            JsonNode other = qr(api);
            assertThat(notify(api, other, AlipayKeys.generateRsa2048()).body()).isEqualTo("failure");
            alipay.control().addFault("{\"type\":\"wrong_sign_key\",\"count\":1}");
            Api.Response unknownKey =
                    api.post("/api/v1/payments/" + other.get("id").asString() + "/sync", null);
            assertThat(unknownKey.status()).isEqualTo(503);
            assertThat(unknownKey.json().get("code").asString()).isEqualTo("alipay_unavailable");
            assertThat(api.get("/api/v1/payments/" + other.get("id").asString())
                            .json()
                            .get("status")
                            .asString())
                    .isEqualTo("PENDING");
        } finally {
            alipay.control().clearFaults();
        }
    }

    @Test
    void theAppKeyFileIsReloadedAndTheClientSwappedUnusableKeysLeaveTheOldOne() throws Exception {
        int port = ProductionInstance.freePort();
        Path appKey = ProductionInstance.appKeyFile(dir, app);
        try (ConfigurableApplicationContext service = start(port, appKey)) {
            Api api = new Api("http://127.0.0.1:" + port, ProductionInstance.API_KEY);
            KeyReloader reloader = service.getBean(KeyReloader.class);
            AlipayGateway gateway = service.getBean(AlipayGateway.class);
            assertThat(reloader.reloadIfChanged()).as("nothing changed").isFalse();
            JsonNode first = qr(api);

            // an operator writes a half-finished or wrong file: refused, the old client keeps working
            Files.writeString(appKey, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
            assertThat(reloader.reloadIfChanged()).isFalse();
            assertThat(signsWith(gateway.client(), app)).isTrue();
            assertThat(api.post("/api/v1/payments/" + first.get("id").asString() + "/sync", null)
                            .status())
                    .isEqualTo(200);

            // a new app key: requests are signed with it from now on (this sandbox knows only the old one)
            KeyPair next = AlipayKeys.generateRsa2048();
            Files.writeString(appKey, AlipayKeys.toPem(next.getPrivate()), StandardCharsets.US_ASCII);
            assertThat(reloader.reloadIfChanged()).isTrue();
            assertThat(signsWith(gateway.client(), next.getPrivate())).isTrue();
            assertThat(signsWith(gateway.client(), app)).isFalse();
            assertThat(api.post("/api/v1/payments/" + first.get("id").asString() + "/sync", null)
                            .status())
                    .as("signed with the new key, refused by a gateway that does not know it")
                    .isEqualTo(503);

            Files.writeString(appKey, AlipayKeys.toPem(app), StandardCharsets.US_ASCII);
            assertThat(reloader.reloadIfChanged()).isTrue();
            assertThat(api.post("/api/v1/payments/" + first.get("id").asString() + "/sync", null)
                            .status())
                    .isEqualTo(200);
        }
    }

    /** Whether the client signs with {@code key}: an app pay order string, checked with the key's public half. */
    private static boolean signsWith(AlipayClient client, PrivateKey key) {
        Map<String, String> params = new HashMap<>();
        String orderString = client.appOrderString(AppPayRequest.of("k-1", new BigDecimal("1.00"), "Key check"));
        for (String pair : orderString.split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return new AlipayVerifier(AlipayKeys.publicKeyOf(key), SignType.RSA2, RsaProvider.jdk())
                .verify(SignContent.ofRequest(params), StandardCharsets.UTF_8, params.get("sign"));
    }

    private static JsonNode qr(Api api) {
        Api.Response created = api.post(
                "/api/v1/payments",
                "{\"out_trade_no\":\"r-" + Ids.random(10)
                        + "\",\"amount\":\"5.00\",\"subject\":\"Tea\",\"method\":\"qr\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private static Api.Response notify(Api api, JsonNode payment, KeyPair signer) {
        Map<String, String> p = ServiceSuite.tradeSuccess(
                alipay.appId(),
                alipay.sellerId(),
                payment.get("out_trade_no").asString(),
                payment.get("amount").asString(),
                LocalDateTime.now(ZoneOffset.ofHours(8)));
        byte[] body = new NotificationSigner(signer.getPrivate()).formBody(p);
        return api.anonymous("POST", "/notify/alipay", "application/x-www-form-urlencoded; charset=utf-8", body);
    }

    private static void awaitStatus(Api api, String id, String status) {
        ClusterSuite.await(
                () -> status.equals(
                        api.get("/api/v1/payments/" + id).json().get("status").asString()),
                () -> id + " never became " + status);
    }
}
