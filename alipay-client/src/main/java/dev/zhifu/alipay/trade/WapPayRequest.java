package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.util.Map;

/**
 * {@code alipay.trade.wap.pay}: the mobile-web cashier (docs/alipay-protocol.md#s11.5). Signed for the browser with
 * {@link dev.zhifu.alipay.AlipayClient#browserPayment}.
 */
public record WapPayRequest(Order order, String returnUrl, String notifyUrl, String quitUrl)
        implements AlipayRequest<Void> {

    public static WapPayRequest of(String outTradeNo, BigDecimal amount, String subject) {
        return new WapPayRequest(Order.of(outTradeNo, amount, subject), null, null, null);
    }

    public WapPayRequest withReturnUrl(String url) {
        return new WapPayRequest(order, url, notifyUrl, quitUrl);
    }

    public WapPayRequest withNotifyUrl(String url) {
        return new WapPayRequest(order, returnUrl, url, quitUrl);
    }

    public WapPayRequest withQuitUrl(String url) {
        return new WapPayRequest(order, returnUrl, notifyUrl, url);
    }

    @Override
    public String method() {
        return "alipay.trade.wap.pay";
    }

    @Override
    public void validate() {
        order.validate();
        Biz.url(returnUrl, "return_url");
        Biz.url(notifyUrl, "notify_url");
        Biz.url(quitUrl, "quit_url");
    }

    @Override
    public Map<String, Object> bizContent() {
        return order.into(Biz.of())
                .put("product_code", "QUICK_WAP_WAY")
                .put("quit_url", quitUrl)
                .map();
    }

    @Override
    public Void read(AlipayResponse response) {
        throw new UnsupportedOperationException("wap pay is signed for the browser, not executed");
    }
}
