package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.util.Map;

/**
 * {@code alipay.trade.page.pay}: the PC cashier (docs/alipay-protocol.md#s11.4). Not sent by the server: sign it with
 * {@link dev.zhifu.alipay.AlipayClient#browserPayment} and hand the URL or form to the browser.
 */
public record PagePayRequest(Order order, String returnUrl, String notifyUrl, String qrPayMode)
        implements AlipayRequest<Void> {

    public static PagePayRequest of(String outTradeNo, BigDecimal amount, String subject) {
        return new PagePayRequest(Order.of(outTradeNo, amount, subject), null, null, null);
    }

    public PagePayRequest withReturnUrl(String url) {
        return new PagePayRequest(order, url, notifyUrl, qrPayMode);
    }

    public PagePayRequest withNotifyUrl(String url) {
        return new PagePayRequest(order, returnUrl, url, qrPayMode);
    }

    @Override
    public String method() {
        return "alipay.trade.page.pay";
    }

    @Override
    public void validate() {
        order.validate();
        Biz.url(returnUrl, "return_url");
        Biz.url(notifyUrl, "notify_url");
    }

    @Override
    public Map<String, Object> bizContent() {
        return order.into(Biz.of())
                .put("product_code", "FAST_INSTANT_TRADE_PAY")
                .put("qr_pay_mode", qrPayMode)
                .map();
    }

    @Override
    public Void read(AlipayResponse response) {
        throw new UnsupportedOperationException("page pay is signed for the browser, not executed");
    }
}
