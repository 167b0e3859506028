package dev.zhifu.sandbox.wechat;

import dev.zhifu.sandbox.wechat.pay.PayApi;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;

/**
 * Where a buyer pays: {@code code_url} in WeChat Pay's own {@code weixin://wxpay/bizpayurl?pr=…} form (what the
 * simulated phone's scanner reads), {@code h5_url} a page of the sandbox standing in for WeChat's H5 cashier.
 */
final class PageLinks implements PayApi.PayLinks {

    private final String area;

    PageLinks(String basePath) {
        this.area = basePath.isEmpty() ? "/sandbox" : basePath;
    }

    @Override
    public String codeUrl(String origin, WechatTrade trade) {
        return "weixin://wxpay/bizpayurl?pr=" + trade.prepayId();
    }

    @Override
    public String h5Url(String origin, WechatTrade trade) {
        return origin + area + "/wechat/h5?prepay_id=" + trade.prepayId();
    }
}
