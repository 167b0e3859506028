package dev.zhifu.sandbox.http;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} in any charset (Alipay uses the request's, SPEC §2). */
public final class FormCodec {

    private FormCodec() {
    }

    /** Decodes {@code a=1&b=2}; the first occurrence of a key wins. Malformed escapes are kept as text. */
    public static Map<String, String> decode(String encoded, Charset charset) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decodeComponent(eq < 0 ? pair : pair.substring(0, eq), charset);
            String value = eq < 0 ? "" : decodeComponent(pair.substring(eq + 1), charset);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    /** Percent-decoding of bytes in {@code charset}; {@code +} is a space. */
    public static String decodeComponent(String text, Charset charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(charset);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toString(charset);
    }

    /** Encodes as {@link URLEncoder} does, keys raw like the SDK (SPEC §2). */
    public static String encode(Map<String, String> params, Charset charset) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), charset));
        }
        return out.toString();
    }

    /** The ASCII value of {@code name} in a raw query or form without decoding anything else (to pick a charset). */
    public static String peek(String encoded, String name) {
        if (encoded == null) {
            return null;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return decodeComponent(pair.substring(eq + 1), StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
