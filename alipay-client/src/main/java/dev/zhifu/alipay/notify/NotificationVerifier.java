package dev.zhifu.alipay.notify;

import dev.zhifu.alipay.AlipaySignatureException;
import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.trade.TradeStatus;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies Alipay's notifications and return_url parameters with {@code rsaCheckV1} semantics (docs/alipay-protocol.md#s9.3):
 * everything received except {@code sign} and {@code sign_type}, sorted, over the notification's charset,
 * with the Alipay key (any of several during a rotation). The algorithm comes from configuration, never
 * from the message's own {@code sign_type}. The caller's map is never changed.
 */
public final class NotificationVerifier {

    static final String METHOD = "notification";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final List<AlipayVerifier> verifiers;

    public NotificationVerifier(List<AlipayVerifier> verifiers) {
        if (verifiers.isEmpty()) {
            throw new IllegalArgumentException("no Alipay key to verify notifications with");
        }
        this.verifiers = List.copyOf(verifiers);
    }

    /**
     * Decodes a form body ({@code application/x-www-form-urlencoded}) exactly once, in the charset the body
     * names in its own {@code charset} parameter (UTF-8 when absent), then verifies it.
     */
    public TradeNotification verifyForm(byte[] body) {
        return verify(decodeForm(body));
    }

    /**
     * Verifies parameters already decoded (e.g. a servlet's parameter map flattened to one value each).
     *
     * @throws AlipaySignatureException when the signature is missing or does not verify
     */
    public TradeNotification verify(Map<String, String> params) {
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        String sign = copy.get("sign");
        if (sign == null || sign.isEmpty()) {
            throw new AlipaySignatureException(METHOD, "no sign parameter");
        }
        Charset charset = charsetOf(copy.get("charset"));
        byte[] content = SignContent.ofNotification(copy).getBytes(charset);
        for (AlipayVerifier verifier : verifiers) {
            if (verifier.verify(content, sign)) {
                return typed(copy);
            }
        }
        throw new AlipaySignatureException(METHOD, "the signature does not verify with the configured Alipay key");
    }

    /**
     * Verifies the parameters of the browser's return_url redirect (docs/alipay-protocol.md#s10). Parameters the merchant put
     * into its own {@code return_url} are not signed by Alipay and are removed first.
     *
     * @param originalReturnUrl the return_url that was sent with the payment, or null
     */
    public TradeNotification verifyReturn(Map<String, String> params, String originalReturnUrl) {
        Map<String, String> alipayParams = new LinkedHashMap<>(params);
        for (String own : ownQueryNames(originalReturnUrl)) {
            alipayParams.remove(own);
        }
        return verify(alipayParams);
    }

