package dev.zhifu.loadtest;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.wechatpay.notify.NotificationSigner;
import dev.zhifu.wechatpay.notify.NotificationSigner.SignedNotification;
import java.math.BigDecimal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Notifications as WeChat Pay sends them in demo mode (docs/wechatpay-protocol.md#s6): a JSON envelope whose
 * resource is encrypted with the demo's APIv3 key, signed with the sandbox's "WeChat Pay" key, named by its public
 * key id. The merchant, appid and key id are the embedded sandbox's defaults (alipay-sandbox's
 * {@code WechatPaySettings}), which the service uses in demo mode.
 */
public final class WechatNotifications {

    public static final String MCHID = "1900000001";
    public static final String APPID = "wx0000000000000001";
    public static final String PUBLIC_KEY_ID = "PUB_KEY_ID_0000000000000001";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NotificationSigner signer;

    public WechatNotifications(PrivateKey platformPrivateKey, String apiV3Key) {
        this.signer = new NotificationSigner(AlipayKeys.toPem(platformPrivateKey), PUBLIC_KEY_ID, apiV3Key);
    }

    /** The plaintext resource of a paid Native transaction; {@code amount} in yuan as the service stored it. */
    public static String paidTransaction(String outTradeNo, String amount, String transactionId, Instant paidAt) {
        long fen = new BigDecimal(amount).movePointRight(2).longValueExact();
        String successTime = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                OffsetDateTime.ofInstant(paidAt.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.ofHours(8)));
        return "{\"appid\":\"" + APPID + "\",\"mchid\":\"" + MCHID + "\",\"out_trade_no\":\"" + outTradeNo
                + "\",\"transaction_id\":\"" + transactionId + "\",\"trade_type\":\"NATIVE\","
                + "\"trade_state\":\"SUCCESS\",\"trade_state_desc\":\"支付成功\",\"bank_type\":\"OTHERS\","
                + "\"success_time\":\"" + successTime + "\",\"payer\":{\"openid\":\"oStorm000000000000000000000\"},"
                + "\"amount\":{\"total\":" + fen + ",\"payer_total\":" + fen + ",\"currency\":\"CNY\","
                + "\"payer_currency\":\"CNY\"}}";
    }

    /** A notification id as WeChat Pay's look (a UUID). */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** WeChat Pay's 28-digit transaction id. */
    public static String newTransactionId() {
        StringBuilder s = new StringBuilder("4200");
        for (int i = 0; i < 24; i++) {
            s.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return s.toString();
    }

    /** TRANSACTION.SUCCESS for the resource, signed as at {@code at} (a fresh nonce each time). */
    public SignedNotification transactionSuccess(String id, String transactionJson, Instant at) {
        return signer.sign(id, "TRANSACTION.SUCCESS", "transaction", transactionJson, at);
    }
}
