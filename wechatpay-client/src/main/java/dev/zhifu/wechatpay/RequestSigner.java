package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.net.URI;
import java.security.PrivateKey;
import java.security.SecureRandom;

/**
 * Signs with the merchant key: the {@code Authorization} header of every request and the parameters handed to the
 * JSAPI and app SDKs (docs/wechatpay-protocol.md#s3, #s10).
 */
final class RequestSigner {

    static final String SCHEMA = "WECHATPAY2-SHA256-RSA2048";
    private static final char[] NONCE_ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int NONCE_LENGTH = 32;

    private final String mchid;
    private final String serialNumber;
    private final PrivateKey key;
    private final Sha256WithRsa rsa;
    private final SecureRandom random = new SecureRandom();

    RequestSigner(String mchid, String serialNumber, PrivateKey key, Sha256WithRsa rsa) {
        this.mchid = mchid;
        this.serialNumber = serialNumber;
        this.key = key;
        this.rsa = rsa;
    }

    String nonce() {
        char[] nonce = new char[NONCE_LENGTH];
        for (int i = 0; i < nonce.length; i++) {
            nonce[i] = NONCE_ALPHABET[random.nextInt(NONCE_ALPHABET.length)];
        }
        return new String(nonce);
    }

    /** The path and query as sent, undecoded: what WeChat Pay signs against. */
    static String canonicalUrl(URI uri) {
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    /** {@code METHOD\nURL\ntimestamp\nnonce\nbody\n}; the body is empty for GET. */
    static String requestMessage(String method, String canonicalUrl, long timestamp, String nonce, String body) {
        return method + "\n" + canonicalUrl + "\n" + timestamp + "\n" + nonce + "\n" + (body == null ? "" : body)
                + "\n";
    }

    String authorization(String method, URI uri, String body, long timestamp, String nonce) {
        String signature = sign(requestMessage(method, canonicalUrl(uri), timestamp, nonce, body));
        // the official SDK's order; WeChat Pay reads the parameters by name
        return SCHEMA + " mchid=\"" + mchid + "\",nonce_str=\"" + nonce + "\",timestamp=\"" + timestamp
                + "\",serial_no=\"" + serialNumber + "\",signature=\"" + signature + "\"";
    }

    /** Signs lines each followed by {@code \n}, as the JSAPI and app payment parameters are. */
    String signLines(String... lines) {
        StringBuilder message = new StringBuilder();
        for (String line : lines) {
            message.append(line).append('\n');
        }
        return sign(message.toString());
    }

    private String sign(String message) {
        return rsa.sign(key, message);
    }
}
