package dev.zhifu.alipay.crypto;

import java.nio.charset.Charset;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Verifies signatures made with one public key. Thread-safe, with pooled {@link Signature} objects. */
public final class AlipayVerifier {

    private final PublicKey key;
    private final SignType type;
    private final RsaProvider provider;
    private final ConcurrentLinkedQueue<Signature> pool = new ConcurrentLinkedQueue<>();

    public AlipayVerifier(PublicKey key, SignType type, RsaProvider provider) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.provider = Objects.requireNonNull(provider, "provider");
        pool.offer(newSignature());
    }

    public PublicKey key() {
        return key;
    }

    public SignType type() {
        return type;
    }

    /** True when {@code base64Signature} is a valid signature of {@code content} in {@code charset}. */
    public boolean verify(String content, Charset charset, String base64Signature) {
        return verify(content.getBytes(charset), base64Signature);
    }

    public boolean verify(byte[] content, String base64Signature) {
        if (base64Signature == null || base64Signature.isEmpty()) {
            return false;
        }
        byte[] signatureBytes;
        try {
            // strict decoder: a '+' turned into ' ' by a wrong form decoding must fail, not be skipped
            signatureBytes = Base64.getDecoder().decode(base64Signature);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        Signature signature = pool.poll();
        if (signature == null) {
            signature = newSignature();
        }
        try {
            signature.update(content);
            boolean valid = signature.verify(signatureBytes);
            pool.offer(signature);
            return valid;
        } catch (GeneralSecurityException malformed) {
            // the object may be mid-operation: re-initialise it rather than pooling it
            return false;
        }
    }

    private Signature newSignature() {
        Signature signature = provider.signature(type);
        try {
            signature.initVerify(key);
        } catch (java.security.InvalidKeyException e) {
            throw new KeyMaterialException("the public key cannot verify " + type + " with " + provider.name(), e);
        }
        return signature;
    }
}
