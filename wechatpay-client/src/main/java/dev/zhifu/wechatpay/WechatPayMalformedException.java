package dev.zhifu.wechatpay;

/** A verified answer or notification whose content is not what WeChat Pay documents, or cannot be decrypted. */
public final class WechatPayMalformedException extends WechatPayException {

    public WechatPayMalformedException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, outcomeUnknown, cause);
    }
}
