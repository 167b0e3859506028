package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.wechatpay.WechatPayApiException;
import dev.zhifu.wechatpay.WechatPayConfig;
import dev.zhifu.wechatpay.payments.Order;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Our client in WeChat Pay public key mode: the way WeChat Pay sets up new merchants. */
class WechatClientAgainstSandboxTest extends WechatClientRoundTrips {

    @Override
    WechatPayConfig.Builder verification(WechatPayConfig.Builder merchant, WechatPayAccount account) {
        return merchant.wechatPayPublicKey(base64(account.publicKey()), account.publicKeyId());
    }

    @Test
    void requestSignedWithAnotherKeyIsRefusedAsSignError() {
        Order order = new Order("SIGN_ERROR_1", "wrong key", new BigDecimal("0.01"), "http://127.0.0.1:9/notify");

        assertThatThrownBy(() -> impostor().nativePrepay(order))
                .isInstanceOfSatisfying(WechatPayApiException.class, definiteRefusal(401, "SIGN_ERROR"));
    }
}
