package dev.zhifu.payments.cli;

import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code doctor --explain=FILE}: why does a signature fail? Given the parameters of a request or a notification
 * (a query string or URL, a form body, one {@code k=v} a line, or a JSON object), prints the exact strings Alipay
 * signs (docs/alipay-protocol.md#s4 for requests: all but {@code sign}; #s9.3 for notifications: all but {@code sign} and
 * {@code sign_type}) and which key verifies {@code sign}: the app's key (a request this app signed) or Alipay's
 * (a genuine notification). When neither does, it tries the usual mistakes and names the one that explains it.
 */
final class SignatureExplainer {

    /** A key that may have made the signature. */
    record Candidate(String name, PublicKey key) {}

    /** @param verified whether {@code sign} verifies as it is */
    record Explanation(List<String> lines, boolean verified) {}

    private final List<Candidate> appKeys;
    private final List<Candidate> alipayKeys;

    SignatureExplainer(List<Candidate> appKeys, List<Candidate> alipayKeys) {
        this.appKeys = appKeys;
        this.alipayKeys = alipayKeys;
    }

    /** Reads parameters from what a person pastes: JSON object, URL, query string or form body, or k=v lines. */
    static Map<String, String> parse(String text) {
        String t = text.strip();
        Map<String, String> params = new LinkedHashMap<>();
        if (t.startsWith("{")) {
            JsonNode json = JsonMapper.builder().build().readTree(t);
            for (Map.Entry<String, JsonNode> e : json.properties()) {
                JsonNode v = e.getValue();
                params.put(e.getKey(), v.isValueNode() ? v.asString() : v.toString());
            }
            return params;
        }
        if (t.matches("(?s)https?://.*")) {
            int q = t.indexOf('?');
            t = q < 0 ? "" : t.substring(q + 1);
        }
        String[] pairs = t.contains("&") ? t.split("&") : t.split("\r?\n");
        Charset charset = StandardCharsets.UTF_8;
        for (String pair : pairs) { // the form names its own charset (GBK notifications)
            if (pair.strip().toLowerCase(java.util.Locale.ROOT).startsWith("charset=")) {
                try {
                    charset = Charset.forName(pair.strip().substring(8));
                } catch (RuntimeException ignored) {
                    // keep UTF-8
                }
            }
        }
        boolean encoded = t.contains("&") && !t.contains("\n");
        for (String pair : pairs) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(
                    encoded ? URLDecoder.decode(k.strip(), charset) : k.strip(),
                    encoded ? URLDecoder.decode(v, charset) : v.stripTrailing());
        }
        return params;
    }

    Explanation explain(Map<String, String> params) {
        List<String> out = new ArrayList<>();
        String sign = params.get("sign");
        SignType type = SignType.fromWire(params.getOrDefault("sign_type", "RSA2"));
        Charset charset = charsetOf(params.get("charset"));
        String request = SignContent.ofRequest(params);
        String notification = SignContent.ofNotification(params);
        out.add(params.size() + " parameters; sign_type=" + params.getOrDefault("sign_type", "(absent)") + ", charset="
                + charset.name() + (sign == null ? ", no sign parameter" : ""));
        out.add("");
        out.add(
                "String to sign as a REQUEST to Alipay (every parameter but sign, sign_type included, sorted, raw values):");
        out.add(request);
        out.add("");
        out.add("String to sign as a NOTIFICATION from Alipay (without sign and sign_type):");
        out.add(notification);
        out.add("");
        if (sign == null || sign.isBlank()) {
            out.add("There is no sign parameter to check.");
            return new Explanation(out, false);
        }
        if (type == null) {
            out.add("sign_type=" + params.get("sign_type")
                    + " is neither RSA2 nor RSA: Alipay signs with RSA2 (SHA256withRSA).");
            type = SignType.RSA2;
        }
        String byApp = verifier(appKeys, request, charset, sign, type);
        if (byApp != null) {
            out.add("VERIFIED as a request signed with the app private key (" + byApp + "). Alipay checks it with the "
                    + "app public key uploaded to its console; if Alipay answers isv.invalid-signature, the key "
                    + "uploaded there is not this one.");
            return new Explanation(out, true);
        }
        String byAlipay = verifier(alipayKeys, notification, charset, sign, type);
        if (byAlipay != null) {
            out.add("VERIFIED as a notification signed by Alipay (" + byAlipay + "): genuine. A verifier that "
                    + "fails on it builds another string than the one above.");
            return new Explanation(out, true);
        }
        if (appKeys.isEmpty() && alipayKeys.isEmpty()) {
            out.add("No key is configured to check it with (alipay.app-private-key, alipay.alipay-public-key).");
            return new Explanation(out, false);
        }
        out.add("NOT VERIFIED: neither the app key (a request) nor the Alipay key (a notification) verifies sign "
                + "over the strings above.");
        String mistake = likelyMistake(params, charset, sign, type);
        out.add(
                mistake != null
                        ? "LIKELY CAUSE: " + mistake
                        : "No usual mistake explains it: the message was signed with another key (check that "
                                + "alipay.alipay-public-key is the 支付宝公钥 of app " + params.getOrDefault("app_id", "?")
                                + ", not the app public key, nor another app's) or it was changed after signing.");
        return new Explanation(out, false);
    }

    private record Variant(
            String cause,
            java.util.function.Function<Map<String, String>, List<Map<String, String>>> params,
            boolean withSignType,
            Charset charset,
            SignType type,
            UnaryOperator<String> sign) {}

    private String likelyMistake(Map<String, String> params, Charset charset, String sign, SignType type) {
        Charset other = charset.equals(StandardCharsets.UTF_8) ? Charset.forName("GBK") : StandardCharsets.UTF_8;
        SignType otherType = type == SignType.RSA2 ? SignType.RSA : SignType.RSA2;
        List<Variant> variants = List.of(
                new Variant(
                        "sign_type was included in the string to sign. Notifications are signed without sign and "
                                + "sign_type (rsaCheckV1); only requests include sign_type",
                        p -> List.of(p),
                        true,
                        charset,
                        type,
                        s -> s),
                new Variant(
                        "sign_type was left out of the string to sign. A request's string includes sign_type; "
                                + "only notifications leave it out",
                        p -> List.of(p),
                        false,
                        charset,
                        type,
                        s -> s),
                new Variant(
                        "the bytes signed were " + other.name() + ", not " + charset.name() + ": the charset "
                                + "parameter must name the charset the string was signed in",
                        p -> List.of(p),
                        false,
                        other,
                        type,
                        s -> s),
                new Variant(
                        "signed with " + otherType + " (" + otherType.jcaAlgorithm() + ") while sign_type says " + type
                                + ": Alipay's RSA2 is SHA256withRSA, RSA is SHA1withRSA",
                        p -> List.of(p),
                        false,
                        charset,
                        otherType,
                        s -> s),
                new Variant(
                        "the values given are still URL-encoded: it verifies once every value is decoded one more "
                                + "time. Decode the form body exactly once, in the charset it names",
                        p -> List.of(map(p, v -> URLDecoder.decode(v, charset))),
                        false,
                        charset,
                        type,
                        s -> s),
                new Variant(
                        "the values were URL-decoded twice: a '+' inside a value (\"1+1\") became a space on the "
                                + "second decoding; it verifies with the '+' back. Decode the form body exactly once",
                        SignatureExplainer::plusRestored,
                        false,
                        charset,
                        type,
                        s -> s),
                new Variant(
                        "the '+' characters of sign were turned into spaces (sign was not URL-encoded in transit, "
                                + "or was decoded twice)",
                        p -> List.of(p),
                        false,
                        charset,
                        type,
                        s -> s.replace(' ', '+')),
                new Variant(
                        "parameters with empty values were left in the string to sign; Alipay leaves them out",
                        p -> List.of(p),
                        false,
                        charset,
                        type,
                        s -> s));
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            List<Map<String, String>> candidates;
            try {
                candidates = v.params().apply(params);
            } catch (IllegalArgumentException notApplicable) { // e.g. "100%" cannot be URL-decoded again
                continue;
            }
            String s = v.sign().apply(sign);
            for (Map<String, String> changed : candidates) {
                List<String> contents;
                if (i == variants.size() - 1) {
                    contents = List.of(withEmpty(changed, true), withEmpty(changed, false));
                } else if (i == 0) {
                    contents = List.of(SignContent.ofRequest(changed)); // for the Alipay key
                } else if (i == 1) {
                    contents = List.of(SignContent.ofNotification(changed)); // for the app key
                } else {
                    contents = List.of(SignContent.ofRequest(changed), SignContent.ofNotification(changed));
                }
                for (String content : contents) {
                    List<Candidate> keys = i == 0 ? alipayKeys : i == 1 ? appKeys : both();
                    String who = verifier(keys, content, v.charset(), s, v.type());
                    if (who != null) {
                        return v.cause() + " [verified with " + who + " over: " + content + "]";
                    }
                }
            }
        }
        return null;
    }

    /** One value at a time with its spaces turned back into '+' (what a second decoding turned into spaces). */
    private static List<Map<String, String>> plusRestored(Map<String, String> params) {
        List<Map<String, String>> out = new ArrayList<>();
        params.forEach((k, v) -> {
            if (!"sign".equals(k) && v != null && v.indexOf(' ') >= 0) {
                Map<String, String> copy = new LinkedHashMap<>(params);
                copy.put(k, v.replace(' ', '+'));
                out.add(copy);
            }
        });
        return out;
    }

    private List<Candidate> both() {
        List<Candidate> all = new ArrayList<>(appKeys);
        all.addAll(alipayKeys);
        return all;
    }

    private static Map<String, String> map(Map<String, String> params, UnaryOperator<String> f) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, "sign".equals(k) ? v : f.apply(v)));
        return out;
    }

    /** The string with empty-valued parameters kept (what a sloppy signer builds). */
    private static String withEmpty(Map<String, String> params, boolean withSignType) {
        return params.entrySet().stream()
                .filter(e -> !"sign".equals(e.getKey()) && (withSignType || !"sign_type".equals(e.getKey())))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()))
                .reduce((a, b) -> a + "&" + b)
                .orElse("");
    }

    private static String verifier(List<Candidate> keys, String content, Charset charset, String sign, SignType type) {
        for (Candidate c : keys) {
            if (new AlipayVerifier(c.key(), type, RsaProvider.jdk()).verify(content, charset, sign)) {
                return c.name() + (type == SignType.RSA ? ", SHA1withRSA" : "");
            }
        }
        return null;
    }

    private static Charset charsetOf(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
