package dev.zhifu.wechatpay;

/** A verified answer to a {@link WechatPayClient#call generic call}: its status and JSON body (empty for 204). */
public record WechatPayAnswer(int status, String body) {}
