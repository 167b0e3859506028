package dev.zhifu.wechatpay;

import java.util.Map;

/** Typed reads of parsed JSON; a missing or mistyped field is an {@link IllegalArgumentException} naming it. */
final class Fields {

    private Fields() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String name) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(name + " is not a JSON object");
    }

    static Map<String, Object> object(Map<String, Object> json, String name) {
        return object(json.get(name), name);
    }

    static Map<String, Object> optionalObject(Map<String, Object> json, String name) {
        return json.get(name) == null ? Map.of() : object(json.get(name), name);
    }

    static String text(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (value instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new IllegalArgumentException(name + (value == null ? " is missing" : " is not text"));
    }

    static String optionalText(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException(name + " is not text");
    }

    /** A fen amount: a non-negative integer. */
    static long fen(Map<String, Object> json, String name) {
        String text = text(json, name);
        if (!text.matches("[0-9]{1,15}")) {
            throw new IllegalArgumentException(name + " is not an amount in fen: " + text);
        }
        return Long.parseLong(text);
    }

    static Long optionalFen(Map<String, Object> json, String name) {
        return json.get(name) == null ? null : fen(json, name);
    }
}
