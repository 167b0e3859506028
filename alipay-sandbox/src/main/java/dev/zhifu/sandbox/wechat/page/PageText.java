package dev.zhifu.sandbox.wechat.page;

import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** The few words of the WeChat Pay pages, in Chinese (WeChat's own language) or English: {@code ?lang=} or the browser's choice. */
final class PageText {

    private static final Map<String, String[]> WORDS = Map.ofEntries(
            Map.entry("brand", new String[] {"微信支付 · 沙箱", "WeChat Pay · sandbox"}),
            Map.entry("scan.title", new String[] {"扫码支付", "Scan to pay"}),
            Map.entry("h5.title", new String[] {"微信支付收银台", "WeChat Pay checkout"}),
            Map.entry("jsapi.title", new String[] {"微信内支付", "Pay inside WeChat"}),
            Map.entry("payee", new String[] {"收款方", "Payee"}),
            Map.entry("description", new String[] {"商品", "Item"}),
            Map.entry("out_trade_no", new String[] {"商户订单号", "Merchant order no."}),
            Map.entry("pay", new String[] {"立即支付", "Pay now"}),
            Map.entry("paid", new String[] {"支付成功", "Paid"}),
            Map.entry("closed", new String[] {"订单已关闭", "Order closed"}),
            Map.entry("back", new String[] {"返回商户", "Back to the merchant"}),
            Map.entry("no_order", new String[] {"没有这笔订单", "No such order"}),
            Map.entry("bad_sign", new String[] {"支付验证签名失败", "paySign does not verify"}),
            Map.entry("sandbox", new String[] {"沙箱环境，不会产生真实扣款", "Sandbox: no real money moves"}));

    private final boolean english;

    private PageText(boolean english) {
        this.english = english;
    }

    static PageText of(SandboxRequest request) {
        String lang =
                FormCodec.decode(request.rawQuery(), StandardCharsets.UTF_8).get("lang");
        if (lang == null) {
            String accept = request.header("Accept-Language");
            lang = accept == null ? "zh" : accept.strip().toLowerCase(Locale.ROOT);
        }
        return new PageText(lang.startsWith("en"));
    }

    String get(String key) {
        return WORDS.get(key)[english ? 1 : 0];
    }

    String lang() {
        return english ? "en" : "zh";
    }
}
