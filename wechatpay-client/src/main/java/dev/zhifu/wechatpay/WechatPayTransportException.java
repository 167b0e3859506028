package dev.zhifu.wechatpay;

/**
 * No answer: the connection failed or timed out. Unknown unless the connection was never made, since a request
 * that reached WeChat Pay may have been carried out.
 */
public final class WechatPayTransportException extends WechatPayException {

    public WechatPayTransportException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, outcomeUnknown, cause);
    }
}
