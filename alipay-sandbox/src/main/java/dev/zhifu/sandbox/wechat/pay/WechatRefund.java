package dev.zhifu.sandbox.wechat.pay;

import java.time.Instant;

/** One refund of a paid order; {@code status} moves from PROCESSING to SUCCESS when the money is back. */
public final class WechatRefund {

    private final String refundId;
    private final String outRefundNo;
    private final long refundFen;
    private final String reason;
    private final String notifyUrl;
    private final Instant createdAt;
    private String status = "PROCESSING";
    private Instant succeededAt;

    WechatRefund(
            String refundId, String outRefundNo, long refundFen, String reason, String notifyUrl, Instant createdAt) {
        this.refundId = refundId;
        this.outRefundNo = outRefundNo;
        this.refundFen = refundFen;
        this.reason = reason;
        this.notifyUrl = notifyUrl;
        this.createdAt = createdAt;
    }

    /** A refund as a journal kept it: {@code succeededAt} null while still PROCESSING. */
    static WechatRefund restored(
            String refundId,
            String outRefundNo,
            long refundFen,
            String reason,
            String notifyUrl,
            Instant createdAt,
            Instant succeededAt) {
        WechatRefund r = new WechatRefund(refundId, outRefundNo, refundFen, reason, notifyUrl, createdAt);
        if (succeededAt != null) {
            r.succeed(succeededAt);
        }
        return r;
    }

    void succeed(Instant at) {
        status = "SUCCESS";
        succeededAt = at;
    }

    public String refundId() {
        return refundId;
    }

    public String outRefundNo() {
        return outRefundNo;
    }

    public long refundFen() {
        return refundFen;
    }

    public String reason() {
        return reason;
    }

    public String notifyUrl() {
        return notifyUrl;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String status() {
        return status;
    }

    public Instant succeededAt() {
        return succeededAt;
    }
}
