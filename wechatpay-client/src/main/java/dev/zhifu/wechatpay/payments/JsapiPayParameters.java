package dev.zhifu.wechatpay.payments;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a JSAPI or mini program page passes to {@code WeixinJSBridge.invoke('getBrandWCPayRequest')} or
 * {@code wx.requestPayment}: {@code paySign} signs {@code appId\ntimeStamp\nnonceStr\npackage\n} with the
 * merchant key (docs/wechatpay-protocol.md#s10).
 */
public record JsapiPayParameters(
        String appId, String timeStamp, String nonceStr, String packageValue, String signType, String paySign) {

    /** The prepay id inside {@code package} ({@code prepay_id=…}). */
    public String prepayId() {
        return packageValue.substring("prepay_id=".length());
    }

    /** The names the JavaScript APIs expect, in their order. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("appId", appId);
        map.put("timeStamp", timeStamp);
        map.put("nonceStr", nonceStr);
        map.put("package", packageValue);
        map.put("signType", signType);
        map.put("paySign", paySign);
        return map;
    }
}
