package dev.zhifu.wechatpay;

import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.crypto.AeadAes256Gcm;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What WeChat Pay does in these tests: signs answers and notifications with its key (the public key mode's or a
 * platform certificate's) and encrypts resources with the APIv3 key.
 */
final class WechatPaySide {

    private static final AtomicLong NONCES = new AtomicLong();
    private static final Sha256WithRsa RSA = new Sha256WithRsa(RsaProvider.jdk());
    static final AeadAes256Gcm APIV3 = new AeadAes256Gcm(WechatPayTestKeys.APIV3_KEY);

    final PrivateKey key;
    final String serial;

    WechatPaySide(PrivateKey key, String serial) {
        this.key = key;
        this.serial = serial;
    }

    static WechatPaySide publicKeyMode() {
        return new WechatPaySide(Fixtures.WECHATPAY_PRIVATE, WechatPayTestKeys.PUBLIC_KEY_ID);
    }

    static WechatPaySide platform() {
        return new WechatPaySide(Fixtures.PLATFORM_PRIVATE, WechatPayTestKeys.PLATFORM_SERIAL);
    }

    static WechatPaySide rotatedPlatform() {
        return new WechatPaySide(Fixtures.PLATFORM_ROTATED_PRIVATE, WechatPayTestKeys.PLATFORM_ROTATED_SERIAL);
    }

    /** The four {@code Wechatpay-*} headers signing {@code body} at {@code now}, spelled as WeChat Pay does. */
    Map<String, String> sign(String body, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        String nonce = "nonce" + Long.toHexString(NONCES.incrementAndGet()) + "0123456789abcdef";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Wechatpay-Nonce", nonce);
        headers.put("Wechatpay-Serial", serial);
        headers.put("Wechatpay-Signature", RSA.sign(key, AnswerVerifier.message(timestamp, nonce, body)));
        headers.put("Wechatpay-Timestamp", timestamp);
        return headers;
    }

    /** A notification body: the envelope around {@code plaintext} encrypted with the APIv3 key. */
    static String notificationBody(String id, String eventType, String resourceType, String plaintext) {
        String nonce = "n0tifyN0nce1";
        String associatedData = "transaction";
        return "{\"id\":\"" + id + "\",\"create_time\":\"2026-12-07T12:00:00+08:00\",\"resource_type\":"
                + "\"encrypt-resource\",\"event_type\":\"" + eventType + "\",\"summary\":\"支付成功\","
                + "\"resource\":{\"original_type\":\"" + resourceType + "\",\"algorithm\":\"AEAD_AES_256_GCM\","
                + "\"ciphertext\":\"" + APIV3.encrypt(associatedData, nonce, plaintext) + "\",\"associated_data\":\""
                + associatedData + "\",\"nonce\":\"" + nonce + "\"}}";
    }

    static String transactionJson(String outTradeNo, long totalFen, String state) {
        return "{\"mchid\":\"" + WechatPayTestKeys.MCHID + "\",\"appid\":\"" + WechatPayTestKeys.APP_ID
                + "\",\"out_trade_no\":\"" + outTradeNo + "\",\"transaction_id\":\"4200000000"
                + Math.abs(outTradeNo.hashCode())
                + "\",\"trade_type\":\"NATIVE\",\"trade_state\":\"" + state + "\",\"trade_state_desc\":\"支付成功\","
                + "\"bank_type\":\"OTHERS\",\"attach\":\"\",\"success_time\":\"2026-12-07T12:00:00+08:00\","
                + "\"payer\":{\"openid\":\"oTEST0000000000000000000001\"},\"amount\":{\"total\":" + totalFen
                + ",\"payer_total\":" + totalFen + ",\"currency\":\"CNY\",\"payer_currency\":\"CNY\"}}";
    }

    static String refundNotificationJson(String outTradeNo, String outRefundNo, long refundFen, long totalFen) {
        return "{\"mchid\":\"" + WechatPayTestKeys.MCHID + "\",\"out_trade_no\":\"" + outTradeNo
                + "\",\"transaction_id\":\"4200000000000000000000000001\",\"out_refund_no\":\"" + outRefundNo
                + "\",\"refund_id\":\"50000000000000000000000000001\",\"refund_status\":\"SUCCESS\","
                + "\"success_time\":\"2026-12-07T12:05:00+08:00\",\"user_received_account\":\"支付用户零钱\","
                + "\"amount\":{\"total\":" + totalFen + ",\"refund\":" + refundFen + ",\"payer_total\":" + totalFen
                + ",\"payer_refund\":" + refundFen + "}}";
    }
}
