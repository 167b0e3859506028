package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.crypto.KeyMaterialException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A configuration is complete and well-formed when built, or it is not built (docs/wechatpay-protocol.md#s4). */
class WechatPayConfigTest {

    private static final String URL = "https://api.mch.weixin.qq.com";

    @Test
    void withoutAnyWayToVerifyAnswersNoClientCanBeBuilt() {
        assertThatThrownBy(() -> Fixtures.merchant(URL).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no way to verify");
    }

    @Test
    void theApiV3KeyAloneMeansCertificatesAreDownloaded() {
        WechatPayConfig config = Fixtures.certificateMode(URL).build();

        assertThat(config.downloadsPlatformCertificates()).isTrue();
    }

    @Test
    void aPublicKeyWithoutItsIdIsRefused() {
        assertThatThrownBy(() -> Fixtures.merchant(URL)
                        .wechatPayPublicKey(Fixtures.WECHATPAY_PUBLIC_KEY, null)
                        .build())
                .hasMessageContaining("PUB_KEY_ID_");
    }

    @Test
    void aPublicKeyIdMustLookLikeOne() {
        assertThatThrownBy(() -> Fixtures.merchant(URL)
                        .wechatPayPublicKey(Fixtures.WECHATPAY_PUBLIC_KEY, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1")
                        .build())
                .hasMessageContaining("publicKeyId is malformed");
    }

    @Test
    void anApiV3KeyOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> Fixtures.merchant(URL).apiV3Key("short").build())
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("32 ASCII");
    }

    @Test
    void aPkcs1PrivateKeyIsRefusedWithTheWayOut() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----";

        assertThatThrownBy(() ->
                        Fixtures.publicKeyMode(URL).merchantPrivateKey(pkcs1).build())
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("pkcs8");
    }

    @Test
    void aPublicKeyWhereThePrivateKeyBelongsIsRefused() {
        assertThatThrownBy(() -> Fixtures.publicKeyMode(URL)
                        .merchantPrivateKey(Fixtures.WECHATPAY_PUBLIC_KEY)
                        .build())
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("PKCS#8");
    }

    @Test
    void aMalformedMchidIsRefused() {
        assertThatThrownBy(() -> Fixtures.publicKeyMode(URL).mchid("19000-1").build())
                .hasMessageContaining("mchid is malformed");
    }

    @Test
    void aBaseUrlWithTheV3PathOrAQueryIsRefused() {
        assertThatThrownBy(() -> Fixtures.publicKeyMode("https://api.mch.weixin.qq.com/v3")
                        .build())
                .hasMessageContaining("/v3 path");
        assertThatThrownBy(() -> Fixtures.publicKeyMode("https://api.mch.weixin.qq.com/?x=1")
                        .build())
                .hasMessageContaining("query");
    }

    @Test
    void aBaseUrlMayHaveAPrefixForAGatewayMountedBelowOne() {
        assertThat(Fixtures.publicKeyMode("http://localhost:8080/sandbox/")
                        .build()
                        .baseUrl())
                .hasToString("http://localhost:8080/sandbox");
    }

    @Test
    void aZeroTimeoutIsRefused() {
        assertThatThrownBy(() ->
                        Fixtures.publicKeyMode(URL).readTimeout(Duration.ZERO).build())
                .hasMessageContaining("readTimeout");
    }

    @Test
    void theSerialIsKeptUpperCaseAndNoKeyShowsInToString() {
        WechatPayConfig config = Fixtures.publicKeyMode(URL)
                .merchantSerialNumber(WechatPayTestKeys.MERCHANT_SERIAL.toLowerCase())
                .build();

        assertThat(config.merchantSerialNumber()).isEqualTo(WechatPayTestKeys.MERCHANT_SERIAL);
        assertThat(config.toString()).doesNotContain("PRIVATE", WechatPayTestKeys.APIV3_KEY);
    }
}
