package dev.zhifu.wechatpay.payments;

/** Which trades a trade bill lists. */
public enum BillType {
    ALL,
    SUCCESS,
    REFUND
}
