package dev.zhifu.payments.anyqr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.payments.Channel;
import org.junit.jupiter.api.Test;

/** Which wallet opened the any_qr page, from its user agent; and which ids are looked up at all. */
class AnyQrControllerTest {

    @Test
    void theWalletIsToldByItsUserAgent() {
        assertThat(AnyQrController.walletOf("Mozilla/5.0 (Linux; Android 13) Mobile Safari/537.36 "
                        + "AlipayClient/10.5.96.8000 Language/zh-Hans"))
                .isEqualTo(Channel.ALIPAY);
        assertThat(AnyQrController.walletOf("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 "
                        + "MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"))
                .isEqualTo(Channel.WECHATPAY);
        assertThat(AnyQrController.walletOf("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"))
                .isNull();
        assertThat(AnyQrController.walletOf(null)).isNull();
        assertThat(AnyQrController.walletOf("alipayclient"))
                .as("as the apps write it")
                .isNull();
    }

    @Test
    void onlyThePaymentIdFormIsLookedUp() {
        assertThat(AnyQrController.PAYMENT_ID
                        .matcher("pay_0123456789abcdefghijklmn")
                        .matches())
                .isTrue();
        for (String id : new String[] {
            "pay_0123456789abcdefghijklm",
            "pay_0123456789abcdefghijklmno",
            "pay_0123456789ABCDEFGHIJKLMN",
            "ref_0123456789abcdefghijklmn",
            "pay_0123456789abcdefghijkl%6e",
            "' OR 1=1 --"
        }) {
            assertThat(AnyQrController.PAYMENT_ID.matcher(id).matches()).as(id).isFalse();
        }
    }
}
