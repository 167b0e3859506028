package dev.zhifu.sandbox.wechat.auth;

import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.security.PublicKey;

/**
 * What the WeChat browser checks before paying a JSAPI order: the merchant's page hands {@code appId},
 * {@code timeStamp}, {@code nonceStr}, {@code package} ({@code prepay_id=…}) and {@code paySign}, the merchant key's
 * SHA256withRSA over {@code appId\ntimeStamp\nnonceStr\npackage\n}.
 */
public final class RequestPaymentCheck {

    private final PublicKey merchantKey;
    private final Sha256WithRsa rsa;

    public RequestPaymentCheck(PublicKey merchantKey, Sha256WithRsa rsa) {
        this.merchantKey = merchantKey;
        this.rsa = rsa;
    }

    public boolean verifies(String appId, String timeStamp, String nonceStr, String packageValue, String paySign) {
        if (appId == null || timeStamp == null || nonceStr == null || packageValue == null) {
            return false;
        }
        String message = appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + packageValue + "\n";
        return rsa.verify(merchantKey, message, paySign);
    }
}
