package dev.zhifu.sandbox.wechat.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.wechat.ApiAnswer;
import dev.zhifu.sandbox.wechat.pay.WechatTime;

/**
 * {@code GET /v3/certificates}: the platform certificates, each PEM encrypted with the APIv3 key under associated
 * data {@code "certificate"}, so only the merchant can read them (and so trust them without a chain check).
 */
public final class CertificatesApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlatformSigner signer;
    private final ApiV3Cipher cipher;

    public CertificatesApi(PlatformSigner signer, ApiV3Cipher cipher) {
        this.signer = signer;
        this.cipher = cipher;
    }

    public ApiAnswer download() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode item = body.putArray("data").addObject();
        item.put("serial_no", signer.certificateSerial());
        item.put(
                "effective_time",
                WechatTime.format(signer.certificate().getNotBefore().toInstant()));
        item.put(
                "expire_time",
                WechatTime.format(signer.certificate().getNotAfter().toInstant()));
        ApiV3Cipher.Sealed sealed = cipher.seal("certificate", signer.certificatePem());
        item.putObject("encrypt_certificate")
                .put("algorithm", ApiV3Cipher.ALGORITHM)
                .put("nonce", sealed.nonce())
                .put("associated_data", sealed.associatedData())
                .put("ciphertext", sealed.ciphertext());
        return ApiAnswer.ok(body.toString());
    }
}
