package dev.zhifu.alipay;

import java.util.Map;

/**
 * Finds the signed text of a gateway answer exactly as the official SDK does (docs/alipay-protocol.md#s6.2): the value of the
 * method's node taken verbatim from the body, so a signature over the bytes Alipay sent can be checked
 * without re-serialising anything.
 */
final class AnswerReader {

    private AnswerReader() {}

    /**
     * @throws IllegalArgumentException with a reason when the body is not an answer to {@code method}
     */
    static SignedAnswer read(String method, String body) {
        Map<String, Object> top = Json.parseObject(body); // malformed JSON fails here
        String root = method.replace('.', '_') + "_response";
        int index = body.indexOf(root);
        if (index <= 0 || !top.containsKey(root)) {
            root = "error_response";
            index = body.indexOf(root);
            if (index <= 0 || !top.containsKey(root)) {
                throw new IllegalArgumentException("no " + method.replace('.', '_') + "_response node in the answer");
            }
        }
        int start = index + root.length() + 1; // past the closing quote of the name
        while (start < body.length() && body.charAt(start) != '{' && body.charAt(start) != '"') {
            start++;
        }
        if (start >= body.length()) {
            throw new IllegalArgumentException("the " + root + " node has no value");
        }
        int end = body.charAt(start) == '{' ? endOfObject(body, start) : endOfString(body, start);
        if (body.lastIndexOf(root) > end) {
            // a second node after the signed one: someone appended a forged answer (docs/alipay-protocol.md#s6.2 step
            // 5)
            throw new SecurityException("the answer repeats the " + root + " node after the signed one");
        }
        Object sign = top.get("sign");
        Object certSn = top.get("alipay_cert_sn");
        return new SignedAnswer(
                root,
                body.substring(start, end),
                sign instanceof String s && !s.isEmpty() ? s : null,
                certSn instanceof String c && !c.isEmpty() ? c : null,
                top);
    }

    private static int endOfObject(String body, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' && !escaped(body, i)) {
                inString = !inString;
            } else if (!inString) {
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return i + 1;
                }
            }
        }
        throw new IllegalArgumentException("the answer's node is not closed (truncated body?)");
    }

    private static int endOfString(String body, int start) {
        int close = body.indexOf('"', start + 1);
        if (close < 0) {
            throw new IllegalArgumentException("the answer's encrypted node is not closed");
        }
        return close + 1;
    }

    private static boolean escaped(String body, int quote) {
        int backslashes = 0;
        for (int i = quote - 1; i >= 0 && body.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return (backslashes & 1) == 1;
    }
}
