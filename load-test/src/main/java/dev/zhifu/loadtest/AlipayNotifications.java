package dev.zhifu.loadtest;

import dev.zhifu.alipay.notify.NotificationSigner;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Asynchronous notifications as Alipay sends them (form POST, RSA2-signed with the "Alipay" key). */
public final class AlipayNotifications {

    public static final String APP_ID = "2021000000000001";
    public static final String SELLER_ID = "2088000000000001";
    private static final DateTimeFormatter ALIPAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NotificationSigner signer;

    public AlipayNotifications(PrivateKey alipayPrivateKey) {
        this.signer = new NotificationSigner(alipayPrivateKey);
    }

    /** The unsigned parameters of a trade notification for a payment (amount as the service stored it). */
    public static Map<String, String> trade(
            String outTradeNo,
            String amount,
            String tradeStatus,
            String notifyId,
            String tradeNo,
            LocalDateTime notifyTime) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("notify_time", ALIPAY_TIME.format(notifyTime));
        p.put("notify_type", "trade_status_sync");
        p.put("notify_id", notifyId);
        p.put("charset", "utf-8");
        p.put("version", "1.0");
        p.put("app_id", APP_ID);
        p.put("auth_app_id", APP_ID);
        p.put("trade_no", tradeNo);
        p.put("out_trade_no", outTradeNo);
        p.put("trade_status", tradeStatus);
        p.put("total_amount", amount);
        p.put("receipt_amount", amount);
        p.put("buyer_id", "2088102177846880");
        p.put("buyer_logon_id", "158****1562");
        p.put("seller_id", SELLER_ID);
        p.put("subject", "Load test");
        p.put("gmt_create", ALIPAY_TIME.format(notifyTime.minusMinutes(1)));
        p.put("gmt_payment", ALIPAY_TIME.format(notifyTime.minusSeconds(1)));
        return p;
    }

    public static Map<String, String> tradeSuccess(String outTradeNo, String amount) {
        return trade(outTradeNo, amount, "TRADE_SUCCESS", newNotifyId(), newTradeNo(), nowInChina());
    }

    /** Alipay's {@code yyyy-MM-dd HH:mm:ss}. */
    public static String format(LocalDateTime time) {
        return ALIPAY_TIME.format(time);
    }

    public static LocalDateTime nowInChina() {
        return LocalDateTime.now(ZoneOffset.ofHours(8)).withNano(0);
    }

    public static String newNotifyId() {
        return "ntf" + digits(28);
    }

    public static String newTradeNo() {
        return "2026" + digits(24);
    }

    private static String digits(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return s.toString();
    }

    /** The signed form body, URL-encoded in the notification's charset. */
    public byte[] formBody(Map<String, String> params) {
        return signer.formBody(params);
    }
}