    /** Decodes a form body in the charset it names; one value per name (the first). */
    public static Map<String, String> decodeForm(byte[] body) {
        // one pass to cut the body into name/value byte ranges; names and %XX escapes are ASCII in any charset
        int pairs = 1;
        for (byte b : body) {
            if (b == '&') {
                pairs++;
            }
        }
        int[] starts = new int[pairs];
        int[] equals = new int[pairs];
        int[] ends = new int[pairs];
        int n = 0;
        int from = 0;
        Charset charset = StandardCharsets.UTF_8;
        boolean charsetNamed = false;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '&') {
                if (i > from) {
                    int eq = from;
                    while (eq < i && body[eq] != '=') {
                        eq++;
                    }
                    starts[n] = from;
                    equals[n] = eq;
                    ends[n] = i;
                    // the first charset names the body's charset, as the first value of every name is the one kept
                    // (and verified): a later one must not decode the body in a charset the parameters do not say
                    if (!charsetNamed
                            && eq - from == 7
                            && new String(body, from, 7, StandardCharsets.ISO_8859_1).equals("charset")) {
                        charsetNamed = true;
                        String name;
                        try {
                            name = decode(body, Math.min(eq + 1, i), i, StandardCharsets.ISO_8859_1);
                        } catch (IllegalArgumentException e) {
                            // a bad escape here is as malformed as anywhere else: refused, not thrown as is
                            throw new AlipaySignatureException(METHOD, "malformed form encoding in parameter charset");
                        }
                        charset = charsetOf(name);
                    }
                    n++;
                }
                from = i + 1;
            }
        }
        Map<String, String> params = new LinkedHashMap<>(n * 2);
        for (int k = 0; k < n; k++) {
            int valueStart = Math.min(equals[k] + 1, ends[k]);
            try {
                params.putIfAbsent(
                        decode(body, starts[k], equals[k], charset), decode(body, valueStart, ends[k], charset));
            } catch (IllegalArgumentException e) {
                throw new AlipaySignatureException(
                        METHOD,
                        "malformed form encoding in parameter "
                                + new String(body, starts[k], equals[k] - starts[k], StandardCharsets.ISO_8859_1));
            }
        }
        return params;
    }

    /** Percent-decodes bytes [from, to) at the byte level, so raw (unencoded) bytes survive too, then reads the charset. */
    private static String decode(byte[] in, int from, int to, Charset charset) {
        byte[] out = null;
        int length = 0;
        for (int i = from; i < to; i++) {
            byte b = in[i];
            if (b == '+' || b == '%') {
                if (out == null) {
                    out = new byte[to - from];
                    System.arraycopy(in, from, out, 0, i - from);
                    length = i - from;
                }
                if (b == '+') {
                    out[length++] = ' ';
                } else {
                    if (i + 2 >= to) {
                        throw new IllegalArgumentException("truncated escape");
                    }
                    int hi = Character.digit(in[i + 1], 16);
                    int lo = Character.digit(in[i + 2], 16);
                    if (hi < 0 || lo < 0) {
                        throw new IllegalArgumentException("bad escape");
                    }
                    out[length++] = (byte) ((hi << 4) | lo);
                    i += 2;
                }
            } else if (out != null) {
                out[length++] = b;
            }
        }
        return out == null ? new String(in, from, to - from, charset) : new String(out, 0, length, charset);
    }

    private static Set<String> ownQueryNames(String url) {
        if (url == null) {
            return Set.of();
        }
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return Set.of();
        }
        Set<String> names = new java.util.HashSet<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            names.add(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8));
        }
        return names;
    }

    static Charset charsetOf(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        Charset charset;
        try {
            charset = Charset.forName(name.strip());
        } catch (RuntimeException unknown) {
            throw new AlipaySignatureException(METHOD, "unknown charset '" + name + "'");
        }
        if (!charset.canEncode()) {
            // a decode-only charset (ISO-2022-CN, x-JISAutoDetect) cannot give the bytes that were signed:
            // String.getBytes would throw UnsupportedOperationException, a refusal it is not
            throw new AlipaySignatureException(METHOD, "unsupported charset '" + name + "' (cannot encode)");
        }
        return charset;
    }

    private static TradeNotification typed(Map<String, String> p) {
        try {
            return new TradeNotification(
                    p.get("notify_id"),
                    p.get("notify_type"),
                    time(p.get("notify_time")),
                    p.get("app_id"),
                    p.get("trade_no"),
                    p.get("out_trade_no"),
                    p.get("out_biz_no"),
                    TradeStatus.fromWire(blankToNull(p.get("trade_status"))),
                    money(p.get("total_amount")),
                    money(p.get("receipt_amount")),
                    money(p.get("buyer_pay_amount")),
                    money(p.get("refund_fee")),
                    p.get("seller_id"),
                    p.get("buyer_id"),
                    p.get("buyer_logon_id"),
                    p.get("subject"),
                    time(p.get("gmt_create")),
                    time(p.get("gmt_payment")),
                    time(p.get("gmt_refund")),
                    time(p.get("gmt_close")),
                    p.get("passback_params"),
                    p);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // signed by Alipay yet not readable: refuse rather than guess
            throw new AlipaySignatureException(METHOD, "a verified field cannot be read: " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static BigDecimal money(String s) {
        return s == null || s.isBlank() ? null : new BigDecimal(s.strip());
    }

    private static LocalDateTime time(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        if (s.length() >= 19
                && s.charAt(4) == '-'
                && s.charAt(7) == '-'
                && s.charAt(10) == ' '
                && s.charAt(13) == ':'
                && s.charAt(16) == ':') {
            // the fixed "yyyy-MM-dd HH:mm:ss" layout read by position: a formatter costs more than the rest of
            // the notification's fields together (gmt_refund may carry ".S" after it)
            try {
                return LocalDateTime.of(
                        digits(s, 0, 4),
                        digits(s, 5, 7),
                        digits(s, 8, 10),
                        digits(s, 11, 13),
                        digits(s, 14, 16),
                        digits(s, 17, 19));
            } catch (java.time.DateTimeException e) {
                throw new DateTimeParseException(e.getMessage(), s, 0);
            }
        }
        return LocalDateTime.parse(s, TIME);
    }

    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new DateTimeParseException("not a time", s, i);
            }
            value = value * 10 + d;
        }
        return value;
    }
}
