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
 * The demo-mode key layout of payment-service ({@code <data-dir>/demo-keys/}): {@code app_private_key.pem},
 * {@code alipay_private_key.pem} (the in-process sandbox's "Alipay" key, which signs notifications),
 * their public keys, and {@code demo_api_key.txt}.
 */
public final class DemoKeyFiles {

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
            for (String name : new String[] {"app", "alipay"}) {
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
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            Files.writeString(
                    dir.resolve("demo_api_key.txt"),
                    apiKeyPrefix + HexFormat.of().formatHex(random) + "\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write demo keys to " + dir, e);
        }
    }
}
