package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.payments.Order;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Platform certificate mode: downloaded, decrypted, verified, rotated (docs/wechatpay-protocol.md#s5). */
class CertificateModeTest {

    private static final String NOTIFY = "https://merchant.example/notify";

    private LoopbackGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway(WechatPaySide.platform(), Clock.systemUTC());
        gateway.platformCertificates.add(new String[] {Fixtures.PLATFORM_CERT, WechatPayTestKeys.PLATFORM_SERIAL});
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void theFirstRequestFetchesTheCertificatesAndNamesTheOneToVerifyWith() {
        WechatPayClient client =
                new WechatPayClient(Fixtures.certificateMode(gateway.url()).build());

        String codeUrl = client.nativePrepay(new Order("order-cert-01", "C", BigDecimal.ONE, NOTIFY));

        assertThat(codeUrl).startsWith("weixin://");
        assertThat(gateway.received)
                .extracting(LoopbackGateway.Received::pathAndQuery)
                .containsExactly("/v3/certificates", "/v3/pay/transactions/native");
        assertThat(gateway.received.get(1).headers().get("Wechatpay-serial"))
                .containsExactly(WechatPayTestKeys.PLATFORM_SERIAL);
    }

    @Test
    void duringARotationAnswersSignedWithEitherCertificateVerify() {
        gateway.platformCertificates.add(
                new String[] {Fixtures.PLATFORM_ROTATED_CERT, WechatPayTestKeys.PLATFORM_ROTATED_SERIAL});
        WechatPayClient client =
                new WechatPayClient(Fixtures.certificateMode(gateway.url()).build());

        client.nativePrepay(new Order("order-rot-001", "R", BigDecimal.ONE, NOTIFY));
        gateway.signWith(WechatPaySide.rotatedPlatform());
        client.nativePrepay(new Order("order-rot-002", "R", BigDecimal.ONE, NOTIFY));

        assertThat(gateway.received)
                .filteredOn(r -> r.pathAndQuery().equals("/v3/certificates"))
                .hasSize(1);
        assertThat(gateway.received.get(2).headers().get("Wechatpay-serial"))
                .as("once certificates are known, requests name the newest")
                .containsExactly(WechatPayTestKeys.PLATFORM_ROTATED_SERIAL);
    }

    @Test
    void anUnknownSerialTriggersARefreshThatFindsTheNewCertificate() {
        MovableClock clock = new MovableClock();
        WechatPayClient client = new WechatPayClient(
                Fixtures.certificateMode(gateway.url()).clock(clock).build());
        client.nativePrepay(new Order("order-new-001", "N", BigDecimal.ONE, NOTIFY));
        gateway.platformCertificates.add(
                new String[] {Fixtures.PLATFORM_ROTATED_CERT, WechatPayTestKeys.PLATFORM_ROTATED_SERIAL});
        gateway.signWith(WechatPaySide.rotatedPlatform());
        clock.advance(Duration.ofSeconds(61));

        client.nativePrepay(new Order("order-new-002", "N", BigDecimal.ONE, NOTIFY));

        assertThat(gateway.received)
                .filteredOn(r -> r.pathAndQuery().equals("/v3/certificates"))
                .hasSize(2);
    }

    @Test
    void unknownSerialsWithinAMinuteOfTheLastDownloadDoNotDownloadAgain() {
        WechatPayClient client =
                new WechatPayClient(Fixtures.certificateMode(gateway.url()).build());
        client.nativePrepay(new Order("order-new-003", "N", BigDecimal.ONE, NOTIFY));
        gateway.signWith(new WechatPaySide(Fixtures.PLATFORM_ROTATED_PRIVATE, "ABCDEF0123"));

        for (int i = 0; i < 3; i++) {
            String no = "order-new-01" + i;
            assertThatThrownBy(() -> client.nativePrepay(new Order(no, "N", BigDecimal.ONE, NOTIFY)))
                    .isInstanceOf(WechatPaySignatureException.class)
                    .hasMessageContaining("ABCDEF0123");
        }
        assertThat(gateway.received)
                .filteredOn(r -> r.pathAndQuery().equals("/v3/certificates"))
                .hasSize(1);
    }

    @Test
    void givenCertificatesNeedNoDownload() {
        WechatPayClient client = new WechatPayClient(Fixtures.merchant(gateway.url())
                .platformCertificate(Fixtures.PLATFORM_CERT)
                .build());

        client.nativePrepay(new Order("order-given-1", "G", BigDecimal.ONE, NOTIFY));

        assertThat(gateway.received).hasSize(1);
    }

    @Test
    void aDownloadSealedWithAnotherApiV3KeyIsRefusedAndSoIsTheAnswer() {
        WechatPayClient client = new WechatPayClient(Fixtures.merchant(gateway.url())
                .apiV3Key("ANOTHERapiv3key0123456789abcdefX")
                .build());

        assertThatThrownBy(() -> client.nativePrepay(new Order("order-key-001", "K", BigDecimal.ONE, NOTIFY)))
                .isInstanceOf(WechatPayMalformedException.class)
                .hasMessageContaining("tag mismatch");
    }

    @Test
    void aDownloadSignedByAStrangerIsRefused() {
        WechatPayClient client =
                new WechatPayClient(Fixtures.certificateMode(gateway.url()).build());
        gateway.then((exchange, body) -> {
            // the real list, but signed with the merchant's key under the platform's serial
            WechatPaySide forger = new WechatPaySide(Fixtures.MERCHANT_PRIVATE, WechatPayTestKeys.PLATFORM_SERIAL);
            gateway.signedBy(forger, 200, certificatesOf(gateway)).respond(exchange, body);
        });

        assertThatThrownBy(() -> client.nativePrepay(new Order("order-forge-1", "F", BigDecimal.ONE, NOTIFY)))
                .isInstanceOf(WechatPaySignatureException.class);
        assertThat(gateway.received)
                .as("the prepay is never sent without a certificate to verify its answer")
                .extracting(LoopbackGateway.Received::pathAndQuery)
                .containsExactly("/v3/certificates");
    }

    private static String certificatesOf(LoopbackGateway gateway) {
        String nonce = "certNonce0abc";
        return "{\"data\":[{\"serial_no\":\"" + WechatPayTestKeys.PLATFORM_SERIAL + "\",\"encrypt_certificate\":{"
                + "\"algorithm\":\"AEAD_AES_256_GCM\",\"nonce\":\"" + nonce + "\",\"associated_data\":\"certificate\","
                + "\"ciphertext\":\"" + WechatPaySide.APIV3.encrypt("certificate", nonce, Fixtures.PLATFORM_CERT)
                + "\"}}]}";
    }
}
