package dev.zhifu.sandbox.wechat;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.wechat.auth.ApiV3Cipher;
import dev.zhifu.sandbox.wechat.auth.MerchantSerial;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * Who the WeChat Pay side is talking to and with which keys, all filled in (the sandbox generates what was not
 * given).
 *
 * @param merchantPrivateKey null when the merchant's public key was given (the sandbox never saw the private one)
 */
public record WechatPaySettings(
        String mchid,
        String appid,
        PublicKey merchantPublicKey,
        PrivateKey merchantPrivateKey,
        String merchantSerial,
        String apiV3Key,
        String publicKeyId,
        PrivateKey platformPrivateKey) {

    public static final String DEFAULT_MCHID = "1900000001";
    public static final String DEFAULT_APPID = "wx0000000000000001";
    public static final String DEFAULT_PUBLIC_KEY_ID = "PUB_KEY_ID_0000000000000001";

    /**
     * Fills in what was not configured: a merchant key pair (so a test can sign without set-up), its serial, an
     * APIv3 key and the sandbox's own key. Any argument may be null except the ids, which have defaults.
     */
    public static WechatPaySettings resolve(
            String mchid,
            String appid,
            PublicKey merchantPublicKey,
            String merchantSerial,
            String apiV3Key,
            String publicKeyId,
            PrivateKey platformPrivateKey) {
        PrivateKey merchantPrivateKey = null;
        if (merchantPublicKey == null) {
            KeyPair pair = AlipayKeys.generateRsa2048();
            merchantPublicKey = pair.getPublic();
            merchantPrivateKey = pair.getPrivate();
        }
        if (apiV3Key != null && apiV3Key.getBytes(StandardCharsets.US_ASCII).length != 32) {
            throw new IllegalArgumentException("the WeChat Pay APIv3 key must be 32 ASCII characters");
        }
        return new WechatPaySettings(
                mchid == null ? DEFAULT_MCHID : mchid,
                appid == null ? DEFAULT_APPID : appid,
                merchantPublicKey,
                merchantPrivateKey,
                merchantSerial == null ? MerchantSerial.of(merchantPublicKey) : merchantSerial,
                apiV3Key == null ? ApiV3Cipher.generateKey() : apiV3Key,
                publicKeyId == null ? DEFAULT_PUBLIC_KEY_ID : publicKeyId,
                platformPrivateKey == null ? AlipayKeys.generateRsa2048().getPrivate() : platformPrivateKey);
    }
}
