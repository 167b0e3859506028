package dev.zhifu.alipay.trade;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The order fields shared by every way to pay: what is bought, for how much, until when.
 *
 * @param outTradeNo     merchant order number, unique per merchant (1-64 of {@code [A-Za-z0-9_-]})
 * @param totalAmount    yuan, 0.01 to 100000000.00, at most 2 decimals
 * @param subject        order title, at most 256 characters
 * @param body           description, optional
 * @param timeoutExpress relative expiry ({@code 30m}, {@code 2h}, {@code 1d}, {@code 1c}), optional
 * @param timeExpire     absolute expiry {@code yyyy-MM-dd HH:mm:ss} GMT+8, optional; wins over timeoutExpress
 * @param passbackParams echoed back in the notification, optional
 * @param extra          any further biz_content fields (goods_detail, extend_params…), optional
 */
public record Order(
        String outTradeNo,
        BigDecimal totalAmount,
        String subject,
        String body,
        String timeoutExpress,
        String timeExpire,
        String passbackParams,
        Map<String, Object> extra) {

    public Order {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static Order of(String outTradeNo, BigDecimal totalAmount, String subject) {
        return new Order(outTradeNo, totalAmount, subject, null, null, null, null, Map.of());
    }

    public Order withBody(String body) {
        return new Order(outTradeNo, totalAmount, subject, body, timeoutExpress, timeExpire, passbackParams, extra);
    }

    public Order withTimeoutExpress(String timeoutExpress) {
        return new Order(outTradeNo, totalAmount, subject, body, timeoutExpress, timeExpire, passbackParams, extra);
    }

    public Order withTimeExpire(String timeExpire) {
        return new Order(outTradeNo, totalAmount, subject, body, timeoutExpress, timeExpire, passbackParams, extra);
    }

    public Order withPassbackParams(String passbackParams) {
        return new Order(outTradeNo, totalAmount, subject, body, timeoutExpress, timeExpire, passbackParams, extra);
    }

    public Order with(String bizField, Object value) {
        java.util.Map<String, Object> more = new java.util.HashMap<>(extra);
        more.put(bizField, value);
        return new Order(outTradeNo, totalAmount, subject, body, timeoutExpress, timeExpire, passbackParams, more);
    }

    void validate() {
        Biz.outNo(outTradeNo, "out_trade_no");
        Biz.amount(totalAmount, "total_amount");
        Biz.text(subject, "subject", 256, true);
        Biz.text(body, "body", 128, false);
        Biz.timeoutExpress(timeoutExpress);
        if (timeExpire != null && !timeExpire.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}(:\\d{2})?")) {
            throw new IllegalArgumentException("time_expire: yyyy-MM-dd HH:mm:ss, got '" + timeExpire + "'");
        }
        Biz.text(passbackParams, "passback_params", 512, false);
    }

    Biz into(Biz biz) {
        return biz.putAll(extra)
                .put("out_trade_no", outTradeNo)
                .put("total_amount", totalAmount)
                .put("subject", subject)
                .put("body", body)
                .put("timeout_express", timeoutExpress)
                .put("time_expire", timeExpire)
                .put("passback_params", passbackParams);
    }
}
