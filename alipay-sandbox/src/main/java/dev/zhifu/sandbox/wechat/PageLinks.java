package dev.zhifu.sandbox.wechat;

import dev.zhifu.sandbox.wechat.pay.PayApi;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;

/**
 * Where a buyer pays. WeChat Pay's {@code code_url} is {@code weixin://wxpay/bizpayurl?pr=…}, which only the WeChat
 * app opens; the sandbox's is a page of its own, so any phone's camera (or a test's browser) that scans the QR code
 * lands on the sandbox, as with Alipay's {@code qr_code}. {@code h5_url} stands in for WeChat's H5 cashier.
 */
final class PageLinks implements PayApi.PayLinks {

    private final String area;

    PageLinks(String basePath) {
        this.area = basePath.isEmpty() ? "/sandbox" : basePath;
    }

    @Override
    public String codeUrl(String origin, WechatTrade trade) {
        return origin + area + "/wechat/qr/" + trade.prepayId();
    }

    @Override
    public String h5Url(String origin, WechatTrade trade) {
        return origin + area + "/wechat/h5?prepay_id=" + trade.prepayId();
    }
}
