package dev.zhifu.wechatpay.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * WeChat Pay's one signature scheme: SHA256withRSA (PKCS#1 v1.5) over UTF-8 text, Base64 on the wire. The same
 * for requests, answers, notifications and the JSAPI and app payment parameters (docs/wechatpay-protocol.md#s3).
 *
 * <p>Thread-safe. Initialised {@link Signature} objects are kept per key and reused ({@code sign()} and
 * {@code verify()} return them to their initialised state): initialising costs about as much as signing when the
 * provider is ACCP and the key the JDK's, which ACCP converts on every {@code initSign}.
 */
public final class Sha256WithRsa {

    /** A client holds a handful of keys (its own, WeChat Pay's, a rotation's): past this, the pools start over. */
    private static final int MAX_KEYS = 32;

    private final RsaProvider provider;
    private final ConcurrentHashMap<KeyIdentity, Queue<Signature>> pools = new ConcurrentHashMap<>();

    /** Keys by identity: {@code equals} of a JDK key compares its encoding, which costs more than it saves. */
    private record KeyIdentity(Key key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyIdentity other && other.key == key;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key);
        }
    }

    public Sha256WithRsa(RsaProvider provider) {
        this.provider = provider;
    }

    public String sign(PrivateKey key, String message) {
        Queue<Signature> pool = pool(key);
        try {
            Signature signature = pool.poll();
            if (signature == null) {
                signature = provider.signature();
                signature.initSign(key);
            }
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            String result = Base64.getEncoder().encodeToString(signature.sign());
            pool.offer(signature);
            return result;
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
        Queue<Signature> pool = pool(key);
        try {
            Signature signature = pool.poll();
            if (signature == null) {
                signature = provider.signature();
                signature.initVerify(key);
            }
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            boolean valid = signature.verify(raw);
            pool.offer(signature); // only after a verify that completed: a thrown one may leave it half used
            return valid;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private Queue<Signature> pool(Key key) {
        if (pools.size() > MAX_KEYS) {
            pools.clear();
        }
        return pools.computeIfAbsent(new KeyIdentity(key), k -> new ConcurrentLinkedQueue<>());
    }
}
