package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.crypto.AeadAes256Gcm;
import dev.zhifu.wechatpay.crypto.KeyMaterialException;
import dev.zhifu.wechatpay.crypto.PemKeys;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the answer of {@code GET /v3/certificates}: each certificate decrypted with the APIv3 key, its serial
 * checked against {@code serial_no}, then the answer's own signature verified, with a certificate already trusted
 * or one of those just decrypted: only WeChat Pay and the merchant know the APIv3 key that sealed them
 * (docs/wechatpay-protocol.md#s5).
 */
final class CertificateDownload {

    static final String PATH = "/v3/certificates";

    private CertificateDownload() {}

    static Map<String, X509Certificate> read(
            Map<String, String> headers, String body, AeadAes256Gcm apiV3, AnswerVerifier verifier) {
        Map<String, X509Certificate> downloaded = decrypt(body, apiV3);
        verifier.verify(headers, body, false, serial -> {
            X509Certificate fresh = downloaded.get(serial);
            return fresh != null ? Optional.of((PublicKey) fresh.getPublicKey()) : verifier.findKey(serial);
        });
        return downloaded;
    }

    /** @throws WechatPayMalformedException when the body is not a certificate list sealed with this key */
    static Map<String, X509Certificate> decrypt(String body, AeadAes256Gcm apiV3) {
        try {
            Map<String, Object> answer = Json.parseObject(body);
            if (!(answer.get("data") instanceof List<?> data)) {
                throw new IllegalArgumentException("no data list");
            }
            Map<String, X509Certificate> result = new HashMap<>();
            for (Object item : data) {
                Map<String, Object> entry = Fields.object(item, "data[]");
                String serial = Fields.text(entry, "serial_no");
                Map<String, Object> sealed = Fields.object(entry.get("encrypt_certificate"), "encrypt_certificate");
                String algorithm = Fields.text(sealed, "algorithm");
                if (!AeadAes256Gcm.ALGORITHM.equals(algorithm)) {
                    throw new IllegalArgumentException("unsupported algorithm " + algorithm);
                }
                String pem = apiV3.decrypt(
                        Fields.optionalText(sealed, "associated_data"),
                        Fields.text(sealed, "nonce"),
                        Fields.text(sealed, "ciphertext"));
                X509Certificate certificate = PemKeys.certificate(pem);
                if (!PemKeys.serialNumber(certificate).equalsIgnoreCase(serial)) {
                    throw new IllegalArgumentException("serial_no " + serial + " is not the certificate's");
                }
                result.put(PemKeys.serialNumber(certificate), certificate);
            }
            return result;
        } catch (IllegalArgumentException | AeadAes256Gcm.DecryptionException e) {
            String why = e instanceof KeyMaterialException ? "a certificate does not parse" : e.getMessage();
            throw new WechatPayMalformedException("certificate download unusable: " + why, false, e);
        }
    }
}
