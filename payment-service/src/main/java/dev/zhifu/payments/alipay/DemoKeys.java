package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.payments.secrets.SecretFiles;
import dev.zhifu.payments.storage.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The demo's key pairs (the app's and the in-process sandbox's "Alipay" key; for WeChat Pay the merchant's API key
 * and the sandbox's "WeChat Pay" key, with an APIv3 key) and its API key, generated once
 * under {@code <data-dir>/demo-keys} and reused by every later start. Production refuses all of them. The
 * directory and the secret files are this user's alone ({@link SecretFiles}): the demo's API key and keys would let
 * anyone on the machine use the demo as its owner.
 */
public record DemoKeys(
        PrivateKey appPrivateKey,
        PublicKey appPublicKey,
        PrivateKey alipayPrivateKey,
        PublicKey alipayPublicKey,
        String apiKey,
        PrivateKey wechatMerchantPrivateKey,
        PrivateKey wechatPlatformPrivateKey,
        String wechatApiV3Key,
        Path dir) {

    public static Path dirOf(String dataDir) {
        return Path.of(dataDir).resolve("demo-keys");
    }

    public static DemoKeys loadOrCreate(String dataDir) {
        Path dir = dirOf(dataDir);
        try {
            SecretFiles.createDirectories(dir); // and the data directory, when this is the first to need it
            KeyPair app = pair(dir, "app");
            KeyPair alipay = pair(dir, "alipay");
            Path apiKeyFile = dir.resolve("demo_api_key.txt");
            if (!Files.exists(apiKeyFile)) {
                SecretFiles.replace(apiKeyFile, "sk_demo_" + Ids.random(32) + "\n");
            }
            String apiKey =
                    Files.readString(apiKeyFile, StandardCharsets.US_ASCII).strip();
            KeyPair wechatMerchant = pair(dir, "wechatpay_merchant");
            KeyPair wechatPlatform = pair(dir, "wechatpay_platform");
            Path apiV3KeyFile = dir.resolve("wechatpay_apiv3_key.txt");
            if (!Files.exists(apiV3KeyFile)) {
                SecretFiles.replace(apiV3KeyFile, Ids.random(32) + "\n"); // 32 ASCII characters, as WeChat Pay's
            }
            String apiV3Key =
                    Files.readString(apiV3KeyFile, StandardCharsets.US_ASCII).strip();
            return new DemoKeys(
                    app.getPrivate(),
                    app.getPublic(),
                    alipay.getPrivate(),
                    alipay.getPublic(),
                    apiKey,
                    wechatMerchant.getPrivate(),
                    wechatPlatform.getPrivate(),
                    apiV3Key,
                    dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the demo keys in " + dir.toAbsolutePath(), e);
        }
    }

    /**
     * The admin console's password in demo mode ({@code admin_password.txt}), generated on first use. Here and
     * not in admin because the demo's start-up banner prints it next to the API key.
     */
    public static String adminPassword(String dataDir) {
        Path file = dirOf(dataDir).resolve("admin_password.txt");
        try {
            if (!Files.exists(file)) {
                SecretFiles.createDirectories(file.getParent());
                SecretFiles.replace(file, "admin_" + Ids.random(16) + "\n");
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the demo admin password in " + file.toAbsolutePath(), e);
        }
    }

    /** The demo keys when a demo has run with this data directory, else null (nothing is created). */
    public static DemoKeys findExisting(String dataDir) {
        Path dir = dirOf(dataDir);
        if (!Files.isRegularFile(dir.resolve("app_private_key.pem"))) {
            return null;
        }
        try {
            return loadOrCreate(dataDir);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static KeyPair pair(Path dir, String name) throws IOException {
        Path privateFile = dir.resolve(name + "_private_key.pem");
        Path publicFile = dir.resolve(name + "_public_key.pem");
        if (!Files.exists(privateFile)) {
            KeyPair pair = AlipayKeys.generateRsa2048();
            SecretFiles.replace(privateFile, AlipayKeys.toPem(pair.getPrivate()));
            Files.writeString(publicFile, AlipayKeys.toPem(pair.getPublic()), StandardCharsets.US_ASCII);
        }
        PrivateKey privateKey = AlipayKeys.readPrivateKey(privateFile);
        PublicKey publicKey = AlipayKeys.publicKeyOf(privateKey);
        return new KeyPair(publicKey, privateKey);
    }
}
