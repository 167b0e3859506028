package dev.zhifu.sandbox.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of one response node (docs/alipay-protocol.md#s6.1): {@code code}, {@code msg}, on failure {@code sub_code} and
 * {@code sub_msg}, then the business fields in the order Alipay lists them.
 */
public final class ApiResult {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private ApiResult(String code, String msg) {
        fields.put("code", code);
        fields.put("msg", msg);
    }

    public static ApiResult success() {
        return new ApiResult("10000", "Success");
    }

    /** {@code 10003}: the buyer still has to confirm (barcode pay, docs/alipay-protocol.md#s11.2). */
    public static ApiResult userPaying() {
        return new ApiResult("10003", " order success pay inprocess");
    }

    public static ApiResult failure(String code, String subCode, String subMsg) {
        ApiResult result = new ApiResult(code, messageOf(code));
        result.fields.put("sub_code", subCode);
        result.fields.put("sub_msg", subMsg);
        return result;
    }

    /** {@code 40004 Business Failed} with an {@code ACQ.*} sub code. */
    public static ApiResult business(String subCode, String subMsg) {
        return failure("40004", subCode, subMsg);
    }

    static String messageOf(String code) {
        return switch (code) {
            case "10000" -> "Success";
            case "20000" -> "Service Currently Unavailable";
            case "20001" -> "Insufficient Token Permissions";
            case "40001" -> "Missing Required Arguments";
            case "40002" -> "Invalid Arguments";
            case "40004" -> "Business Failed";
            case "40006" -> "Insufficient Permissions";
            default -> "Unknown Error";
        };
    }

    /** Adds a business field; {@code null} values are left out as Alipay does. */
    public ApiResult with(String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    public String code() {
        return (String) fields.get("code");
    }

    public String subCode() {
        return (String) fields.get("sub_code");
    }

    public boolean isSuccess() {
        return !fields.containsKey("sub_code");
    }

    public Map<String, Object> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
