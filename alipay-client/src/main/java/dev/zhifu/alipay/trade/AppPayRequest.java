package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.util.Map;

/**
 * {@code alipay.trade.app.pay} (docs/alipay-protocol.md#s11.6): signed into an order string with
 * {@link dev.zhifu.alipay.AlipayClient#appOrderString} for the Alipay mobile SDK.
 */
public record AppPayRequest(Order order, String notifyUrl) implements AlipayRequest<Void> {

    public static AppPayRequest of(String outTradeNo, BigDecimal amount, String subject) {
        return new AppPayRequest(Order.of(outTradeNo, amount, subject), null);
    }

    public AppPayRequest withNotifyUrl(String url) {
        return new AppPayRequest(order, url);
    }

    @Override
    public String method() {
        return "alipay.trade.app.pay";
    }

    @Override
    public void validate() {
        order.validate();
        Biz.url(notifyUrl, "notify_url");
    }

    @Override
    public Map<String, Object> bizContent() {
        return order.into(Biz.of()).put("product_code", "QUICK_MSECURITY_PAY").map();
    }

    @Override
    public Void read(AlipayResponse response) {
        throw new UnsupportedOperationException("app pay is signed into an order string, not executed");
    }
}
