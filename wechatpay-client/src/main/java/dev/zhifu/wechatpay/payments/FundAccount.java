package dev.zhifu.wechatpay.payments;

/** The account a fund flow bill covers. */
public enum FundAccount {
    BASIC,
    OPERATION,
    FEES
}
