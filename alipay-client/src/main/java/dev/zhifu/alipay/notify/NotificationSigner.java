package dev.zhifu.alipay.notify;

import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds notifications signed exactly as Alipay signs them, for tests (ours, our users', the sandbox's):
 * one call turns a parameter map into a signed map or a ready form body.
 *
 * <pre>{@code
 * NotificationSigner alipay = new NotificationSigner(testAlipayPrivateKey);
 * byte[] body = alipay.formBody(Map.of("out_trade_no", "o-1", "trade_status", "TRADE_SUCCESS", ...));
 * }</pre>
 */
public final class NotificationSigner {

    private final AlipaySigner signer;

    public NotificationSigner(PrivateKey alipayPrivateKey) {
        this(alipayPrivateKey, RsaProvider.preferNative());
    }

    public NotificationSigner(PrivateKey alipayPrivateKey, RsaProvider provider) {
        this.signer = new AlipaySigner(alipayPrivateKey, SignType.RSA2, provider);
    }

    /**
     * The parameters plus {@code sign_type=RSA2} and {@code sign} over the V1 content, in the charset named by
     * the {@code charset} parameter (UTF-8 when absent). The input map is not changed.
     */
    public Map<String, String> sign(Map<String, String> params) {
        Map<String, String> signed = new LinkedHashMap<>(params);
        signed.remove("sign");
        signed.put("sign_type", "RSA2");
        Charset charset = NotificationVerifier.charsetOf(signed.get("charset"));
        signed.put("sign", signer.sign(SignContent.ofNotification(signed), charset));
        return signed;
    }

    /** A signed form body, URL-encoded in the notification's charset, as Alipay POSTs it. */
    public byte[] formBody(Map<String, String> params) {
        Map<String, String> signed = sign(params);
        Charset charset = NotificationVerifier.charsetOf(signed.get("charset"));
        return encode(signed, charset).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** {@code k=v&…} with values URL-encoded in {@code charset}. */
    public static String encode(Map<String, String> params, Charset charset) {
        StringBuilder body = new StringBuilder(1024);
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(e.getKey(), charset))
                    .append('=')
                    .append(URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), charset));
        }
        return body.toString();
    }

    /** Only non-blank parameters are signed; exposed for tests that build their own content. */
    public static String content(Map<String, String> params) {
        return SignContent.ofNotification(params);
    }
}
