package dev.zhifu.wechatpay;

/**
 * WeChat Pay answered with an error: its HTTP status and its {@code code} and {@code message}. A 4xx is a
 * definite refusal; a 5xx ({@code SYSTEM_ERROR}) leaves the outcome unknown (docs/wechatpay-protocol.md#s8).
 */
public final class WechatPayApiException extends WechatPayException {

    private final int status;
    private final String code;
    private final String errorMessage;

    public WechatPayApiException(int status, String code, String errorMessage) {
        super("WeChat Pay answered HTTP " + status + " " + code + ": " + errorMessage, status >= 500, null);
        this.status = status;
        this.code = code;
        this.errorMessage = errorMessage;
    }

    public int status() {
        return status;
    }

    /** WeChat Pay's error code, such as {@code ORDERPAID} or {@code PARAM_ERROR}. */
    public String code() {
        return code;
    }

    /** WeChat Pay's explanation, as sent. */
    public String errorMessage() {
        return errorMessage;
    }
}
