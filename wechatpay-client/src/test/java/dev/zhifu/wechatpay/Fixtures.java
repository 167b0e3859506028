package dev.zhifu.wechatpay;

import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.crypto.PemKeys;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;

/** The TEST keys of test-fixtures, parsed, and configurations built on them. */
final class Fixtures {

    static final String MERCHANT_KEY = WechatPayTestKeys.text("merchant_private_key.pem");
    static final String MERCHANT_CERT = WechatPayTestKeys.text("merchant_certificate.pem");
    static final String WECHATPAY_PUBLIC_KEY = WechatPayTestKeys.text("wechatpay_public_key.pem");
    static final String PLATFORM_CERT = WechatPayTestKeys.text("platform_certificate.pem");
    static final String PLATFORM_ROTATED_CERT = WechatPayTestKeys.text("platform_rotated_certificate.pem");

    static final PrivateKey MERCHANT_PRIVATE = PemKeys.privateKey(MERCHANT_KEY);
    static final PublicKey MERCHANT_PUBLIC = PemKeys.certificate(MERCHANT_CERT).getPublicKey();
    static final PrivateKey WECHATPAY_PRIVATE = PemKeys.privateKey(WechatPayTestKeys.text("wechatpay_private_key.pem"));
    static final PrivateKey PLATFORM_PRIVATE = PemKeys.privateKey(WechatPayTestKeys.text("platform_private_key.pem"));
    static final PrivateKey PLATFORM_ROTATED_PRIVATE =
            PemKeys.privateKey(WechatPayTestKeys.text("platform_rotated_private_key.pem"));

    private Fixtures() {}

    /** Merchant identity only: add a verification mode. */
    static WechatPayConfig.Builder merchant(String baseUrl) {
        return WechatPayConfig.builder()
                .mchid(WechatPayTestKeys.MCHID)
                .appId(WechatPayTestKeys.APP_ID)
                .merchantSerialNumber(WechatPayTestKeys.MERCHANT_SERIAL)
                .merchantPrivateKey(MERCHANT_KEY)
                .baseUrl(baseUrl)
                .nativeRsa(false);
    }

    static WechatPayConfig.Builder publicKeyMode(String baseUrl) {
        return merchant(baseUrl)
                .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                .wechatPayPublicKey(WECHATPAY_PUBLIC_KEY, WechatPayTestKeys.PUBLIC_KEY_ID);
    }

    /** Platform certificates downloaded from {@code /v3/certificates}. */
    static WechatPayConfig.Builder certificateMode(String baseUrl) {
        return merchant(baseUrl).apiV3Key(WechatPayTestKeys.APIV3_KEY);
    }

    static WechatPayConfig.Builder publicKeyMode(String baseUrl, Clock clock) {
        return publicKeyMode(baseUrl).clock(clock);
    }
}
