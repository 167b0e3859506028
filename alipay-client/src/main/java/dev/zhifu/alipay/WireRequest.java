package dev.zhifu.alipay;

import dev.zhifu.alipay.crypto.SignContent;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of one signed request in the three groups the official SDK keeps (docs/alipay-protocol.md#s2.1, #s2.2):
 * protocol "must" and "optional" parameters go into the URL query, application parameters into the body.
 * {@link HashMap}s built in the SDK's insertion sequence reproduce its wire order byte for byte.
 */
final class WireRequest {

    private final HashMap<String, String> must;
    private final HashMap<String, String> optional;
    private final HashMap<String, String> application;
    private final Charset charset;

    private WireRequest(
            HashMap<String, String> must,
            HashMap<String, String> optional,
            HashMap<String, String> application,
            Charset charset) {
        this.must = must;
        this.optional = optional;
        this.application = application;
        this.charset = charset;
    }

    /** Collects the groups; blank values are dropped here, so they are neither sent nor signed. */
    static final class Builder {
        private final HashMap<String, String> must = new HashMap<>();
        private final HashMap<String, String> optional = new HashMap<>();
        private final HashMap<String, String> appSeed = new HashMap<>();
        private String appAuthToken;

        Builder must(String key, String value) {
            put(must, key, value);
            return this;
        }

        Builder optional(String key, String value) {
            put(optional, key, value);
            return this;
        }

        /** biz_content first, then extra text parameters: the SDK's {@code getTextParams()} order. */
        Builder application(String key, String value) {
            put(appSeed, key, value);
            return this;
        }

        Builder appAuthToken(String token) {
            this.appAuthToken = token;
            return this;
        }

        WireRequest build(Charset charset) {
            // the SDK copies the request's text params with the HashMap copy constructor, then adds the token
            HashMap<String, String> application = new HashMap<>(appSeed);
            put(application, "app_auth_token", appAuthToken);
            return new WireRequest(must, optional, application, charset);
        }

        private static void put(Map<String, String> map, String key, String value) {
            if (!SignContent.isBlank(key) && !SignContent.isBlank(value)) {
                map.put(key, value);
            }
        }
    }

    /** The string to sign over every parameter that will be transmitted. */
    String signContent() {
        Map<String, String> all = new HashMap<>(must.size() + optional.size() + application.size() + 4);
        all.putAll(must);
        all.putAll(optional);
        all.putAll(application);
        return SignContent.ofRequest(all);
    }

    /** Adds {@code sign} to the protocol group, as the SDK does after signing. */
    void sign(String signature) {
        must.put("sign", signature);
    }

    /** URL query: must group, then {@code &} and the optional group, values URL-encoded in the charset. */
    String query() {
        StringBuilder q = new StringBuilder(512);
        appendEncoded(q, must);
        if (!optional.isEmpty()) {
            q.append('&');
            appendEncoded(q, optional);
        }
        return q.toString();
    }

    /** Form body of the application group. */
    String body() {
        StringBuilder b = new StringBuilder(256);
        appendEncoded(b, application);
        return b.toString();
    }

    Map<String, String> applicationParams() {
        return application;
    }

    /** Every parameter including {@code sign}, sorted by key and URL-encoded (GET URL, app order string). */
    String sortedEncoded() {
        TreeMap<String, String> all = new TreeMap<>();
        all.putAll(must);
        all.putAll(optional);
        all.putAll(application);
        StringBuilder s = new StringBuilder(1024);
        appendEncoded(s, all);
        return s.toString();
    }

    private void appendEncoded(StringBuilder out, Map<String, String> params) {
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                out.append('&');
            }
            first = false;
            // keys raw, values URLEncoder-encoded: docs/alipay-protocol.md#s2
            out.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), charset));
        }
    }
}
