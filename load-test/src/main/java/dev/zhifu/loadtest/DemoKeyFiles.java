package dev.zhifu.loadtest;

import dev.zhifu.alipay.crypto.AlipayKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The demo-mode key layout of payment-service ({@code <data-dir>/demo-keys/}, read by its {@code DemoKeys}):
 * {@code app_private_key.pem}, {@code alipay_private_key.pem} (the in-process sandbox's "Alipay" key, which signs
 * notifications), {@code wechatpay_merchant_private_key.pem}, {@code wechatpay_platform_private_key.pem} (the
 * sandbox's "WeChat Pay" key, which signs WeChat Pay's notifications), their public keys,
 * {@code wechatpay_apiv3_key.txt} (32 ASCII characters) and {@code demo_api_key.txt}.
 */
public final class DemoKeyFiles {

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private DemoKeyFiles() {}

    public static Path dir(Path dataDir) {
        return dataDir.resolve("demo-keys");
    }

    public static String apiKey(Path dataDir) {
        try {
            return Files.readString(dir(dataDir).resolve("demo_api_key.txt"), StandardCharsets.US_ASCII)
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no demo API key in " + dir(dataDir), e);
        }
    }

    public static PrivateKey alipayPrivateKey(Path dataDir) {
        return AlipayKeys.readPrivateKey(dir(dataDir).resolve("alipay_private_key.pem"));
    }

    /** The sandbox's "WeChat Pay" key, which signs WeChat Pay's notifications in demo mode. */
    public static PrivateKey wechatPlatformPrivateKey(Path dataDir) {
        return AlipayKeys.readPrivateKey(dir(dataDir).resolve("wechatpay_platform_private_key.pem"));
    }

    /** The demo's APIv3 key, which encrypts the resource of WeChat Pay's notifications. */
    public static String wechatApiV3Key(Path dataDir) {
        try {
            return Files.readString(dir(dataDir).resolve("wechatpay_apiv3_key.txt"), StandardCharsets.US_ASCII)
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no WeChat Pay APIv3 key in " + dir(dataDir), e);
        }
    }

    /**
     * Writes a complete key set before any instance starts, so that several instances started at once on the
     * same data directory share one set (the service itself generates them only when absent).
     */
    public static void generate(Path dataDir) {
        generateInto(dir(dataDir), "sk_demo_");
    }

    /** The same files in any directory, the API key prefixed as given. */
    public static void generateInto(Path dir, String apiKeyPrefix) {
        try {
            Files.createDirectories(dir);
            // every pair the service would otherwise generate at start-up: two instances starting at once on this
            // directory would each write their own
            for (String name : new String[] {"app", "alipay", "wechatpay_merchant", "wechatpay_platform"}) {
                KeyPair pair = AlipayKeys.generateRsa2048();
                Files.writeString(
                        dir.resolve(name + "_private_key.pem"),
                        AlipayKeys.toPem(pair.getPrivate()),
                        StandardCharsets.US_ASCII);
                Files.writeString(
                        dir.resolve(name + "_public_key.pem"),
                        AlipayKeys.toPem(pair.getPublic()),
                        StandardCharsets.US_ASCII);
            }
            SecureRandom secure = new SecureRandom();
            StringBuilder apiV3Key = new StringBuilder(32);
            for (int i = 0; i < 32; i++) {
                apiV3Key.append(ALPHANUMERIC.charAt(secure.nextInt(ALPHANUMERIC.length())));
            }
            Files.writeString(dir.resolve("wechatpay_apiv3_key.txt"), apiV3Key + "\n", StandardCharsets.US_ASCII);
            byte[] random = new byte[16];
            secure.nextBytes(random);
            Files.writeString(
                    dir.resolve("demo_api_key.txt"),
                    apiKeyPrefix + HexFormat.of().formatHex(random) + "\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write demo keys to " + dir, e);
        }
    }
}
