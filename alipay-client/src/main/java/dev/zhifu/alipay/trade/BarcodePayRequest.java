package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * {@code alipay.trade.pay} with the buyer's payment code (docs/alipay-protocol.md#s11.2). Never retried: a repeat could charge
 * twice. An {@link dev.zhifu.alipay.AlipayGatewayException} with {@code isResultUnknown()} (10003 waiting for
 * the buyer's password, 20000, ACQ.SYSTEM_ERROR) means: query until known, then cancel if still unpaid.
 */
public record BarcodePayRequest(Order order, String authCode, String scene, String notifyUrl)
        implements AlipayRequest<BarcodePayRequest.Response> {

    public record Response(
            String tradeNo,
            String outTradeNo,
            BigDecimal totalAmount,
            BigDecimal receiptAmount,
            String buyerLogonId,
            String buyerUserId,
            LocalDateTime gmtPayment,
            AlipayResponse raw) {}

    public static BarcodePayRequest of(String outTradeNo, BigDecimal amount, String subject, String authCode) {
        return new BarcodePayRequest(Order.of(outTradeNo, amount, subject), authCode, "bar_code", null);
    }

    public BarcodePayRequest withNotifyUrl(String url) {
        return new BarcodePayRequest(order, authCode, scene, url);
    }

    @Override
    public String method() {
        return "alipay.trade.pay";
    }

    @Override
    public void validate() {
        order.validate();
        if (authCode == null || !authCode.matches("\\d{16,24}")) {
            throw new IllegalArgumentException("auth_code: the buyer's payment code, 16-24 digits");
        }
        if (!"bar_code".equals(scene) && !"security_code".equals(scene)) {
            throw new IllegalArgumentException("scene: bar_code or security_code, got '" + scene + "'");
        }
        Biz.url(notifyUrl, "notify_url");
    }

    @Override
    public Map<String, Object> bizContent() {
        return order.into(Biz.of())
                .put("auth_code", authCode)
                .put("scene", scene)
                .put("product_code", "FACE_TO_FACE_PAYMENT")
                .map();
    }

    @Override
    public Response read(AlipayResponse r) {
        return new Response(
                Responses.required(r, "trade_no"),
                r.string("out_trade_no"),
                r.decimal("total_amount"),
                r.decimal("receipt_amount"),
                r.string("buyer_logon_id"),
                r.string("buyer_user_id"),
                Responses.time(r, "gmt_payment"),
                r);
    }
}
