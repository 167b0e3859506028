package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.util.Map;

/** {@code alipay.trade.create}: a trade for JSAPI / mini-program payment (docs/alipay-protocol.md#s11.3). */
public record CreateTradeRequest(Order order, String buyerId, String buyerOpenId, String productCode, String notifyUrl)
        implements AlipayRequest<CreateTradeRequest.Response> {

    public record Response(String outTradeNo, String tradeNo, AlipayResponse raw) {}

    public static CreateTradeRequest forBuyer(String outTradeNo, BigDecimal amount, String subject, String buyerId) {
        return new CreateTradeRequest(Order.of(outTradeNo, amount, subject), buyerId, null, "JSAPI_PAY", null);
    }

    public static CreateTradeRequest forOpenId(String outTradeNo, BigDecimal amount, String subject, String openId) {
        return new CreateTradeRequest(Order.of(outTradeNo, amount, subject), null, openId, "JSAPI_PAY", null);
    }

    public CreateTradeRequest withNotifyUrl(String url) {
        return new CreateTradeRequest(order, buyerId, buyerOpenId, productCode, url);
    }

    @Override
    public String method() {
        return "alipay.trade.create";
    }

    @Override
    public void validate() {
        order.validate();
        Biz.text(buyerId, "buyer_id", 28, false);
        Biz.text(buyerOpenId, "buyer_open_id", 128, false);
        Biz.url(notifyUrl, "notify_url");
    }

    @Override
    public Map<String, Object> bizContent() {
        return order.into(Biz.of())
                .put("buyer_id", buyerId)
                .put("buyer_open_id", buyerOpenId)
                .put("product_code", productCode)
                .map();
    }

    @Override
    public Response read(AlipayResponse r) {
        return new Response(r.string("out_trade_no"), Responses.required(r, "trade_no"), r);
    }
}
