package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.fixtures.FuzzInput;
import dev.zhifu.wechatpay.crypto.PemKeys;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * The certificate list {@code GET /v3/certificates} returns is read only as far as the APIv3 key proves it:
 * whatever the body, the result is the certificates sealed in it under their own serials or a
 * {@link WechatPayMalformedException}. Whatever text is sealed as a certificate, the same holds.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/wechatpay/CertificateDownloadFuzzTestInputs/}.
 */
class CertificateDownloadFuzzTest {

    @FuzzTest
    void body(byte[] input) {
        try {
            Map<String, X509Certificate> certificates =
                    CertificateDownload.decrypt(FuzzInput.text(input), WechatPaySide.APIV3);
            certificates.forEach((serial, certificate) ->
                    assertThat(PemKeys.serialNumber(certificate)).isEqualTo(serial));
        } catch (WechatPayMalformedException refused) {
            assertThat(refused.getMessage()).startsWith("certificate download unusable");
        }
    }

    /** Input: the serial, a NUL, then the text sealed as the certificate. */
    @FuzzTest
    void sealedCertificate(byte[] input) {
        byte[][] parts = FuzzInput.split(input, 2);
        String serial = FuzzInput.text(parts[0]).replace("\"", "").replace("\\", "");
        String nonce = "fuzzNonce012";
        String body = "{\"data\":[{\"serial_no\":\"" + serial + "\",\"encrypt_certificate\":{\"algorithm\":"
                + "\"AEAD_AES_256_GCM\",\"nonce\":\"" + nonce + "\",\"associated_data\":\"certificate\","
                + "\"ciphertext\":\"" + WechatPaySide.APIV3.encrypt("certificate", nonce, FuzzInput.text(parts[1]))
                + "\"}}]}";
        try {
            Map<String, X509Certificate> certificates = CertificateDownload.decrypt(body, WechatPaySide.APIV3);
            assertThat(certificates.keySet())
                    .singleElement()
                    .satisfies(s -> assertThat(s).isEqualToIgnoringCase(serial));
        } catch (WechatPayMalformedException refused) {
            assertThat(refused.isOutcomeUnknown()).isFalse();
        }
    }
}
