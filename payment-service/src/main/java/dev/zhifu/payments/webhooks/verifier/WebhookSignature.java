package dev.zhifu.payments.webhooks.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies the payment-service's webhook posts:
 * {@code Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}.
 *
 * <p>For the merchant's own receiver: this class depends on nothing but the JDK, so copy this one file into your
 * code base (keep the package or change it) and call
 *
 * <pre>{@code
 * WebhookSignature.verify(secret, request.getHeader("Payment-Signature"), rawBody, Duration.ofMinutes(5), Clock.systemUTC());
 * }</pre>
 *
 * with the body exactly as received (bytes as UTF-8 text, before any JSON parsing). It throws
 * {@link InvalidSignature} when the header is missing or malformed, the timestamp is further than the tolerance
 * from now (an old post replayed), or no {@code v1} matches; comparison is constant-time. Several {@code v1}
 * values are accepted, so a receiver keeps working while the secret is being changed. Deduplicate events by
 * their {@code id}: delivery is at least once.
 *
 * <p>For the merchant's tests: {@link #header(String, long, String)} builds a valid header for a body.
 */
public final class WebhookSignature {

    /** The header the service sends. */
    public static final String HEADER = "Payment-Signature";

    private WebhookSignature() {}

    /** The header is missing, malformed, too old or too new, or does not match the body. */
    public static final class InvalidSignature extends Exception {
        public InvalidSignature(String message) {
            super(message);
        }
    }

    /** Hex HMAC-SHA256 of {@code t + "." + body} with the secret (UTF-8). */
    public static String sign(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(
                    Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The whole header value for a post of {@code body} at unix time {@code t}. */
    public static String header(String secret, long t, String body) {
        return "t=" + t + ",v1=" + sign(secret, t, body);
    }

    /**
     * Checks a received post.
     *
     * @param secret    the webhook secret ({@code payments.webhook-secret})
     * @param header    the {@code Payment-Signature} header as received
     * @param body      the request body exactly as received
     * @param tolerance how far {@code t} may be from now (e.g. 5 minutes)
     * @param clock     the receiver's clock
     * @return the signed timestamp {@code t}
     * @throws InvalidSignature when the post must be refused
     */
    public static long verify(String secret, String header, String body, Duration tolerance, Clock clock)
            throws InvalidSignature {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret is required");
        }
        if (header == null || header.isBlank()) {
            throw new InvalidSignature("no " + HEADER + " header");
        }
        if (body == null) {
            throw new InvalidSignature("no body");
        }
        Long t = null;
        boolean anyV1 = false;
        boolean match = false;
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new InvalidSignature("malformed " + HEADER + " header");
            }
            String name = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (name.equals("t")) {
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new InvalidSignature("malformed timestamp in " + HEADER);
                }
            } else if (name.equals("v1")) {
                anyV1 = true;
            }
        }
        if (t == null || !anyV1) {
            throw new InvalidSignature(HEADER + " needs t= and v1=");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - t) > tolerance.toSeconds()) {
            throw new InvalidSignature("timestamp outside the tolerance of " + tolerance.toSeconds() + " s");
        }
        byte[] expected = sign(secret, t, body).getBytes(StandardCharsets.US_ASCII);
        for (String part : header.split(",")) {
            String p = part.strip();
            if (p.startsWith("v1=")) {
                // every candidate is compared in full, in time independent of where they differ
                match |= MessageDigest.isEqual(expected, p.substring(3).strip().getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (!match) {
            throw new InvalidSignature("signature does not match");
        }
        return t;
    }
}
