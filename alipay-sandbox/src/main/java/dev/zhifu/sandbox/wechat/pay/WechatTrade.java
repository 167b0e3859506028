package dev.zhifu.sandbox.wechat.pay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One order of one merchant ({@code mchid} + {@code out_trade_no}); changed only under {@link TradeBook}'s lock. */
public final class WechatTrade {

    private final String mchid;
    private final String appid;
    private final String outTradeNo;
    private final TradeType type;
    private final String description;
    private final long totalFen;
    private final String currency;
    private final String attach;
    private final String notifyUrl;
    private final String prepayId;
    private final Instant createdAt;
    /** After this an unpaid order can no longer be paid (docs/sandbox.md#wechatpay-trades). */
    private final Instant timeExpire;
    /** WeChat Pay's default validity of an order placed without {@code time_expire}: two hours. */
    static final java.time.Duration DEFAULT_VALIDITY = java.time.Duration.ofHours(2);

    private String payerOpenid;
    private TradeState state = TradeState.NOTPAY;
    private String transactionId;
    private Instant successTime;
    private boolean scanned;
    private final List<WechatRefund> refunds = new ArrayList<>();

    WechatTrade(
            String mchid,
            String appid,
            String outTradeNo,
            TradeType type,
            String description,
            long totalFen,
            String currency,
            String attach,
            String notifyUrl,
            String payerOpenid,
            String prepayId,
            Instant createdAt,
            Instant timeExpire) {
        this.timeExpire = timeExpire != null ? timeExpire : createdAt.plus(DEFAULT_VALIDITY);
        this.mchid = mchid;
        this.appid = appid;
        this.outTradeNo = outTradeNo;
        this.type = type;
        this.description = description;
        this.totalFen = totalFen;
        this.currency = currency;
        this.attach = attach;
        this.notifyUrl = notifyUrl;
        this.payerOpenid = payerOpenid;
        this.prepayId = prepayId;
        this.createdAt = createdAt;
    }

    /** Puts back what a journal kept of the order's life after it was placed (see {@link WechatJournal}). */
    void restore(
            TradeState state,
            String payerOpenid,
            String transactionId,
            Instant successTime,
            boolean scanned,
            List<WechatRefund> refunds) {
        this.state = state;
        this.payerOpenid = payerOpenid;
        this.transactionId = transactionId;
        this.successTime = successTime;
        this.scanned = scanned;
        this.refunds.clear();
        this.refunds.addAll(refunds);
    }

    void pay(String transactionId, String openid, Instant at) {
        this.transactionId = transactionId;
        if (payerOpenid == null) {
            payerOpenid = openid;
        }
        this.successTime = at;
        this.state = TradeState.SUCCESS;
    }

    public Instant timeExpire() {
        return timeExpire;
    }

    void close() {
        state = TradeState.CLOSED;
    }

    void markScanned() {
        scanned = true;
    }

    void addRefund(WechatRefund refund) {
        refunds.add(refund);
    }

    void refundSucceeded() {
        state = TradeState.REFUND;
    }

    /** Fen not yet refunded or being refunded. */
    public long refundableFen() {
        return totalFen - refunds.stream().mapToLong(WechatRefund::refundFen).sum();
    }

    public long refundedFen() {
        return refunds.stream()
                .filter(r -> r.succeededAt() != null)
                .mapToLong(WechatRefund::refundFen)
                .sum();
    }

    public String mchid() {
        return mchid;
    }

    public String appid() {
        return appid;
    }

    public String outTradeNo() {
        return outTradeNo;
    }

    public TradeType type() {
        return type;
    }

    public String description() {
        return description;
    }

    public long totalFen() {
        return totalFen;
    }

    public String currency() {
        return currency;
    }

    public String attach() {
        return attach;
    }

    public String notifyUrl() {
        return notifyUrl;
    }

    public String prepayId() {
        return prepayId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String payerOpenid() {
        return payerOpenid;
    }

    public TradeState state() {
        return state;
    }

    public String transactionId() {
        return transactionId;
    }

    public Instant successTime() {
        return successTime;
    }

    public boolean scanned() {
        return scanned;
    }

    public List<WechatRefund> refunds() {
        return List.copyOf(refunds);
    }
}
