package dev.zhifu.sandbox.wechat.pay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.zhifu.sandbox.wechat.WechatPayError;
import java.nio.charset.StandardCharsets;

/** Reads a request body field by field, answering WeChat Pay's 400 {@code PARAM_ERROR} for what is missing. */
final class JsonBody {

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody parse(byte[] body) {
        try {
            JsonNode root = WechatJson.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw WechatPayError.param("请求体不是 JSON 对象");
            }
            return new JsonBody(root);
        } catch (JsonProcessingException e) {
            throw WechatPayError.param("请求体不是合法的 JSON: " + e.getOriginalMessage());
        }
    }

    JsonBody object(String name) {
        JsonNode n = root.get(name);
        if (n == null || !n.isObject()) {
            throw WechatPayError.param("输入源“/body/" + name + "”映射到字段“" + name + "”必填性规则校验失败，此字段为必填项");
        }
        return new JsonBody(n);
    }

    boolean has(String name) {
        JsonNode n = root.get(name);
        return n != null && !n.isNull();
    }

    String text(String name) {
        String value = optionalText(name);
        if (value == null || value.isEmpty()) {
            throw WechatPayError.param("输入源“/body/" + name + "”映射到字段“" + name + "”必填性规则校验失败，此字段为必填项");
        }
        return value;
    }

    String optionalText(String name) {
        JsonNode n = root.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A positive whole number of fen. */
    long fen(String name) {
        JsonNode n = root.get(name);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
            throw WechatPayError.param("字段 " + name + " 必须是整数（单位：分）");
        }
        if (n.asLong() < 1) {
            throw WechatPayError.param("字段 " + name + " 必须大于 0");
        }
        return n.asLong();
    }
}
