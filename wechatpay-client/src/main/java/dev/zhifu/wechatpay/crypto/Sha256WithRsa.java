package dev.zhifu.wechatpay.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * WeChat Pay's one signature scheme: SHA256withRSA (PKCS#1 v1.5) over UTF-8 text, Base64 on the wire. The same
 * for requests, answers, notifications and the JSAPI and app payment parameters (docs/wechatpay-protocol.md#s3).
 */
public final class Sha256WithRsa {

    private final RsaProvider provider;

    public Sha256WithRsa(RsaProvider provider) {
        this.provider = provider;
    }

    public String sign(PrivateKey key, String message) {
        try {
            Signature signature = provider.signature();
            signature.initSign(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with this key", e);
        }
    }

    /** False for a wrong signature and for one that is not even Base64: neither proves anything. */
    public boolean verify(PublicKey key, String message, String signatureBase64) {
        if (signatureBase64 == null || signatureBase64.isEmpty()) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature signature = provider.signature();
            signature.initVerify(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return signature.verify(raw);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
