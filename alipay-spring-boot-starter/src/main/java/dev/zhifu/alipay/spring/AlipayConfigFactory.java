package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.AlipayCallListener;
import dev.zhifu.alipay.AlipayConfig;
import java.util.List;

/** Turns {@link AlipayProperties} into an {@link AlipayConfig}, naming properties in every error. */
public final class AlipayConfigFactory {

    private AlipayConfigFactory() {
    }

    /**
     * @throws IllegalStateException naming the {@code alipay.*} property that is missing or wrong
     */
    public static AlipayConfig create(AlipayProperties p, AlipayCallListener listener) {
        try {
            AlipayConfig.Builder b = AlipayConfig.builder().appId(p.appId()).listener(listener);
            if (p.gatewayUrl() != null) {
                b.gatewayUrl(p.gatewayUrl());
            }
            String privateKey = KeyMaterial.resolve(p.appPrivateKey(), "alipay.app-private-key");
            if (privateKey == null) {
                throw new IllegalStateException("alipay.app-private-key: required (a file path or the key inline)");
            }
            // parsed here first so that an error names the property and the file
            dev.zhifu.alipay.crypto.AlipayKeys.privateKey(privateKey, "alipay.app-private-key" + fileHint(p.appPrivateKey()));
            b.appPrivateKey(privateKey);
            for (String key : nullSafe(p.alipayPublicKey())) {
                String text = KeyMaterial.resolve(key, "alipay.alipay-public-key");
                dev.zhifu.alipay.crypto.AlipayKeys.publicKey(text, "alipay.alipay-public-key" + fileHint(key));
                b.alipayPublicKey(text);
            }
            if (p.appCert() != null) {
                b.appCert(KeyMaterial.resolve(p.appCert(), "alipay.app-cert"));
            }
            for (String cert : nullSafe(p.alipayCert())) {
                b.alipayCert(KeyMaterial.resolve(cert, "alipay.alipay-cert"));
            }
            if (p.alipayRootCert() != null) {
                b.alipayRootCert(KeyMaterial.resolve(p.alipayRootCert(), "alipay.alipay-root-cert"));
            }
            if (p.notifyUrl() != null) {
                b.notifyUrl(p.notifyUrl());
            }
            if (p.charset() != null) {
                b.charset(p.charset());
            }
            if (p.encryptKey() != null) {
                b.encryptKey(p.encryptKey());
            }
            if (p.connectTimeout() != null) {
                b.connectTimeout(p.connectTimeout());
            }
            if (p.readTimeout() != null) {
                b.readTimeout(p.readTimeout());
            }
            return b.build();
        } catch (IllegalStateException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(asProperty(e.getMessage()), e);
        }
    }

    private static String fileHint(String value) {
        return value != null && !KeyMaterial.looksInline(value.strip()) ? " (file " + value.strip() + ")" : "";
    }

    private static List<String> nullSafe(List<String> list) {
        return list == null ? List.of() : list;
    }

    /** The client names builder settings (appId); users know them as properties (alipay.app-id). */
    static String asProperty(String message) {
        if (message == null) {
            return "invalid alipay.* settings";
        }
        String[][] names = {{"appId", "alipay.app-id"}, {"gatewayUrl", "alipay.gateway-url"},
                {"appPrivateKey", "alipay.app-private-key"}, {"alipayPublicKey", "alipay.alipay-public-key"},
                {"appCert", "alipay.app-cert"}, {"alipayCert", "alipay.alipay-cert"},
                {"alipayRootCert", "alipay.alipay-root-cert"}, {"encryptKey", "alipay.encrypt-key"},
                {"connectTimeout", "alipay.connect-timeout"}, {"readTimeout", "alipay.read-timeout"},
                {"charset", "alipay.charset"}};
        String out = message;
        for (String[] n : names) {
            out = out.replaceAll("\\b" + n[0] + "\\b", n[1]);
        }
        return out;
    }
}
