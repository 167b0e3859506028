package dev.zhifu.sandbox.wechat.auth;

import dev.zhifu.sandbox.wechat.WechatPayError;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks a merchant's {@code Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",
 * timestamp="…",serial_no="…"} against {@code METHOD\npath?query\ntimestamp\nnonce\nbody\n}, signed with the
 * merchant's API key. Refusals carry WeChat Pay's 401 {@code SIGN_ERROR}.
 */
public final class MerchantAuthorization {

    public static final String SCHEMA = "WECHATPAY2-SHA256-RSA2048";
    /** WeChat Pay refuses requests whose timestamp is more than five minutes off. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final String mchid;
    private final String serialNo;
    private final PublicKey merchantKey;
    private final Clock clock;
    private final Sha256WithRsa rsa;

    public MerchantAuthorization(String mchid, String serialNo, PublicKey merchantKey, Clock clock, Sha256WithRsa rsa) {
        this.mchid = mchid;
        this.serialNo = serialNo;
        this.merchantKey = merchantKey;
        this.clock = clock;
        this.rsa = rsa;
    }

    /** Throws the error WeChat Pay would answer unless the request is the merchant's, fresh and intact. */
    public void verify(String method, String pathAndQuery, String authorization, byte[] body) {
        if (authorization == null || !authorization.startsWith(SCHEMA + " ")) {
            throw WechatPayError.signature("Authorization 头缺失或认证类型不是 " + SCHEMA);
        }
        Map<String, String> token = parseToken(authorization.substring(SCHEMA.length() + 1));
        for (String field : new String[] {"mchid", "nonce_str", "signature", "timestamp", "serial_no"}) {
            if (token.get(field) == null || token.get(field).isEmpty()) {
                throw WechatPayError.signature("Authorization 缺少 " + field);
            }
        }
        if (!mchid.equals(token.get("mchid"))) {
            throw WechatPayError.signature("商户号 " + token.get("mchid") + " 与沙箱商户号不符");
        }
        if (!serialNo.equalsIgnoreCase(token.get("serial_no"))) {
            throw WechatPayError.signature("商户证书序列号 " + token.get("serial_no") + " 不是 " + serialNo);
        }
        checkFresh(token.get("timestamp"));
        String message = method + "\n" + pathAndQuery + "\n" + token.get("timestamp") + "\n" + token.get("nonce_str")
                + "\n" + new String(body, StandardCharsets.UTF_8) + "\n";
        if (!rsa.verify(merchantKey, message, token.get("signature"))) {
            throw WechatPayError.signature("签名错误，请检查后再试");
        }
    }

    private void checkFresh(String timestamp) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw WechatPayError.signature("timestamp 不是整数秒: " + timestamp);
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), clock.instant())
                .abs();
        if (skew.compareTo(MAX_SKEW) > 0) {
            throw WechatPayError.signature("请求已过期: timestamp " + timestamp + " 与当前时间相差 " + skew.toSeconds() + " 秒");
        }
    }

    /** {@code k="v",k2="v2"}: values are quoted; quotes are optional for robustness. */
    static Map<String, String> parseToken(String token) {
        Map<String, String> fields = new HashMap<>();
        for (String part : token.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = part.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            fields.put(part.substring(0, eq).strip(), value);
        }
        return fields;
    }
}
