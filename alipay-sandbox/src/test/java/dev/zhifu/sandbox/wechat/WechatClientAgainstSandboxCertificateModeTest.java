package dev.zhifu.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.wechatpay.WechatPayConfig;
import dev.zhifu.wechatpay.WechatPaySignatureException;
import dev.zhifu.wechatpay.payments.Order;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Our client in platform certificate mode: with no public key configured it downloads {@code /v3/certificates},
 * decrypts them with the APIv3 key and verifies every answer and notification with the certificate.
 */
class WechatClientAgainstSandboxCertificateModeTest extends WechatClientRoundTrips {

    @Override
    WechatPayConfig.Builder verification(WechatPayConfig.Builder merchant, WechatPayAccount account) {
        return merchant;
    }

    /**
     * With a wrong key even the certificate download is refused, and that refusal cannot be verified: the client
     * holds no certificate yet. It says so rather than trusting the 401 (docs/wechatpay-protocol.md#s4).
     */
    @Test
    void requestSignedWithAnotherKeyCannotEvenFetchTheCertificates() {
        Order order = new Order("SIGN_ERROR_2", "wrong key", new BigDecimal("0.01"), "http://127.0.0.1:9/notify");

        assertThatThrownBy(() -> impostor().nativePrepay(order))
                .isInstanceOf(WechatPaySignatureException.class)
                .hasMessageContaining("401 SIGN_ERROR");
    }
}
