package dev.zhifu.wechatpay.payments;

/** Where a bill can be fetched, and the digest its content must have (hash type {@code SHA1}). */
public record BillUrl(String hashType, String hashValue, String downloadUrl) {}
