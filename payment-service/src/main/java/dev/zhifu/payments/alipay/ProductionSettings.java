package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.alipay.spring.AlipayConfigFactory;
import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.alipay.spring.KeyText;
import dev.zhifu.payments.config.PaymentsProperties;
import java.security.Key;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Production mode ({@code alipay.gateway-url} set): checks every setting the chosen mode needs and builds the
 * client configuration, or reports every problem at once, each naming its setting. The {@code alipay.*} settings are
 * read as the starter reads them ({@link AlipayConfigFactory}); the service adds its own rules: https, a notify URL,
 * API keys, and never the demo's keys or sandbox.
 */
public final class ProductionSettings {

    private ProductionSettings() {}

    /** The checked configuration; throws {@link ConfigurationProblems} listing everything that is wrong. */
    public static AlipayConfig check(AlipayProperties alipay, PaymentsProperties payments) {
        return builder(alipay, payments, null).build();
    }

    /**
     * The checked configuration, still open for the call settings the gateway adds; read again on every key
     * reload. With a {@link AlipayKeySource} the app key comes from it instead of {@code alipay.app-private-key}.
     */
    public static AlipayConfig.Builder builder(
            AlipayProperties alipay, PaymentsProperties payments, AlipayKeySource keySource) {
        List<String> problems = new ArrayList<>();
        if (Urls.isPlainHttpOffThisMachine(alipay.gatewayUrl())) {
            problems.add("alipay.gateway-url must be https, got "
                    + alipay.gatewayUrl().strip() + ": plain http is "
                    + "accepted only for a sandbox on this machine (localhost, 127.x.x.x or [::1])");
        }
        AlipayConfig.Builder builder = AlipayConfigFactory.settings(alipay, problems);
        if (keySource != null) {
            appKeyFrom(keySource, builder, problems);
        } else {
            AlipayConfigFactory.appPrivateKey(alipay, builder, problems);
        }
        AlipayConfigFactory.alipayKeys(alipay, builder, problems);
        DemoKeys demo = DemoKeys.findExisting(payments.dataDir());
        if (demo != null) {
            refuseDemoKeys(alipay, keySource == null, demo, problems);
        }

        if (blank(alipay.notifyUrl())) {
            problems.add("alipay.notify-url is required (the address at which Alipay reaches /notify/alipay)");
        } else if (!Urls.isHttp(alipay.notifyUrl())) {
            problems.add("alipay.notify-url must be an http(s) URL, got " + alipay.notifyUrl());
        }
        if (payments.apiKeys().isEmpty()) {
            problems.add("payments.api-keys is required outside demo mode (comma-separated bearer keys for /api/**)");
        } else if (demo != null && payments.apiKeys().contains(demo.apiKey())) {
            problems.add("payments.api-keys contains the demo's API key; choose your own keys");
        }
        if (!blank(payments.webhookUrl()) && blank(payments.webhookSecret())) {
            problems.add("payments.webhook-secret is required when payments.webhook-url is set");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationProblems(problems);
        }
        try {
            AlipayConfigFactory.build(builder); // the client's own checks (app cert matching the key, …), as settings
            return builder;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationProblems(List.of(e.getMessage()));
        }
    }

    private static void appKeyFrom(AlipayKeySource keySource, AlipayConfig.Builder builder, List<String> problems) {
        try {
            PrivateKey fromSource = keySource.appPrivateKey();
            if (fromSource == null) {
                problems.add("the AlipayKeySource gave no app private key");
            } else if (fromSource.getEncoded() == null) {
                problems.add("the AlipayKeySource gave a key that cannot be exported (the client signs with "
                        + "the key's PKCS#8 encoding, which this key does not give)");
            } else {
                builder.appPrivateKey(AlipayKeys.toPem(fromSource));
            }
        } catch (RuntimeException e) {
            // the source's message is not ours to trust: it might quote key material
            problems.add("the AlipayKeySource could not give the app private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The demo's generated keys, by value or by their directory, are never production's. */
    private static void refuseDemoKeys(
            AlipayProperties alipay, boolean appKeyFromSettings, DemoKeys demo, List<String> problems) {
        if (appKeyFromSettings && !blank(alipay.appPrivateKey())) {
            refuseDemoKey(
                    "alipay.app-private-key",
                    alipay.appPrivateKey(),
                    KeyText::privateKey,
                    demo.appPrivateKey(),
                    demo,
                    " is the demo's generated key; production needs the app's real key",
                    problems);
        }
        if (!alipay.certificateMode()) {
            for (String one : alipay.alipayPublicKey()) {
                refuseDemoKey(
                        "alipay.alipay-public-key",
                        one,
                        KeyText::publicKey,
                        demo.alipayPublicKey(),
                        demo,
                        " is the demo sandbox's key; production needs Alipay's public key",
                        problems);
            }
        }
    }

    private static void refuseDemoKey(
            String setting,
            String value,
            Function<KeyText, Key> parse,
            Key demosKey,
            DemoKeys demo,
            String why,
            List<String> problems) {
        try {
            KeyText key = KeyText.read(setting, value);
            if (demosKey.equals(parse.apply(key))
                    || key.file() != null
                            && key.file()
                                    .toAbsolutePath()
                                    .normalize()
                                    .startsWith(demo.dir().toAbsolutePath().normalize())) {
                problems.add(key.source() + why);
            }
        } catch (KeyMaterialException reported) {
            // unreadable: the settings' own reading has said so
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
