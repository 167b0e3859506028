package dev.zhifu.sandbox.wechat.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * What the WeChat browser checks before paying a JSAPI order: the merchant's page hands {@code appId},
 * {@code timeStamp}, {@code nonceStr}, {@code package} ({@code prepay_id=…}) and {@code paySign}, the merchant key's
 * SHA256withRSA over {@code appId\ntimeStamp\nnonceStr\npackage\n}.
 */
public final class RequestPaymentCheck {

    private final PublicKey merchantKey;

    public RequestPaymentCheck(PublicKey merchantKey) {
        this.merchantKey = merchantKey;
    }

    public boolean verifies(String appId, String timeStamp, String nonceStr, String packageValue, String paySign) {
        if (appId == null || timeStamp == null || nonceStr == null || packageValue == null || paySign == null) {
            return false;
        }
        String message = appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + packageValue + "\n";
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(merchantKey);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(paySign));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
