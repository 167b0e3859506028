package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * {@code alipay.trade.refund} (docs/alipay-protocol.md#s11.10). With an {@code out_request_no} a repeat of the same refund is
 * answered without moving money again, so only then is it retried. {@code code=10000} alone does not prove a
 * refund happened: {@link Response#fundChange()} is false on an idempotent repeat; confirm with
 * {@link RefundQueryRequest} when in doubt.
 */
public record RefundRequest(TradeRef trade, BigDecimal refundAmount, String outRequestNo, String refundReason)
        implements AlipayRequest<RefundRequest.Response> {

    /** @param refundFee cumulative amount refunded on the trade, this refund included */
    public record Response(
            String tradeNo,
            String outTradeNo,
            boolean fundChange,
            BigDecimal refundFee,
            LocalDateTime gmtRefundPay,
            String buyerLogonId,
            AlipayResponse raw) {}

    public static RefundRequest of(TradeRef trade, BigDecimal amount, String outRequestNo) {
        return new RefundRequest(trade, amount, outRequestNo, null);
    }

    public RefundRequest withReason(String reason) {
        return new RefundRequest(trade, refundAmount, outRequestNo, reason);
    }

    @Override
    public String method() {
        return "alipay.trade.refund";
    }

    @Override
    public boolean isRepeatable() {
        return outRequestNo != null;
    }

    @Override
    public void validate() {
        Biz.refundAmount(refundAmount, "refund_amount");
        if (outRequestNo != null) {
            Biz.outNo(outRequestNo, "out_request_no");
        }
        Biz.text(refundReason, "refund_reason", 256, false);
    }

    @Override
    public Map<String, Object> bizContent() {
        return trade.into(Biz.of())
                .put("refund_amount", refundAmount)
                .put("out_request_no", outRequestNo)
                .put("refund_reason", refundReason)
                .map();
    }

    @Override
    public Response read(AlipayResponse r) {
        return new Response(
                r.string("trade_no"),
                r.string("out_trade_no"),
                "Y".equals(r.string("fund_change")),
                r.decimal("refund_fee"),
                Responses.time(r, "gmt_refund_pay"),
                r.string("buyer_logon_id"),
                r);
    }
}
