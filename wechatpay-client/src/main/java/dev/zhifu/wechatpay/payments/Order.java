package dev.zhifu.wechatpay.payments;

import java.math.BigDecimal;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/**
 * What every prepay request (Native, JSAPI, H5, app) carries: the merchant's order number, a description, the
 * amount in yuan, where to notify, optionally {@code attach} and an expiry (docs/wechatpay-protocol.md#s10).
 */
public record Order(
        String outTradeNo,
        String description,
        BigDecimal amount,
        String notifyUrl,
        String attach,
        OffsetDateTime timeExpire) {

    /** 6 to 32 of letters, digits, {@code _ - | * @}: WeChat Pay's rule for merchant order numbers. */
    public static final Pattern MERCHANT_NUMBER = Pattern.compile("[0-9A-Za-z_\\-|*@]{6,32}");

    /** 1 to 64 of the same characters: WeChat Pay's rule for merchant refund numbers ({@code out_refund_no}). */
    public static final Pattern REFUND_NUMBER = Pattern.compile("[0-9A-Za-z_\\-|*@]{1,64}");

    public Order {
        checkMerchantNumber(outTradeNo, "outTradeNo");
        if (description == null || description.isBlank() || description.length() > 127) {
            throw new IllegalArgumentException("description must be 1 to 127 characters");
        }
        dev.zhifu.wechatpay.Fen.fromYuan(amount);
        checkNotifyUrl(notifyUrl);
        if (attach != null && attach.length() > 128) {
            throw new IllegalArgumentException("attach must be at most 128 characters");
        }
    }

    public Order(String outTradeNo, String description, BigDecimal amount, String notifyUrl) {
        this(outTradeNo, description, amount, notifyUrl, null, null);
    }

    static void checkRefundNumber(String value, String name) {
        if (value == null || !REFUND_NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be 1 to 64 of [0-9A-Za-z_-|*@]: " + value);
        }
    }

    static void checkMerchantNumber(String value, String name) {
        if (value == null || !MERCHANT_NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be 6 to 32 of [0-9A-Za-z_-|*@]: " + value);
        }
    }

    /** WeChat Pay calls notify URLs over HTTPS only; plain HTTP is allowed for the offline sandbox. */
    static void checkNotifyUrl(String notifyUrl) {
        URI uri;
        try {
            uri = URI.create(notifyUrl);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("notifyUrl is not a URL: " + notifyUrl, e);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("notifyUrl must be an http(s) URL: " + notifyUrl);
        }
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("notifyUrl must not carry a query: " + notifyUrl);
        }
    }
}
