package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.AlipayCallListener;
import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns {@link AlipayProperties} into an {@link AlipayConfig}: every key and certificate read with {@link KeyText}
 * and checked before the client sees it, so that each problem names its property and file, never the key. The
 * steps collect every problem rather than stop at the first; the starter's {@link #create} and payment-service's
 * production settings (which add their own rules) both build on them.
 */
public final class AlipayConfigFactory {

    private AlipayConfigFactory() {}

    /**
     * The starter's configuration.
     *
     * @throws IllegalStateException naming each {@code alipay.*} property that is missing or wrong
     */
    public static AlipayConfig create(AlipayProperties p, AlipayCallListener listener) {
        List<String> problems = new ArrayList<>();
        AlipayConfig.Builder builder = settings(p, problems).listener(listener);
        appPrivateKey(p, builder, problems);
        alipayKeys(p, builder, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        try {
            return build(builder);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A builder with everything but the keys: app id, gateway, notify URL, charset, AES key, timeouts. */
    public static AlipayConfig.Builder settings(AlipayProperties p, List<String> problems) {
        AlipayConfig.Builder b = AlipayConfig.builder();
        if (blank(p.appId())) {
            problems.add("alipay.app-id is required (the app id from Alipay's console)");
        } else {
            b.appId(p.appId().strip());
        }
        if (!blank(p.gatewayUrl())) {
            b.gatewayUrl(p.gatewayUrl().strip());
        }
        if (!blank(p.notifyUrl())) {
            b.notifyUrl(p.notifyUrl().strip());
        }
        if (!blank(p.charset())) {
            b.charset(p.charset().strip());
        }
        if (!blank(p.encryptKey())) {
            b.encryptKey(p.encryptKey().strip());
        }
        if (p.connectTimeout() != null) {
            b.connectTimeout(p.connectTimeout());
        }
        if (p.readTimeout() != null) {
            b.readTimeout(p.readTimeout());
        }
        return b;
    }

    /** {@code alipay.app-private-key}, read and checked. */
    public static void appPrivateKey(AlipayProperties p, AlipayConfig.Builder b, List<String> problems) {
        if (blank(p.appPrivateKey())) {
            problems.add("alipay.app-private-key is required (a file path, or the key inline)");
            return;
        }
        try {
            KeyText key = KeyText.read("alipay.app-private-key", p.appPrivateKey());
            key.privateKey();
            b.appPrivateKey(key.text());
        } catch (KeyMaterialException e) {
            problems.add(e.getMessage());
        }
    }

    /** What verifies Alipay: the public keys, or the three certificate settings; one mode, complete. */
    public static void alipayKeys(AlipayProperties p, AlipayConfig.Builder b, List<String> problems) {
        if (p.certificateMode() && !p.alipayPublicKey().isEmpty()) {
            problems.add("alipay.alipay-public-key and certificates (alipay.app-cert, alipay.alipay-cert, "
                    + "alipay.alipay-root-cert) are both set: choose public-key mode or certificate mode");
        } else if (p.certificateMode()) {
            certificate("alipay.app-cert", p.appCert(), problems, b::appCert);
            if (p.alipayCert().isEmpty()) {
                problems.add("alipay.alipay-cert is required in certificate mode");
            }
            for (String one : p.alipayCert()) {
                certificate("alipay.alipay-cert", one, problems, b::alipayCert);
            }
            certificate("alipay.alipay-root-cert", p.alipayRootCert(), problems, b::alipayRootCert);
        } else if (p.alipayPublicKey().isEmpty()) {
            problems.add("alipay.alipay-public-key is required (public-key mode), or alipay.app-cert, "
                    + "alipay.alipay-cert and alipay.alipay-root-cert (certificate mode)");
        } else {
            for (String one : p.alipayPublicKey()) {
                try {
                    KeyText key = KeyText.read("alipay.alipay-public-key", one);
                    key.publicKey();
                    b.alipayPublicKey(key.text());
                } catch (KeyMaterialException e) {
                    problems.add(e.getMessage());
                }
            }
        }
    }

    private static void certificate(String setting, String value, List<String> problems, Consumer<String> into) {
        if (blank(value)) {
            problems.add(setting + " is required in certificate mode");
            return;
        }
        try {
            KeyText cert = KeyText.read(setting, value);
            if (!"alipay.alipay-root-cert".equals(setting)) {
                cert.certificate();
            } else if (!cert.text().contains("BEGIN CERTIFICATE")) {
                // the root bundle holds an SM2 root the JDK cannot parse: the client reads it block by block
                throw new KeyMaterialException(cert.source() + ": not a PEM certificate bundle");
            }
            into.accept(cert.text());
        } catch (KeyMaterialException e) {
            problems.add(e.getMessage());
        }
    }

    /**
     * Builds, for settings already read without a problem: what the client still refuses (an app certificate not
     * matching the key, the app's own public key given as Alipay's, …) comes back naming the property.
     *
     * @throws IllegalArgumentException naming the {@code alipay.*} property
     */
    public static AlipayConfig build(AlipayConfig.Builder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(asProperty(e.getMessage()), e);
        }
    }

    /** The client names builder settings (appId); users know them as properties (alipay.app-id). */
    static String asProperty(String message) {
        if (message == null) {
            return "invalid alipay.* settings";
        }
        String[][] names = {
            {"appId", "alipay.app-id"},
            {"gatewayUrl", "alipay.gateway-url"},
            {"appPrivateKey", "alipay.app-private-key"},
            {"alipayPublicKey", "alipay.alipay-public-key"},
            {"appCert", "alipay.app-cert"},
            {"alipayCert", "alipay.alipay-cert"},
            {"alipayRootCert", "alipay.alipay-root-cert"},
            {"encryptKey", "alipay.encrypt-key"},
            {"connectTimeout", "alipay.connect-timeout"},
            {"readTimeout", "alipay.read-timeout"},
            {"charset", "alipay.charset"}
        };
        String out = message;
        for (String[] n : names) {
            out = out.replaceAll("\\b" + n[0] + "\\b", n[1]);
        }
        return out;
    }

    private static boolean blank(String s) {
        return AlipayProperties.blank(s);
    }
}
