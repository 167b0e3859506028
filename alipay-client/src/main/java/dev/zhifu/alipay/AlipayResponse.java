package dev.zhifu.alipay;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A verified answer of the gateway: the node's fields as parsed, plus the exact text that was verified.
 *
 * @param method    the API method
 * @param fields    the node's members (strings, nested maps and lists), read-only
 * @param nodeText  the node's JSON text exactly as received (decrypted when the call was encrypted)
 * @param verified  true when a signature was checked; false only for unsigned error answers, which
 *                  Alipay may send and which never count as success
 */
public record AlipayResponse(String method, Map<String, Object> fields, String nodeText, boolean verified) {

    public AlipayResponse {
        fields = java.util.Collections.unmodifiableMap(fields);
    }

    public String code() {
        return string("code");
    }

    public String msg() {
        return string("msg");
    }

    public String subCode() {
        return string("sub_code");
    }

    public String subMsg() {
        return string("sub_msg");
    }

    /** Code 10000 and no sub_code. */
    public boolean isSuccess() {
        return "10000".equals(code()) && blank(subCode());
    }

    /** 10003 (waiting for the buyer), 20000 (service unavailable) or {@code ACQ.SYSTEM_ERROR}. */
    public boolean isResultUnknown() {
        String code = code();
        return "10003".equals(code)
                || "20000".equals(code)
                || "ACQ.SYSTEM_ERROR".equals(subCode())
                || "isp.unknow-error".equals(subCode())
                || "aop.unknow-error".equals(subCode());
    }

    /** A member as text; numbers are returned as written; null when absent. */
    public String string(String name) {
        Object value = fields.get(name);
        return value instanceof String s ? s : value == null ? null : value.toString();
    }

    /** A money member as BigDecimal; null when absent or blank. */
    public BigDecimal decimal(String name) {
        String value = string(name);
        if (blank(value)) {
            return null;
        }
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw new AlipayMalformedResponseException(method, name + " is not a decimal amount: " + value);
        }
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list(String name) {
        Object value = fields.get(name);
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
