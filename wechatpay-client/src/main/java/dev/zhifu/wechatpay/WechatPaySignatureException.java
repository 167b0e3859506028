package dev.zhifu.wechatpay;

/**
 * A signature that does not verify, a stale timestamp or a key nobody knows: for an answer the outcome is
 * unknown (the request was sent), for a notification nothing may be trusted (docs/wechatpay-protocol.md#s4).
 */
public final class WechatPaySignatureException extends WechatPayException {

    public WechatPaySignatureException(String message, boolean outcomeUnknown) {
        super(message, outcomeUnknown, null);
    }
}
