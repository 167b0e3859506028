package dev.zhifu.sandbox.wechat;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * Everything a merchant's test configures a WeChat Pay client with to talk to a running sandbox.
 *
 * @param baseUrl            stands for {@code https://api.mch.weixin.qq.com}
 * @param merchantPrivateKey signs requests; null when the merchant's public key was configured instead
 * @param publicKey          verifies answers and notifications in public key mode (named by {@code publicKeyId})
 * @param certificateSerial  the platform certificate's serial, for certificate mode
 */
public record WechatPayAccount(
        String baseUrl,
        String mchid,
        String appid,
        PrivateKey merchantPrivateKey,
        String merchantSerial,
        String apiV3Key,
        String publicKeyId,
        PublicKey publicKey,
        String certificateSerial) {}
