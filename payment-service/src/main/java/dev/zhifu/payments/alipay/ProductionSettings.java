package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.payments.config.PaymentsProperties;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Production mode ({@code alipay.gateway-url} set): checks every setting the chosen mode needs and builds the
 * client configuration, or reports every problem at once, each naming its setting. Never falls back to the
 * demo's keys or sandbox.
 */
public final class ProductionSettings {

    private ProductionSettings() {
    }

    /** The checked configuration; throws {@link ConfigurationProblems} listing everything that is wrong. */
    public static AlipayConfig check(AlipayProperties alipay, PaymentsProperties payments) {
        return builder(alipay, payments, null).build();
    }

    /**
     * The checked configuration, still open for the call settings the gateway adds; read again on every key
     * reload. With a {@link AlipayKeySource} the app key comes from it instead of {@code alipay.app-private-key}.
     */
    public static AlipayConfig.Builder builder(AlipayProperties alipay, PaymentsProperties payments,
                                               AlipayKeySource keySource) {
        List<String> problems = new ArrayList<>();
        DemoKeys demo = DemoKeys.findExisting(payments.dataDir());
        AlipayConfig.Builder builder = AlipayConfig.builder().gatewayUrl(alipay.gatewayUrl().strip())
                .readTimeout(alipay.readTimeout());

        if (Urls.isPlainHttpOffThisMachine(alipay.gatewayUrl())) {
            problems.add("alipay.gateway-url must be https, got " + alipay.gatewayUrl().strip() + ": plain http is "
                    + "accepted only for a sandbox on this machine (localhost, 127.x.x.x or [::1])");
        }
        if (blank(alipay.appId())) {
            problems.add("alipay.app-id is required (the app id from Alipay's console)");
        } else {
            builder.appId(alipay.appId().strip());
        }
        if (keySource != null) {
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
                problems.add("the AlipayKeySource could not give the app private key (" + e.getClass().getSimpleName() + ")");
            }
        } else if (blank(alipay.appPrivateKey())) {
            problems.add("alipay.app-private-key is required (a file path, or the key inline)");
        } else {
            try {
                KeyText key = KeyText.read("alipay.app-private-key", alipay.appPrivateKey());
                PrivateKey parsed = AlipayKeys.privateKey(key.text(), key.source());
                if (demo != null && (demo.appPrivateKey().equals(parsed) || inDemoDir(key, demo))) {
                    problems.add(key.source() + " is the demo's generated key; production needs the app's real key");
                } else {
                    builder.appPrivateKey(key.text());
                }
            } catch (KeyText.KeyMaterialProblem | KeyMaterialException e) {
                problems.add(e.getMessage());
            }
        }

        boolean anyCert = !blank(alipay.appCert()) || !blank(alipay.alipayCert()) || !blank(alipay.alipayRootCert());
        if (anyCert && !blank(alipay.alipayPublicKey())) {
            problems.add("alipay.alipay-public-key and certificates (alipay.app-cert, alipay.alipay-cert, "
                    + "alipay.alipay-root-cert) are both set: choose public-key mode or certificate mode");
        } else if (anyCert) {
            cert(alipay.appCert(), "alipay.app-cert", problems, t -> builder.appCert(t));
            // several during a certificate change, comma-separated
            for (String one : blank(alipay.alipayCert()) ? new String[]{""} : alipay.alipayCert().split(",")) {
                if (!one.isBlank() || blank(alipay.alipayCert())) {
                    cert(one, "alipay.alipay-cert", problems, t -> builder.alipayCert(t));
                }
            }
            cert(alipay.alipayRootCert(), "alipay.alipay-root-cert", problems, t -> builder.alipayRootCert(t));
        } else if (blank(alipay.alipayPublicKey())) {
            problems.add("alipay.alipay-public-key is required (public-key mode), or alipay.app-cert, "
                    + "alipay.alipay-cert and alipay.alipay-root-cert (certificate mode)");
        } else {
            for (String one : alipay.alipayPublicKey().split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                try {
                    KeyText key = KeyText.read("alipay.alipay-public-key", one);
                    PublicKey parsed = AlipayKeys.publicKey(key.text(), key.source());
                    if (demo != null && (demo.alipayPublicKey().equals(parsed) || inDemoDir(key, demo))) {
                        problems.add(key.source() + " is the demo sandbox's key; production needs Alipay's public key");
                    } else {
                        builder.alipayPublicKey(key.text());
                    }
                } catch (KeyText.KeyMaterialProblem | KeyMaterialException e) {
                    problems.add(e.getMessage());
                }
            }
        }

        if (blank(alipay.notifyUrl())) {
            problems.add("alipay.notify-url is required (the address at which Alipay reaches /notify/alipay)");
        } else if (!Urls.isHttp(alipay.notifyUrl())) {
            problems.add("alipay.notify-url must be an http(s) URL, got " + alipay.notifyUrl());
        } else {
            builder.notifyUrl(alipay.notifyUrl().strip());
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
            builder.build(); // the client's own checks (app cert matching the key, …), reported as settings
            return builder;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationProblems(List.of(settingName(e.getMessage())));
        }
    }

    private static void cert(String value, String setting, List<String> problems,
                             java.util.function.Consumer<String> into) {
        if (blank(value)) {
            problems.add(setting + " is required in certificate mode");
            return;
        }
        try {
            KeyText cert = KeyText.read(setting, value);
            if (!"alipay.alipay-root-cert".equals(setting)) { // the root bundle holds an SM2 cert the JDK cannot parse
                dev.zhifu.alipay.crypto.PemCertificates.first(cert.text(), cert.source());
            } else if (!cert.text().contains("BEGIN CERTIFICATE")) {
                throw new KeyText.KeyMaterialProblem(cert.source() + ": not a PEM certificate bundle");
            }
            into.accept(cert.text());
        } catch (KeyText.KeyMaterialProblem | IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    private static boolean inDemoDir(KeyText key, DemoKeys demo) {
        return key.file() != null && key.file().toAbsolutePath().normalize().startsWith(demo.dir().toAbsolutePath().normalize());
    }

    /** The client names its builder settings (appCert…); say the property instead. */
    private static String settingName(String message) {
        return message.replace("appId", "alipay.app-id").replace("gatewayUrl", "alipay.gateway-url")
                .replace("appPrivateKey", "alipay.app-private-key").replace("alipayPublicKey", "alipay.alipay-public-key")
                .replace("alipayRootCert", "alipay.alipay-root-cert").replace("alipayCert", "alipay.alipay-cert")
                .replace("appCert", "alipay.app-cert").replace("readTimeout", "alipay.read-timeout");
    }


    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
