package dev.zhifu.payments.wechatpay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wechatpay.*}: the merchant's WeChat Pay account (docs/payment-channels.md#settings). WeChat Pay is on when
 * {@code mchid} is set, and always in demo mode (the embedded sandbox). Keys are file paths or the PEM text inline.
 *
 * @param gatewayUrl            {@code https://api.mch.weixin.qq.com}; unset in demo mode
 * @param merchantSerialNumber  the serial number of the merchant API certificate whose key signs our requests
 * @param privateKey            that certificate's private key ({@code apiclient_key.pem})
 * @param merchantCertificate   optional: that certificate ({@code apiclient_cert.pem}); when set, its serial and its
 *                              public key are checked against {@code merchantSerialNumber} and {@code privateKey}
 * @param apiv3Key              the APIv3 key: 32 characters, decrypts notifications and certificates
 * @param publicKey             WeChat Pay public key mode: {@code pub_key.pem}, with {@code publicKeyId}
 * @param publicKeyId           {@code PUB_KEY_ID_…}
 * @param platformCertificates  platform certificate mode: certificate files, comma-separated; when neither these nor
 *                              a public key are set, certificates are downloaded with the APIv3 key and rotated
 * @param notifyUrl             where WeChat Pay reaches {@code /notify/wechatpay} (https)
 * @param readTimeout           how long one call may wait for WeChat Pay's answer
 */
@ConfigurationProperties("wechatpay")
public record WechatPayProperties(
        String gatewayUrl,
        String mchid,
        String appid,
        String merchantSerialNumber,
        String privateKey,
        String merchantCertificate,
        String apiv3Key,
        String publicKey,
        String publicKeyId,
        String platformCertificates,
        String notifyUrl,
        @DefaultValue("5s") Duration readTimeout) {

    /** No {@code wechatpay.*} setting at all: WeChat Pay off. */
    public static WechatPayProperties none() {
        return new WechatPayProperties(
                null, null, null, null, null, null, null, null, null, null, null, Duration.ofSeconds(5));
    }

    /** A WeChat Pay merchant is configured (production); the demo always has the sandbox's. */
    public boolean configured() {
        return mchid != null && !mchid.isBlank();
    }
}
