package dev.zhifu.wechatpay.notify;

import dev.zhifu.wechatpay.crypto.AeadAes256Gcm;
import dev.zhifu.wechatpay.crypto.PemKeys;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a notification as WeChat Pay sends it, for a merchant's own tests: the resource encrypted with the APIv3
 * key, the body signed with a TEST key standing in for WeChat Pay's (docs/wechatpay-protocol.md#s6). Configure the
 * client under test with that key's public half and serial.
 */
public final class NotificationSigner {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final PrivateKey key;
    private final String serial;
    private final AeadAes256Gcm apiV3;
    private final Sha256WithRsa rsa = new Sha256WithRsa(RsaProvider.jdk());
    private final SecureRandom random = new SecureRandom();

    /**
     * @param privateKeyText the key standing in for WeChat Pay's (PKCS#8 text)
     * @param serial what {@code Wechatpay-Serial} names: a {@code PUB_KEY_ID_…} or a certificate serial
     * @param apiV3Key the merchant's APIv3 key (32 ASCII characters)
     */
    public NotificationSigner(String privateKeyText, String serial, String apiV3Key) {
        this.key = PemKeys.privateKey(privateKeyText);
        this.serial = Objects.requireNonNull(serial, "serial");
        this.apiV3 = new AeadAes256Gcm(apiV3Key);
    }

    /** A notification and the headers that sign it. */
    public record SignedNotification(Map<String, String> headers, String body) {}

    /**
     * @param eventType such as {@code TRANSACTION.SUCCESS} or {@code REFUND.SUCCESS}
     * @param originalType {@code transaction} or {@code refund}
     * @param resourceJson the plaintext resource, a JSON object
     */
    public SignedNotification sign(String id, String eventType, String originalType, String resourceJson, Instant at) {
        String nonce = random(12);
        String body = "{\"id\":" + quote(id) + ",\"create_time\":" + quote(at.toString()) + ",\"resource_type\":"
                + "\"encrypt-resource\",\"event_type\":" + quote(eventType) + ",\"summary\":\"\",\"resource\":{"
                + "\"original_type\":" + quote(originalType) + ",\"algorithm\":\"" + AeadAes256Gcm.ALGORITHM
                + "\",\"ciphertext\":\"" + apiV3.encrypt(originalType, nonce, resourceJson)
                + "\",\"associated_data\":" + quote(originalType) + ",\"nonce\":\"" + nonce + "\"}}";
        String timestamp = Long.toString(at.getEpochSecond());
        String headerNonce = random(32);
        String signature = rsa.sign(key, timestamp + "\n" + headerNonce + "\n" + body + "\n");
        return new SignedNotification(
                Map.of(
                        "Wechatpay-Timestamp", timestamp,
                        "Wechatpay-Nonce", headerNonce,
                        "Wechatpay-Serial", serial,
                        "Wechatpay-Signature", signature),
                body);
    }

    private String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
