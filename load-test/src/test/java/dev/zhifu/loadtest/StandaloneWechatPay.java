package dev.zhifu.loadtest;

import dev.zhifu.alipay.crypto.AlipayKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * WeChat Pay played by the standalone sandbox jar for a production-mode service (docs/sandbox.md#wechatpay), with the
 * keys {@link DemoKeyFiles#generateInto} wrote in {@code keys}: the merchant's key pair (the service signs its
 * requests, the sandbox checks them), the "WeChat Pay" platform key (the sandbox signs its answers and notifications,
 * the service verifies them with the public key in public key mode) and the APIv3 key. Merchant, appid and public key
 * id are {@link WechatNotifications}'s, so that notifications this test signs itself are the merchant's too.
 */
final class StandaloneWechatPay {

    private final Path keys;
    private final String merchantSerial;
    private final String apiV3Key;

    StandaloneWechatPay(Path keys) throws IOException {
        this.keys = keys;
        // the serial of a merchant certificate nobody issued: hex, upper case, no leading zero, as WeChat Pay writes it
        byte[] random = new byte[20];
        new SecureRandom().nextBytes(random);
        this.merchantSerial =
                "7" + HexFormat.of().withUpperCase().formatHex(random).substring(1);
        this.apiV3Key = Files.readString(keys.resolve("wechatpay_apiv3_key.txt"), StandardCharsets.US_ASCII)
                .strip();
    }

    /** The sandbox's {@code --wechat-*} flags. */
    List<String> sandboxOptions() {
        return List.of(
                "--wechat-mchid",
                WechatNotifications.MCHID,
                "--wechat-appid",
                WechatNotifications.APPID,
                "--wechat-merchant-public-key",
                absolute("wechatpay_merchant_public_key.pem"),
                "--wechat-merchant-serial",
                merchantSerial,
                "--wechat-apiv3-key",
                apiV3Key,
                "--wechat-public-key-id",
                WechatNotifications.PUBLIC_KEY_ID,
                "--wechat-private-key",
                absolute("wechatpay_platform_private_key.pem"));
    }

    /** The service's {@code wechatpay.*} settings: the sandbox at {@code sandboxBase} as WeChat Pay. */
    List<String> serviceArgs(String sandboxBase, int servicePort) {
        return List.of(
                "--wechatpay.gateway-url=" + sandboxBase,
                "--wechatpay.mchid=" + WechatNotifications.MCHID,
                "--wechatpay.appid=" + WechatNotifications.APPID,
                "--wechatpay.merchant-serial-number=" + merchantSerial,
                "--wechatpay.private-key=" + absolute("wechatpay_merchant_private_key.pem"),
                "--wechatpay.apiv3-key=" + apiV3Key,
                "--wechatpay.public-key=" + absolute("wechatpay_platform_public_key.pem"),
                "--wechatpay.public-key-id=" + WechatNotifications.PUBLIC_KEY_ID,
                "--wechatpay.notify-url=http://127.0.0.1:" + servicePort + "/notify/wechatpay");
    }

    /** Signs notifications as this WeChat Pay does (the storm's, sent by the test rather than the sandbox). */
    WechatNotifications notifications() {
        return new WechatNotifications(
                AlipayKeys.readPrivateKey(keys.resolve("wechatpay_platform_private_key.pem")), apiV3Key);
    }

    private String absolute(String file) {
        return keys.resolve(file).toAbsolutePath().toString();
    }
}
