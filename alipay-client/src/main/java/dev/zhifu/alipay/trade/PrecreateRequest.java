package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.util.Map;

/** {@code alipay.trade.precreate}: a QR code the buyer scans (docs/alipay-protocol.md#s11.1). Not repeated automatically. */
public record PrecreateRequest(Order order, String notifyUrl) implements AlipayRequest<PrecreateRequest.Response> {

    /** @param qrCode content to render as a QR code, valid for 2 hours */
    public record Response(String outTradeNo, String qrCode, AlipayResponse raw) {}

    public static PrecreateRequest of(String outTradeNo, BigDecimal amount, String subject) {
        return new PrecreateRequest(Order.of(outTradeNo, amount, subject), null);
    }

    public PrecreateRequest withNotifyUrl(String url) {
        return new PrecreateRequest(order, url);
    }

    @Override
    public String method() {
        return "alipay.trade.precreate";
    }

    @Override
    public void validate() {
        order.validate();
        Biz.url(notifyUrl, "notify_url");
    }

    @Override
    public Map<String, Object> bizContent() {
        return order.into(Biz.of()).map();
    }

    @Override
    public Response read(AlipayResponse r) {
        return new Response(r.string("out_trade_no"), Responses.required(r, "qr_code"), r);
    }
}
