package dev.zhifu.sandbox.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/** The {@code biz_content} JSON object of a call, with Alipay-style validation of its fields. */
public final class BizContent {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OUT_NO = Pattern.compile("[A-Za-z0-9_\\-]+");

    private final ObjectNode node;

    private BizContent(ObjectNode node) {
        this.node = node;
    }

    public static BizContent parse(String json) {
        if (json == null || json.isBlank()) {
            throw AlipayError.of("40001", "isv.missing-parameter", "缺少必选参数 biz_content");
        }
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree instanceof ObjectNode object) {
                return new BizContent(object);
            }
        } catch (JsonProcessingException e) {
            // fall through to the Alipay-style answer below
        }
        throw AlipayError.of("40002", "isv.invalid-parameter", "biz_content 不是合法的 JSON 对象");
    }

    public static BizContent empty() {
        return new BizContent(JSON.createObjectNode());
    }

    /** A field as text; numbers are accepted for amounts as Alipay does; {@code null} when absent or blank. */
    public String text(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.isBlank() ? null : text;
    }

    public JsonNode raw(String name) {
        return node.get(name);
    }

    public String required(String name) {
        String value = text(name);
        if (value == null) {
            throw AlipayError.business("ACQ.INVALID_PARAMETER", "缺少必选参数 " + name);
        }
        return value;
    }

    /** Optional field with a maximum length. */
    public String optional(String name, int maxLength) {
        String value = text(name);
        checkLength(name, value, maxLength);
        return value;
    }

    public String required(String name, int maxLength) {
        String value = required(name);
        checkLength(name, value, maxLength);
        return value;
    }

    /** {@code out_trade_no}, {@code out_request_no}: ≤64 letters, digits, {@code _} or {@code -}. */
    public String merchantNo(String name, boolean required) {
        String value = required ? required(name, 64) : optional(name, 64);
        if (value != null && !OUT_NO.matcher(value).matches()) {
            throw AlipayError.invalidParameter(name + " 只能包含字母、数字、下划线或中划线");
        }
        return value;
    }

    private static void checkLength(String name, String value, int maxLength) {
        if (value != null && value.codePointCount(0, value.length()) > maxLength) {
            throw AlipayError.invalidParameter(name + " 长度超过 " + maxLength);
        }
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
