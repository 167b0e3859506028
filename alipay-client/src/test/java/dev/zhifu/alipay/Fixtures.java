package dev.zhifu.alipay;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.fixtures.Vectors;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The official SDK's vectors (test-fixtures) read with this client's own JSON reader and key parsers. */
public final class Fixtures {

    public static final Clock VECTOR_CLOCK = Vectors.CLOCK;
    public static final String APP_ID = Vectors.APP_ID;
    public static final String SDK_TAG = Vectors.SDK_TAG;

    private Fixtures() {}

    public static String resource(String path) {
        return Vectors.text(path);
    }

    public static Map<String, Object> vectors(String file) {
        return Json.parseObject(resource(file));
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Map<String, Object> node, String name) {
        return (List<Map<String, Object>>) node.get(name);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> node, String name) {
        return (Map<String, Object>) node.get(name);
    }

    /** A parameter map of strings (JSON null stays null). */
    @SuppressWarnings("unchecked")
    public static Map<String, String> params(Map<String, Object> node, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<String, Object>) node.get(name)).forEach((k, v) -> out.put(k, (String) v));
        return out;
    }

    /** Whether the SDK threw in this case's {@code sdk_outcome} (our JSON reader keeps booleans as text). */
    public static boolean sdkThrew(Map<String, Object> c) {
        return "true".equals(map(c, "sdk_outcome").get("threw"));
    }

    /** The app's private key as the configuration takes it: the one-line base64 of Alipay's key tool. */
    public static String appPrivateKeyText() {
        return resource("keys/app_private_key_pkcs8.txt");
    }

    public static String appPublicKeyText() {
        return resource("keys/app_public_key.txt");
    }

    public static String alipayPublicKeyText() {
        return resource("keys/alipay_public_key.txt");
    }

    public static PrivateKey appPrivateKey() {
        return AlipayKeys.privateKey(appPrivateKeyText(), "app key");
    }

    public static PublicKey appPublicKey() {
        return AlipayKeys.publicKey(appPublicKeyText(), "app public key");
    }

    public static PrivateKey alipayPrivateKey() {
        return AlipayKeys.privateKey(resource("keys/alipay_private_key_pkcs8.txt"), "alipay key");
    }

    public static PublicKey alipayPublicKey() {
        return AlipayKeys.publicKey(alipayPublicKeyText(), "alipay public key");
    }

    /** A public-key-mode config as the vectors' SDK client had it: fixed clock, SDK tag, JDK provider. */
    public static AlipayConfig.Builder vectorConfig() {
        return AlipayConfig.builder()
                .appId(APP_ID)
                .gatewayUrl("https://openapi.alipay.com/gateway.do")
                .appPrivateKey(appPrivateKeyText())
                .alipayPublicKey(alipayPublicKeyText())
                .clock(VECTOR_CLOCK)
                .sdkTag(SDK_TAG)
                .nativeRsa(false)
                .retryPolicy(RetryPolicy.none());
    }
}
