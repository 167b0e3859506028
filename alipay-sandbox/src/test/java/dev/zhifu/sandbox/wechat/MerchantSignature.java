package dev.zhifu.sandbox.wechat;

import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.security.PrivateKey;

/** A merchant's {@code Authorization} header made by hand, so a test can choose the timestamp, key and serial. */
record MerchantSignature(String mchid, String serialNo, PrivateKey key) {

    private static final Sha256WithRsa RSA = new Sha256WithRsa(RsaProvider.jdk());

    String authorization(String method, String pathAndQuery, long timestamp, String body) {
        String nonce = "n" + System.nanoTime();
        String message = method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n";
        return "WECHATPAY2-SHA256-RSA2048 mchid=\"" + mchid + "\",nonce_str=\"" + nonce + "\",signature=\""
                + RSA.sign(key, message) + "\",timestamp=\"" + timestamp + "\",serial_no=\"" + serialNo + "\"";
    }
}
