package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.crypto.AeadAes256Gcm;
import java.util.Map;

/**
 * A notification is trusted in two steps: the signature over the raw body as received (never a re-serialised
 * one), then the {@code resource} decrypted with the APIv3 key (docs/wechatpay-protocol.md#s6).
 */
final class NotificationReader {

    /** The envelope's fields and the decrypted resource. */
    record Opened(String id, String createTime, String eventType, String summary, Map<String, Object> resource) {}

    private final AnswerVerifier verifier;
    private final AeadAes256Gcm apiV3;

    NotificationReader(AnswerVerifier verifier, AeadAes256Gcm apiV3) {
        this.verifier = verifier;
        this.apiV3 = apiV3;
    }

    Opened open(Map<String, String> headers, String body) {
        if (apiV3 == null) {
            throw new IllegalStateException("notifications need the APIv3 key in the configuration");
        }
        if (headers == null || body == null) {
            throw new IllegalArgumentException("a notification's headers and raw body are both required");
        }
        verifier.verify(caseInsensitive(headers), body, false);
        return decrypt(body, apiV3);
    }

    static Opened decrypt(String body, AeadAes256Gcm apiV3) {
        try {
            Map<String, Object> envelope = Json.parseObject(body);
            Map<String, Object> resource = Fields.object(envelope, "resource");
            String algorithm = Fields.text(resource, "algorithm");
            if (!AeadAes256Gcm.ALGORITHM.equals(algorithm)) {
                throw new IllegalArgumentException("unsupported algorithm " + algorithm);
            }
            String plaintext = apiV3.decrypt(
                    Fields.optionalText(resource, "associated_data"),
                    Fields.text(resource, "nonce"),
                    Fields.text(resource, "ciphertext"));
            return new Opened(
                    Fields.text(envelope, "id"),
                    Fields.optionalText(envelope, "create_time"),
                    Fields.text(envelope, "event_type"),
                    Fields.optionalText(envelope, "summary"),
                    Json.parseObject(plaintext));
        } catch (IllegalArgumentException | AeadAes256Gcm.DecryptionException e) {
            throw new WechatPayMalformedException("notification unusable: " + e.getMessage(), false, e);
        }
    }

    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
        java.util.TreeMap<String, String> copy = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        return copy;
    }
}
