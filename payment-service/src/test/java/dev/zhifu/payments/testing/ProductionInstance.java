package dev.zhifu.payments.testing;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.payments.PaymentServiceApplication;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.sandbox.AlipaySandbox;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service in production mode against a standalone sandbox ("Alipay" on its own port), as one instance of a
 * deployment: its settings as command-line arguments, so the same list starts it in this JVM or in another process.
 */
public final class ProductionInstance {

    public static final String API_KEY = "sk_live_cluster";

    private ProductionInstance() {}

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the app's private key where the instance reads it; answers the file. */
    public static Path appKeyFile(Path dir, java.security.PrivateKey app) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("app_private_key.pem");
            Files.writeString(file, AlipayKeys.toPem(app), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings of an instance on {@code port} using {@code database} (spring.datasource.* values). */
    public static List<String> args(
            int port,
            AlipaySandbox alipay,
            Path appKey,
            Map<String, Object> database,
            Path dataDir,
            String webhookUrl,
            String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--payments.data-dir=" + dataDir,
                "--payments.api-keys=" + API_KEY,
                "--alipay.gateway-url=" + alipay.gatewayUrl(),
                "--alipay.app-id=" + alipay.appId(),
                "--alipay.seller-id=" + alipay.sellerId(),
                "--alipay.app-private-key=" + appKey,
                "--alipay.alipay-public-key=" + alipay.alipayPublicKeyBase64(),
                "--alipay.notify-url=http://127.0.0.1:" + port + "/notify/alipay",
                "--logging.level.dev.zhifu=WARN"));
        database.forEach((k, v) -> args.add("--" + k + "=" + v));
        if (webhookUrl != null) {
            args.add("--payments.webhook-url=" + webhookUrl);
            args.add("--payments.webhook-secret=" + WebhookReceiver.SECRET);
        }
        args.addAll(List.of(extra));
        return args;
    }

    /**
     * The {@code wechatpay.*} settings of an instance on {@code port} for the sandbox's WeChat Pay side, in public key
     * mode: the merchant key (which the sandbox generated) written to a file, WeChat Pay's public key inline.
     */
    public static List<String> wechatArgs(AlipaySandbox sandbox, Path dir, int port) {
        dev.zhifu.sandbox.wechat.WechatPayAccount account = sandbox.wechatPayAccount();
        try {
            Files.createDirectories(dir);
            Path merchantKey = dir.resolve("apiclient_key.pem");
            Files.writeString(merchantKey, AlipayKeys.toPem(account.merchantPrivateKey()), StandardCharsets.US_ASCII);
            return List.of(
                    "--wechatpay.gateway-url=" + account.baseUrl(),
                    "--wechatpay.mchid=" + account.mchid(),
                    "--wechatpay.appid=" + account.appid(),
                    "--wechatpay.merchant-serial-number=" + account.merchantSerial(),
                    "--wechatpay.private-key=" + merchantKey,
                    "--wechatpay.apiv3-key=" + account.apiV3Key(),
                    "--wechatpay.public-key=" + AlipayKeys.toBase64(account.publicKey()),
                    "--wechatpay.public-key-id=" + account.publicKeyId(),
                    "--wechatpay.notify-url=http://127.0.0.1:" + port + "/notify/wechatpay");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app key of a sandbox that generated it (no {@code appPublicKey} given). */
    public static java.security.PrivateKey appKey(AlipaySandbox alipay) {
        return alipay.appPrivateKey().orElseThrow();
    }

    public static ConfigurableApplicationContext start(List<String> args) {
        return new SpringApplicationBuilder(PaymentServiceApplication.class, TestClockConfiguration.class)
                .run(args.toArray(String[]::new));
    }

    /** The service in a JVM of its own, with this test's class path: a process that can be SIGKILLed. */
    public static Process startProcess(List<String> args, File log) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classPath,
                PaymentServiceApplication.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }

    /** Waits until {@code child}'s health answers 200; fails when it exits first or takes over two minutes. */
    public static void awaitUp(Api api, Process child) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < until) {
            if (!child.isAlive()) {
                throw new AssertionError("the service process exited with " + child.exitValue());
            }
            try {
                if (api.get("/actuator/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the service process did not come up");
    }

    /** Creates {@code n} QR payments of {@code amount} through the API; answers their order numbers. */
    public static List<String> createQrPayments(Api api, int n, String prefix, String amount) {
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String no = prefix + Ids.random(12);
            Api.Response created = api.post(
                    "/api/v1/payments",
                    "{\"out_trade_no\":\"" + no + "\",\"amount\":\"" + amount
                            + "\",\"subject\":\"Tea\",\"method\":\"qr\"}");
            if (created.status() != 201) {
                throw new AssertionError("create " + no + ": " + created.status() + " " + created.body());
            }
            orders.add(no);
        }
        return orders;
    }
}
