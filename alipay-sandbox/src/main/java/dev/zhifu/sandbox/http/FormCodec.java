package dev.zhifu.sandbox.http;

import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code application/x-www-form-urlencoded} in any charset (Alipay uses the request's, docs/alipay-protocol.md#s2). */
public final class FormCodec {

    private static final Map<Charset, Boolean> ASCII_TRANSPARENT = new ConcurrentHashMap<>();

    private FormCodec() {}

    /**
     * Decodes {@code a=1&b=2}; the first occurrence of a key wins. Malformed escapes are kept as text.
     *
     * @throws IllegalArgumentException for a decode-only charset (ISO-2022-CN, x-JISAutoDetect): raw characters
     *                                  are read back through their bytes in {@code charset}, which it cannot give
     */
    public static Map<String, String> decode(String encoded, Charset charset) {
        if (!charset.canEncode()) {
            throw new IllegalArgumentException(
                    "charset " + charset.name() + " cannot encode, so it cannot carry a form");
        }
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
        boolean transparent = asciiTransparent(charset);
        if (transparent && plainAscii(text)) {
            return text; // nothing to unescape: most names and values of a gateway call
        }
        // every character gives at most one byte, but for raw non-ASCII ones, which grow the buffer
        byte[] bytes = new byte[text.length()];
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes[length++] = ' ';
            } else if (c == '%'
                    && i + 2 < text.length()
                    && hex(text.charAt(i + 1)) >= 0
                    && hex(text.charAt(i + 2)) >= 0) {
                bytes[length++] = (byte) (hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else if (transparent && c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                // a character outside the BMP is two chars: encoded apart, each half would become '?'
                int end = Character.isHighSurrogate(c)
                                && i + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(i + 1))
                        ? i + 2
                        : i + 1;
                byte[] raw = text.substring(i, end).getBytes(charset);
                int needed = length + raw.length + (text.length() - end);
                if (needed > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
                }
                System.arraycopy(raw, 0, bytes, length, raw.length);
                length += raw.length;
                i = end - 1;
            }
        }
        return new String(bytes, 0, length, charset);
    }

    private static boolean plainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || c == '%' || c == '+') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code charset} writes and reads every ASCII character as that one byte (UTF-8, GBK, …; not UTF-16). */
    private static boolean asciiTransparent(Charset charset) {
        return ASCII_TRANSPARENT.computeIfAbsent(charset, cs -> {
            byte[] ascii = new byte[128];
            for (int b = 0; b < 128; b++) {
                ascii[b] = (byte) b;
            }
            String text = new String(ascii, StandardCharsets.ISO_8859_1);
            return cs.canEncode() && Arrays.equals(text.getBytes(cs), ascii) && new String(ascii, cs).equals(text);
        });
    }

    /** Encodes as {@link URLEncoder} does, keys raw like the SDK (docs/alipay-protocol.md#s2). */
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
