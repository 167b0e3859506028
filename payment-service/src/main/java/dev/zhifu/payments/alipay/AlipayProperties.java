package dev.zhifu.payments.alipay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code alipay.*}, exactly as docs/rest-api.md#configuration names them. Without {@code gateway-url} the service runs as a demo
 * against the sandbox mounted in-process; with it, every setting the chosen mode needs is required.
 *
 * @param gatewayUrl       e.g. {@code https://openapi.alipay.com/gateway.do}; absent = demo mode
 * @param appId            the app id
 * @param appPrivateKey    a file path, or the key inline
 * @param alipayPublicKey  public-key mode: a file path, or the key inline (several, comma-separated, during a rotation)
 * @param appCert          certificate mode: file path of appCertPublicKey_*.crt
 * @param alipayCert       certificate mode: file path of alipayCertPublicKey_RSA2.crt
 * @param alipayRootCert   certificate mode: file path of alipayRootCert.crt
 * @param notifyUrl        where Alipay reaches this service's {@code /notify/alipay}
 * @param sellerId         when set, a notification for another seller is refused
 * @param readTimeout      how long a gateway call may take
 */
@ConfigurationProperties("alipay")
public record AlipayProperties(
        String gatewayUrl,
        String appId,
        String appPrivateKey,
        String alipayPublicKey,
        String appCert,
        String alipayCert,
        String alipayRootCert,
        String notifyUrl,
        String sellerId,
        @DefaultValue("15s") Duration readTimeout) {

    public boolean demo() {
        return gatewayUrl == null || gatewayUrl.isBlank();
    }

    /** Never the key: an inline {@code app-private-key} would otherwise be printed by whoever logs this. */
    @Override
    public String toString() {
        return "AlipayProperties[gatewayUrl=" + gatewayUrl + ", appId=" + appId + ", appPrivateKey="
                + (appPrivateKey == null ? null : "******") + ", notifyUrl=" + notifyUrl + ", sellerId=" + sellerId
                + ", readTimeout=" + readTimeout + "]";
    }
}
