package dev.zhifu.alipay.crypto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The string Alipay signs (docs/alipay-protocol.md#s4 for requests, #s9.3 for notifications): non-blank parameters sorted by key
 * ({@link String#compareTo}), joined as {@code k=v} with {@code &}, values raw (not encoded, not trimmed).
 */
public final class SignContent {

    private SignContent() {}

    /** Request content: every transmitted parameter except {@code sign}; {@code sign_type} is included. */
    public static String ofRequest(Map<String, String> params) {
        return build(params, "sign", null);
    }

    /** Notification / return_url content (rsaCheckV1): {@code sign} and {@code sign_type} are excluded. */
    public static String ofNotification(Map<String, String> params) {
        return build(params, "sign", "sign_type");
    }

    /** V2 content (application-gateway messages): only {@code sign} is excluded. */
    public static String ofV2Message(Map<String, String> params) {
        return build(params, "sign", null);
    }

    private static String build(Map<String, String> params, String skip1, String skip2) {
        List<String> keys = new ArrayList<>(params.size());
        int length = 0;
        for (Map.Entry<String, String> e : params.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (isBlank(key) || isBlank(value) || key.equals(skip1) || key.equals(skip2)) {
                continue;
            }
            keys.add(key);
            length += key.length() + value.length() + 2;
        }
        Collections.sort(keys);
        StringBuilder content = new StringBuilder(length);
        for (String key : keys) {
            if (content.length() > 0) {
                content.append('&');
            }
            content.append(key).append('=').append(params.get(key));
        }
        return content.toString();
    }

    /** Alipay's notion of blank: null, empty, or every char {@link Character#isWhitespace}. */
    public static boolean isBlank(String value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Character.isWhitespace(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
