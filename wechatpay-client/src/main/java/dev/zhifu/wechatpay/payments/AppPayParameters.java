package dev.zhifu.wechatpay.payments;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an app passes to the WeChat app SDK's {@code PayReq}: {@code sign} signs
 * {@code appid\ntimestamp\nnoncestr\nprepayid\n} with the merchant key; {@code package} is always
 * {@code Sign=WXPay} (docs/wechatpay-protocol.md#s10).
 */
public record AppPayParameters(
        String appid,
        String partnerid,
        String prepayid,
        String packageValue,
        String noncestr,
        String timestamp,
        String sign) {

    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("appid", appid);
        map.put("partnerid", partnerid);
        map.put("prepayid", prepayid);
        map.put("package", packageValue);
        map.put("noncestr", noncestr);
        map.put("timestamp", timestamp);
        map.put("sign", sign);
        return map;
    }
}
