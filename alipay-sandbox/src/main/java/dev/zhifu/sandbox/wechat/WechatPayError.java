package dev.zhifu.sandbox.wechat;

/**
 * A refusal the way WeChat Pay answers it: an HTTP status with a JSON body {@code {"code":…,"message":…}}, the
 * shape the official SDK's {@code ServiceException} reads.
 */
public final class WechatPayError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public WechatPayError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static WechatPayError param(String message) {
        return new WechatPayError(400, "PARAM_ERROR", message);
    }

    public static WechatPayError signature(String message) {
        return new WechatPayError(401, "SIGN_ERROR", message);
    }

    public static WechatPayError orderNotFound() {
        return new WechatPayError(404, "ORDER_NOT_EXIST", "订单不存在");
    }
}
