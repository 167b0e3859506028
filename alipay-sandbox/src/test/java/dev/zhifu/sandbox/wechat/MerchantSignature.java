package dev.zhifu.sandbox.wechat;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** A merchant's {@code Authorization} header made by hand, so a test can choose the timestamp, key and serial. */
record MerchantSignature(String mchid, String serialNo, PrivateKey key) {

    String authorization(String method, String pathAndQuery, long timestamp, String body) throws Exception {
        String nonce = "n" + System.nanoTime();
        String message = method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n";
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(message.getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(s.sign());
        return "WECHATPAY2-SHA256-RSA2048 mchid=\"" + mchid + "\",nonce_str=\"" + nonce + "\",signature=\"" + signature
                + "\",timestamp=\"" + timestamp + "\",serial_no=\"" + serialNo + "\"";
    }
}
