package dev.zhifu.alipay.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code alipay.*} settings. Keys and certificates are a file path or the text inline (PEM or the bare
 * base64 of Alipay's key tool). Several Alipay public keys or certificates may be listed during a rotation.
 *
 * @param gatewayUrl       e.g. {@code https://openapi.alipay.com/gateway.do}
 * @param appId            the app id
 * @param appPrivateKey    the app's private key
 * @param alipayPublicKey  public-key mode: the Alipay public key(s)
 * @param appCert          certificate mode: the app's public-key certificate
 * @param alipayCert       certificate mode: the Alipay certificate(s)
 * @param alipayRootCert   certificate mode: Alipay's root bundle
 * @param notifyUrl        default notify_url
 * @param charset          UTF-8 (default) or GBK
 * @param encryptKey       AES content key, when the app uses encrypt_type=AES
 * @param connectTimeout   default 3s
 * @param readTimeout      default 15s
 */
@ConfigurationProperties("alipay")
public record AlipayProperties(String gatewayUrl, String appId, String appPrivateKey, List<String> alipayPublicKey,
                               String appCert, List<String> alipayCert, String alipayRootCert, String notifyUrl,
                               String charset, String encryptKey, Duration connectTimeout, Duration readTimeout) {
}
