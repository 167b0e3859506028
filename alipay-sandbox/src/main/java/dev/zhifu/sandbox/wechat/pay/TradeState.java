package dev.zhifu.sandbox.wechat.pay;

/** WeChat Pay's {@code trade_state} values the sandbox reaches, with the {@code trade_state_desc} it sends. */
public enum TradeState {
    NOTPAY("订单未支付"),
    SUCCESS("支付成功"),
    CLOSED("订单已关闭"),
    REFUND("转入退款");

    private final String description;

    TradeState(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
