package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks what WeChat Pay signed, answers and notifications alike: {@code timestamp\nnonce\nbody\n} under the key
 * {@code Wechatpay-Serial} names, with a timestamp no more than five minutes off (docs/wechatpay-protocol.md#s4).
 */
final class AnswerVerifier {

    static final String SIGNATURE = "Wechatpay-Signature";
    static final String TIMESTAMP = "Wechatpay-Timestamp";
    static final String NONCE = "Wechatpay-Nonce";
    static final String SERIAL = "Wechatpay-Serial";
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final Sha256WithRsa rsa;
    private final Clock clock;
    private final String publicKeyId;
    private final PublicKey publicKey;
    private final PlatformCertificates certificates;

    AnswerVerifier(
            Sha256WithRsa rsa,
            Clock clock,
            String publicKeyId,
            PublicKey publicKey,
            PlatformCertificates certificates) {
        this.rsa = rsa;
        this.clock = clock;
        this.publicKeyId = publicKeyId;
        this.publicKey = publicKey;
        this.certificates = certificates;
    }

    static String message(String timestamp, String nonce, String body) {
        return timestamp + "\n" + nonce + "\n" + body + "\n";
    }

    /**
     * @param headers looked up without regard to case
     * @param outcomeUnknown what a failure means for the caller: true for answers to requests already sent
     * @throws WechatPaySignatureException when anything is missing, stale or does not verify
     */
    void verify(Map<String, String> headers, String body, boolean outcomeUnknown) {
        verify(headers, body, outcomeUnknown, serial -> findKey(serial));
    }

    void verify(
            Map<String, String> headers,
            String body,
            boolean outcomeUnknown,
            Function<String, Optional<PublicKey>> keys) {
        String signature = required(headers, SIGNATURE, outcomeUnknown);
        String timestamp = required(headers, TIMESTAMP, outcomeUnknown);
        String nonce = required(headers, NONCE, outcomeUnknown);
        String serial = required(headers, SERIAL, outcomeUnknown);
        checkFresh(timestamp, outcomeUnknown);
        PublicKey key = keys.apply(serial)
                .orElseThrow(() -> new WechatPaySignatureException(
                        "no WeChat Pay key or valid platform certificate with serial " + serial, outcomeUnknown));
        if (!rsa.verify(key, message(timestamp, nonce, body), signature)) {
            throw new WechatPaySignatureException("signature does not verify with " + serial, outcomeUnknown);
        }
    }

    Optional<PublicKey> findKey(String serial) {
        if (publicKeyId != null && publicKeyId.equals(serial)) {
            return Optional.of(publicKey);
        }
        if (certificates == null || serial.startsWith("PUB_KEY_ID_")) {
            return Optional.empty();
        }
        return certificates.find(serial).map(X509Certificate::getPublicKey);
    }

    private void checkFresh(String timestamp, boolean outcomeUnknown) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new WechatPaySignatureException("Wechatpay-Timestamp is not a number: " + timestamp, outcomeUnknown);
        }
        Instant now = clock.instant();
        // the same bound as the official SDK: five minutes either way
        if (Math.abs(now.getEpochSecond() - seconds) >= MAX_SKEW.toSeconds()) {
            throw new WechatPaySignatureException(
                    "Wechatpay-Timestamp " + timestamp + " is more than five minutes from now", outcomeUnknown);
        }
    }

    private static String required(Map<String, String> headers, String name, boolean outcomeUnknown) {
        String value = headers.get(name);
        if (value == null || value.isEmpty()) {
            throw new WechatPaySignatureException("header " + name + " is missing", outcomeUnknown);
        }
        return value;
    }
}
