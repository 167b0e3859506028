package dev.zhifu.alipay.crypto;

import java.nio.charset.Charset;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Signs with one private key. Thread-safe: initialised {@link Signature} objects are pooled per signer,
 * so the key is bound once instead of on every call.
 */
public final class AlipaySigner {

    private final PrivateKey key;
    private final SignType type;
    private final RsaProvider provider;
    private final ConcurrentLinkedQueue<Signature> pool = new ConcurrentLinkedQueue<>();

    public AlipaySigner(PrivateKey key, SignType type, RsaProvider provider) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.provider = Objects.requireNonNull(provider, "provider");
        pool.offer(newSignature()); // fail now, not on the first request, if the key does not suit the provider
    }

    public SignType type() {
        return type;
    }

    /** Base64 signature of {@code content} encoded in {@code charset}. */
    public String sign(String content, Charset charset) {
        return sign(content.getBytes(charset));
    }

    public String sign(byte[] content) {
        Signature signature = pool.poll();
        if (signature == null) {
            signature = newSignature();
        }
        try {
            signature.update(content);
            String result = Base64.getEncoder().encodeToString(signature.sign());
            pool.offer(signature); // sign() resets it to the initialised state
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed with " + provider.name(), e);
        }
    }

    private Signature newSignature() {
        Signature signature = provider.signature(type);
        try {
            signature.initSign(key);
        } catch (java.security.InvalidKeyException e) {
            throw new KeyMaterialException("the private key cannot sign " + type + " with " + provider.name(), e);
        }
        return signature;
    }
}
