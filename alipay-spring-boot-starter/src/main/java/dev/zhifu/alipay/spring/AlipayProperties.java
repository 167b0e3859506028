package dev.zhifu.alipay.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code alipay.*}: the one binding of these settings, for the starter's client and for payment-service alike. Keys
 * and certificates are a file path ({@code file:} prefix optional) or the text inline (PEM, or the bare base64 of
 * Alipay's key tool); {@link KeyText} tells which. Lists take several values comma-separated
 * ({@code a.pem,b.pem}) or indexed ({@code alipay.alipay-public-key[0]}).
 *
 * @param gatewayUrl      e.g. {@code https://openapi.alipay.com/gateway.do}; the starter defaults to it,
 *                        payment-service runs its demo without it
 * @param appId           the app id
 * @param appPrivateKey   the app's private key
 * @param appPublicKey    the app's public key as uploaded to Alipay's console; only payment-service's {@code doctor}
 *                        reads it, to check that it pairs with {@code appPrivateKey}
 * @param alipayPublicKey public-key mode: the Alipay public key, several during a key change (answers and
 *                        notifications signed by any of them verify)
 * @param appCert         certificate mode: the app's public-key certificate ({@code appCertPublicKey_*.crt})
 * @param alipayCert      certificate mode: the Alipay certificate ({@code alipayCertPublicKey_RSA2.crt}), several
 *                        during a certificate change
 * @param alipayRootCert  certificate mode: Alipay's root bundle ({@code alipayRootCert.crt})
 * @param notifyUrl       the default {@code notify_url}
 * @param sellerId        payment-service: when set, a notification for another seller is refused
 * @param charset         {@code UTF-8} (default) or {@code GBK}
 * @param encryptKey      the AES content key, when the app uses {@code encrypt_type=AES}
 * @param connectTimeout  how long connecting to the gateway may take (payment-service:
 *                        {@code alipay.calls.connect-timeout})
 * @param readTimeout     how long a gateway call may take
 */
@ConfigurationProperties("alipay")
public record AlipayProperties(
        String gatewayUrl,
        String appId,
        String appPrivateKey,
        String appPublicKey,
        List<String> alipayPublicKey,
        String appCert,
        List<String> alipayCert,
        String alipayRootCert,
        String notifyUrl,
        String sellerId,
        String charset,
        String encryptKey,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("15s") Duration readTimeout) {

    public AlipayProperties {
        alipayPublicKey = nonBlank(alipayPublicKey);
        alipayCert = nonBlank(alipayCert);
    }

    /** {@code a.pem,} binds as two values: the empty one is no key. */
    private static List<String> nonBlank(List<String> values) {
        return values == null
                ? List.of()
                : values.stream().filter(v -> v != null && !v.isBlank()).toList();
    }

    /** Whether any certificate-mode setting is given. */
    public boolean certificateMode() {
        return !blank(appCert) || !alipayCert.isEmpty() || !blank(alipayRootCert);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Never a secret: an inline {@code app-private-key} would otherwise be printed by whoever logs this. */
    @Override
    public String toString() {
        return "AlipayProperties[gatewayUrl=" + gatewayUrl + ", appId=" + appId + ", appPrivateKey="
                + (appPrivateKey == null ? null : "******") + ", encryptKey=" + (encryptKey == null ? null : "******")
                + ", mode=" + (certificateMode() ? "certificate" : "public-key") + ", notifyUrl=" + notifyUrl
                + ", sellerId=" + sellerId + ", charset=" + charset + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + "]";
    }
}
